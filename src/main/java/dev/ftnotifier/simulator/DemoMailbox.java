package dev.ftnotifier.simulator;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real SMTP server (GreenMail) on 127.0.0.1 for the demo, which hands each message it
 * receives (subject and plain-text part) to a listener, so the demo can show the mail.
 */
public final class DemoMailbox implements AutoCloseable {

    private final GreenMail server;
    private final ScheduledExecutorService watcher;
    private final Set<String> seen = new HashSet<>();

    private DemoMailbox(GreenMail server, Consumer<String> listener) {
        this.server = server;
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-mailbox");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(() -> showNew(listener), 250, 250, TimeUnit.MILLISECONDS);
    }

    public static DemoMailbox start(Consumer<String> listener) {
        GreenMail server = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        server.start();
        return new DemoMailbox(server, listener);
    }

    public int port() {
        return server.getSmtp().getPort();
    }

    private void showNew(Consumer<String> listener) {
        for (MimeMessage message : server.getReceivedMessages()) {
            try {
                // GreenMail keeps one copy per recipient: show each message once
                if (seen.add(message.getMessageID())) {
                    listener.accept("Subject: " + message.getSubject() + "\n" + plainText(message));
                }
            } catch (MessagingException | IOException e) {
                listener.accept("(a message that could not be read: " + e.getMessage() + ")");
            }
        }
    }

    private static String plainText(MimeMessage message) throws MessagingException, IOException {
        Object content = message.getContent();
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                if (part.isMimeType("text/plain")) {
                    return part.getContent().toString();
                }
            }
        }
        return content.toString();
    }

    @Override
    public void close() {
        watcher.shutdownNow();
        server.stop();
    }
}
