package io.syncline.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.List;

/**
 * A raw TCP server on loopback for the failures a real HTTP server will not produce on demand: connections reset
 * (SO_LINGER 0), requests never answered, bodies cut short. Each accepted connection takes the next behaviour.
 */
final class RawServer implements AutoCloseable {

    /** What to do with one connection after reading the request head. */
    enum Behaviour {
        /** Close with SO_LINGER 0: the client sees a connection reset. */
        RESET,
        /** Never answer (until the server closes). */
        SILENT,
        /** Send a 200 with Content-Length 100 but only 10 bytes, then close. */
        TRUNCATED,
        /** Answer 200 "ok" properly. */
        OK
    }

    private final ServerSocket socket;
    private final ConcurrentLinkedQueue<Behaviour> script = new ConcurrentLinkedQueue<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    RawServer(Behaviour... behaviours) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        script.addAll(List.of(behaviours));
        acceptor = new Thread(this::acceptLoop, "raw-server-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                connections.incrementAndGet();
                open.add(s);
                Behaviour b = script.poll();
                Thread t = new Thread(() -> serve(s, b == null ? Behaviour.OK : b));
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket s, Behaviour behaviour) {
        try {
            readHead(s.getInputStream());
            switch (behaviour) {
                case RESET:
                    s.setSoLinger(true, 0);
                    s.close();
                    break;
                case SILENT:
                    break; // keep the socket open; close() ends it
                case TRUNCATED:
                    s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nContent-Type: text/plain\r\n\r\n"
                            + "0123456789").getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    s.setSoLinger(true, 0);
                    s.close();
                    break;
                default:
                    s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                            .getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    s.close();
            }
        } catch (IOException ignored) {
            // the client went away; nothing to serve
        }
    }

    private static void readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        int lengthAt = text.toLowerCase(java.util.Locale.ROOT).indexOf("content-length:");
        if (lengthAt >= 0) {
            int eol = text.indexOf("\r\n", lengthAt);
            int n = Integer.parseInt(text.substring(lengthAt + 15, eol).trim());
            in.readNBytes(n);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
