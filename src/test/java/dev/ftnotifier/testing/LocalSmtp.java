package dev.ftnotifier.testing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;


/** A real SMTP server (GreenMail) on 127.0.0.1 and a free port. */
public final class LocalSmtp {

    private LocalSmtp() {
    }

    public static GreenMail start() {
        return start(0);
    }

    public static GreenMail start(int port) {
        ServerSetup setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        GreenMail mail = new GreenMail(port == 0 ? setup.dynamicPort() : setup);
        mail.start();
        return mail;
    }

    /** A port on 127.0.0.1 where nothing listens right now: an SMTP server that is down. */
    public static int closedPort() {
        return FreePorts.pick();
    }
}
