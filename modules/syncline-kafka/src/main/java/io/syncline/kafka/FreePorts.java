package io.syncline.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** Port helpers: pick a free loopback port, or fail early with a message naming the flag that changes a busy one. */
public final class FreePorts {

    private FreePorts() {
    }

    /** Lowest port {@link #pick} hands out: above the registered well-known services most machines run. */
    static final int LOWEST = 10_000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    /**
     * A port that was free a moment ago on loopback, for a server that is told its port before it starts. It comes
     * from below the operating system's ephemeral range: a port from that range (what binding port 0 returns) can be
     * taken, between the pick and the bind, by any outgoing connection's source port, e.g. a Kafka client of the very
     * process about to listen there, which made {@code up} fail now and then with "port already in use".
     */
    public static int pick() {
        int ephemeralLow = ephemeralRangeLow();
        if (ephemeralLow > LOWEST + 1_000) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int attempt = 0; attempt < 50; attempt++) {
                int port = random.nextInt(LOWEST, ephemeralLow);
                if (isFree(port)) {
                    return port;
                }
            }
        }
        return anyFreePort(); // no range known (not Linux), or a crowded one: what the OS hands out
    }

    /** The first port of the OS's ephemeral range, or -1 when it cannot be read. */
    static int ephemeralRangeLow() {
        try {
            // Not Files.readString: /proc files report size 0, and JDK 17 then returned only the first byte ("3").
            try (InputStream in = Files.newInputStream(EPHEMERAL_RANGE)) {
                return Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim()
                        .split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port)); // every interface: stricter than loopback alone
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int anyFreePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("finding a free port on loopback", e);
        }
    }

    /**
     * Throws {@link PortInUseException} when {@code port} is taken on {@code host}.
     *
     * @param what what would listen there, e.g. "Kafka broker"
     * @param flag the CLI flag or config key that changes the port
     */
    public static void requireFree(String host, int port, String what, String flag) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new PortInUseException(what, host, port, flag);
        }
    }

    /** A port Syncline needs is taken by another process. */
    public static final class PortInUseException extends IllegalStateException {
        private final int port;

        public PortInUseException(String what, String host, int port, String flag) {
            super("port " + port + " on " + host + " for the " + what + " is already in use by another process; "
                    + "stop that process or choose another port with " + flag);
            this.port = port;
        }

        public int port() {
            return port;
        }
    }
}
