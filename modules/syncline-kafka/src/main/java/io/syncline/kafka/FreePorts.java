package io.syncline.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port helpers: pick a free loopback port, or fail early with a message naming the flag that changes a busy one. */
public final class FreePorts {

    private FreePorts() {
    }

    /** A port that was free a moment ago on loopback. */
    public static int pick() {
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
