package dev.ftnotifier.testing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A port a test names for its server can never be handed to a simulator or capture binding port 0 meanwhile. */
class FreePortsTest {

    @Test
    void aPickIsOutsideWhatABindToPortZeroIsGivenAndNeverRepeats() throws IOException {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        int ephemeralFrom = Files.exists(range) ? Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]) : 32768;
        Set<Integer> picked = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = FreePorts.pick();
            assertTrue(port < ephemeralFrom, port + " is in the kernel's ephemeral range, from " + ephemeralFrom);
            assertTrue(picked.add(port), port + " was picked twice");
        }
        // what the servers that take any port get is never one of ours
        try (ServerSocket any = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            assertTrue(any.getLocalPort() >= ephemeralFrom, "port 0 gave " + any.getLocalPort());
        }
    }
}
