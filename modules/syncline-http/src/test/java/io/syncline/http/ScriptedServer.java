package io.syncline.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** A real HTTP server on loopback that answers from a script of responses and records every request it got. */
final class ScriptedServer implements AutoCloseable {

    /** A request as the server saw it. */
    static final class Seen {
        final String method;
        final String uri;
        final Map<String, String> headers;
        final String body;

        Seen(String method, String uri, Map<String, String> headers, String body) {
            this.method = method;
            this.uri = uri;
            this.headers = headers;
            this.body = body;
        }

        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** A canned answer. */
    static final class Reply {
        final int status;
        final Map<String, String> headers = new LinkedHashMap<>();
        final String body;

        Reply(int status, String body) {
            this.status = status;
            this.body = body;
        }

        Reply header(String name, String value) {
            headers.put(name, value);
            return this;
        }
    }

    static Reply reply(int status, String body) {
        return new Reply(status, body);
    }

    static Reply json(int status, String body) {
        return new Reply(status, body).header("Content-Type", "application/json");
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final ConcurrentLinkedQueue<Function<Seen, Reply>> script = new ConcurrentLinkedQueue<>();
    private volatile Function<Seen, Reply> fallback = seen -> reply(200, "ok");
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    ScriptedServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Answers the next requests with these replies, in order, then with the fallback. */
    ScriptedServer then(Reply... replies) {
        for (Reply r : replies) {
            script.add(seen -> r);
        }
        return this;
    }

    /** Answers the next request with a reply computed from it. */
    ScriptedServer then(Function<Seen, Reply> replier) {
        script.add(replier);
        return this;
    }

    /** Answers every request beyond the script. */
    ScriptedServer otherwise(Function<Seen, Reply> replier) {
        this.fallback = replier;
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** http://127.0.0.1:port + path */
    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    List<Seen> requests() {
        return new ArrayList<>(seen);
    }

    long count(String pathPrefix) {
        return seen.stream().filter(s -> s.uri.startsWith(pathPrefix)).count();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT),
                    String.join(",", v)));
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Seen request = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body);
            seen.add(request);
            Function<Seen, Reply> next = script.poll();
            Reply reply = (next == null ? fallback : next).apply(request);
            reply.headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] bytes = reply.body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status, bytes.length == 0 ? -1 : bytes.length);
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
        executor.shutdownNow();
    }
}
