package dev.ftnotifier.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports on 127.0.0.1 that a test names before the server it starts binds them (the notifier's
 * management server and webhook receiver, GreenMail, PostgreSQL).
 *
 * <p>Asking the kernel for a free port (bind to port 0, close, hand the number on) races: until
 * the server binds it, the kernel may give the same port to any other bind to port 0, such as a
 * simulator or a Slack capture started meanwhile, and the test then talks to the wrong server.
 * So these ports come from below the kernel's ephemeral range (32768 and up on Linux), which no
 * bind to port 0 draws from; each test JVM counts through its own slice of that range (surefire
 * runs two forks side by side, numbered by {@code notifier.test.fork}), so no two picks meet,
 * and a port something else already holds is skipped.
 */
public final class FreePorts {

    private static final int FIRST = 16_000;
    private static final int SLICE = 8_000;
    /** This JVM's slice starts here (fork 1: 16000, fork 2: 24000). */
    private static final int SLICE_START = sliceStart();
    /** A random place in the slice: a JVM started right after another (the next execution) does not repeat its ports. */
    private static final AtomicInteger NEXT = new AtomicInteger(SLICE_START + ThreadLocalRandom.current().nextInt(SLICE));

    private FreePorts() {
    }

    /** A port of 127.0.0.1 that nothing listens on now and no other pick in this build will return. */
    public static int pick() {
        for (int tries = 0; tries < 200; tries++) {
            int port = SLICE_START + Math.floorMod(NEXT.getAndIncrement() - SLICE_START, SLICE);
            if (free(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + SLICE_START + ".." + (SLICE_START + SLICE - 1));
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** Fork 1 counts from 16000, fork 2 from 24000; a JVM outside surefire (failsafe, an IDE) from 16000. */
    private static int sliceStart() {
        int fork;
        try {
            fork = Integer.parseInt(System.getProperty("notifier.test.fork", "1"));
        } catch (NumberFormatException e) {
            fork = 1;
        }
        return FIRST + Math.floorMod(fork - 1, 2) * SLICE;
    }
}
