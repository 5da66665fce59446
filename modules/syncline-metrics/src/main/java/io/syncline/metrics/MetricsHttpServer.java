package io.syncline.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * {@code GET /metrics} (Prometheus text format) on a port of its own, for a role whose main port is not an HTTP
 * server Syncline owns (a Connect worker). One thread: a scrape every few seconds needs no more.
 */
public final class MetricsHttpServer implements AutoCloseable {

    /** The content type of Prometheus' text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;

    private MetricsHttpServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts serving {@code scrape} at {@code http://host:port/metrics}; port 0 picks a free one.
     *
     * @throws UncheckedIOException naming the address when it cannot be bound
     */
    public static MetricsHttpServer start(String host, int port, Supplier<String> scrape) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve /metrics on " + host + ":" + port + " (" + e.getMessage()
                    + "); choose another metrics port", e);
        }
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "syncline-metrics-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/metrics", ex -> respond(ex, scrape));
        server.start();
        return new MetricsHttpServer(server);
    }

    private static void respond(HttpExchange ex, Supplier<String> scrape) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = scrape.get().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The port listened on (the real one when 0 was asked for). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
