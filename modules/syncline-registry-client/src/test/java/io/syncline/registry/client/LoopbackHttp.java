package io.syncline.registry.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback for client tests: answers through a handler (canned replies or a proxy to a real
 * registry), can fail the next N requests with a status, and records every request it saw.
 */
public final class LoopbackHttp implements AutoCloseable {

    /** One request as the server saw it. */
    public record Seen(String method, String pathAndQuery, Headers headers, String body) {
        public String header(String name) {
            return headers.getFirst(name);
        }
    }

    /** One answer. */
    public record Reply(int status, String body, Map<String, String> headers) {
        public static Reply json(int status, String body) {
            return new Reply(status, body, Map.of("Content-Type", "application/vnd.schemaregistry.v1+json"));
        }
    }

    private final HttpServer server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile int failureStatus = 503;
    private volatile Function<Seen, Reply> handler;

    private LoopbackHttp(Function<Seen, Reply> handler) throws IOException {
        this.handler = handler;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A server answering with {@code handler}. */
    public static LoopbackHttp answering(Function<Seen, Reply> handler) {
        try {
            return new LoopbackHttp(handler);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server forwarding every request to {@code targetBaseUrl} (e.g. the real registry). */
    public static LoopbackHttp proxyTo(String targetBaseUrl) {
        return answering(proxyHandler(targetBaseUrl));
    }

    /** A handler forwarding requests to {@code targetBaseUrl}, for composing with checks. */
    public static Function<Seen, Reply> proxyHandler(String targetBaseUrl) {
        HttpClient http = HttpClient.newHttpClient();
        String base = targetBaseUrl.endsWith("/") ? targetBaseUrl.substring(0, targetBaseUrl.length() - 1) : targetBaseUrl;
        return req -> {
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + req.pathAndQuery()))
                        .method(req.method(), req.body().isEmpty() ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(req.body()));
                String contentType = req.header("Content-Type");
                if (contentType != null) {
                    b.header("Content-Type", contentType);
                }
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                return new Reply(r.statusCode(), r.body(), Map.of("Content-Type",
                        r.headers().firstValue("Content-Type").orElse("application/json")));
            } catch (IOException | InterruptedException e) {
                return Reply.json(502, "{\"message\":\"proxy: " + e + "\"}");
            }
        };
    }

    /** The next {@code count} requests get {@code status} with a Confluent-style error body. */
    public LoopbackHttp failNext(int count, int status) {
        failureStatus = status;
        failures.set(count);
        return this;
    }

    public void handler(Function<Seen, Reply> handler) {
        this.handler = handler;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Seen request = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
                    exchange.getRequestHeaders(), body);
            seen.add(request);
            Reply reply = failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0
                    ? Reply.json(failureStatus, "{\"error_code\":50001,\"message\":\"Error in the backend data store\"}")
                    : handler.apply(request);
            byte[] bytes = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
