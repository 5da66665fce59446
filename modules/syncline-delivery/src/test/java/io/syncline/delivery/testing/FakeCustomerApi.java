package io.syncline.delivery.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.delivery.testing.TargetServer.Response;
import io.syncline.testsupport.connect.SinkConnectorContract.Applied;
import io.syncline.testsupport.connect.SinkConnectorContract.Fault;

/**
 * A small customer API for the generic HTTP sink's contract: {@code PUT /v1/customers/{id}} with a bearer token and
 * an {@code Idempotency-Key}; a repeated key is answered from memory without applying the write again (as Stripe
 * does); an e-mail without {@code @} is a 400; faults (5xx, 429, timeouts, resets) are injected at random, timeouts
 * and resets after the write was applied, which is what makes idempotency matter.
 */
public final class FakeCustomerApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TargetServer server = new TargetServer();
    private final String token;
    private final Duration hang;
    private final Random random = new Random(42);
    private final Map<Fault, Double> ratios = new EnumMap<>(Fault.class);
    private final Map<Fault, AtomicLong> served = new ConcurrentHashMap<>();
    private final Map<String, Response> replies = new ConcurrentHashMap<>();
    private final List<Applied> applied = new ArrayList<>();

    /**
     * @param token the bearer token it accepts
     * @param hang how long a TIMEOUT fault keeps the client waiting (longer than its request timeout)
     */
    public FakeCustomerApi(String token, Duration hang) {
        this.token = token;
        this.hang = hang;
        for (Fault f : Fault.values()) {
            served.put(f, new AtomicLong());
        }
        server.respond(this::answer);
    }

    public String url() {
        return server.url();
    }

    public String hostPort() {
        return server.hostPort();
    }

    public synchronized void inject(Fault fault, double ratio) {
        ratios.put(fault, ratio);
    }

    public synchronized void clearFaults() {
        ratios.clear();
    }

    public long served(Fault fault) {
        return served.get(fault).get();
    }

    public synchronized List<Applied> applied() {
        return new ArrayList<>(applied);
    }

    /** Every request received. */
    public List<TargetServer.Request> requests() {
        return server.requests();
    }

    private Response answer(TargetServer.Request r) {
        if (!("Bearer " + token).equals(r.header("Authorization"))) {
            return Response.status(401, "{\"message\":\"Authentication credentials not found.\"}");
        }
        Fault fault = draw();
        if (fault == Fault.SERVER_ERROR) {
            served.get(fault).incrementAndGet();
            return Response.status(503, "{\"message\":\"upstream busy\"}");
        }
        if (fault == Fault.RATE_LIMITED) {
            served.get(fault).incrementAndGet();
            return Response.status(429, "{\"message\":\"slow down\"}").withHeader("Retry-After", "1");
        }
        String key = r.header("Idempotency-Key");
        Response reply = key == null ? null : replies.get(key);
        if (reply == null) {
            reply = apply(r, key);
        }
        if (fault == Fault.TIMEOUT) {
            served.get(fault).incrementAndGet();
            return reply.after(hang);
        }
        if (fault == Fault.CONNECTION_RESET) {
            served.get(fault).incrementAndGet();
            return Response.reset();
        }
        return reply;
    }

    private synchronized Response apply(TargetServer.Request r, String key) {
        Response earlier = key == null ? null : replies.get(key);
        if (earlier != null) {
            return earlier;
        }
        Response reply;
        try {
            JsonNode body = JSON.readTree(r.body());
            String email = body.path("email").asText("");
            if (!r.method().equals("PUT") || !r.path().startsWith("/v1/customers/")) {
                reply = Response.status(404, "{\"message\":\"no route " + r.method() + " " + r.path() + "\"}");
            } else if (!email.contains("@")) {
                reply = Response.status(400, "{\"message\":\"Property values were not valid: email '" + email
                        + "'\"}");
            } else {
                applied.add(new Applied(body.path("id").asText(), key, body.path("version").asLong()));
                reply = Response.ok("{\"id\":\"" + body.path("id").asText() + "\"}");
            }
        } catch (java.io.IOException e) {
            reply = Response.status(400, "{\"message\":\"body is not JSON\"}");
        }
        if (key != null) {
            replies.put(key, reply);
        }
        return reply;
    }

    private synchronized Fault draw() {
        double x = random.nextDouble();
        for (Map.Entry<Fault, Double> e : ratios.entrySet()) {
            if (x < e.getValue()) {
                return e.getKey();
            }
            x -= e.getValue();
        }
        return null;
    }

    @Override
    public void close() {
        server.close();
    }
}
