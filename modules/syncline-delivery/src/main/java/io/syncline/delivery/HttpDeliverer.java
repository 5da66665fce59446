package io.syncline.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.http.CallContext;
import io.syncline.http.FailureKind;
import io.syncline.http.HttpFailure;
import io.syncline.http.HttpResult;
import io.syncline.http.SynclineHttpClient;
import io.syncline.http.SynclineRequest;
import io.syncline.http.SynclineResponse;
import io.syncline.raw.Traceparent;

/**
 * Turns changes into HTTP requests through the shared {@link SynclineHttpClient} (failure table, retries with
 * backoff and jitter honouring Retry-After, rate limit, auth, SSRF guard) and the client's verdict into outcomes:
 *
 * <ul>
 *   <li>2xx (or an accepted status) → delivered; for a batch, per-item errors in the response (HTTP 207) dead-letter
 *       only the items they name;
 *   <li>a per-record rejection (4xx other than 408/409/425/429) → dead letter; a rejected batch is split and its
 *       items are sent one by one, so only the bad ones end in the dead-letter queue;
 *   <li>credentials rejected, configuration wrong, or retries exhausted → fatal for the task (the records stay
 *       uncommitted and are delivered after the task restarts).
 * </ul>
 *
 * Every request carries the change's idempotency key (a batch: one derived from its items' keys), so a retried or
 * replayed write is not applied twice by a target that honours it.
 */
public final class HttpDeliverer implements Deliverer {

    /** How batch requests look and how their responses name failed items. */
    public record BatchFormat(String wrapperField, String resultsField, String errorsField, Map<String, String> extraFields) {
        public BatchFormat {
            Objects.requireNonNull(resultsField, "results field");
            Objects.requireNonNull(errorsField, "errors field");
            extraFields = extraFields == null ? Map.of() : Map.copyOf(extraFields);
        }

        /** Items in {@code {"<wrapper>":[...]}} (or a bare array for an empty wrapper), results and errors by name. */
        public static BatchFormat wrapped(String wrapperField) {
            return new BatchFormat(wrapperField, "results", "errors", Map.of());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SynclineHttpClient http;
    private final String idempotencyHeader;
    private final List<Map.Entry<String, String>> headers;
    private final int[] acceptStatuses;
    private final BatchFormat batchFormat;
    private final DeliveryStats stats;

    /**
     * A deliverer.
     *
     * @param idempotencyHeader the header carrying idempotency keys, or empty/null to send none
     * @param headers static headers for every request (secrets resolved by the worker's config providers)
     * @param acceptStatuses non-2xx statuses that count as delivered (e.g. 404 for a DELETE)
     */
    public HttpDeliverer(SynclineHttpClient http, String idempotencyHeader, List<Map.Entry<String, String>> headers,
                         int[] acceptStatuses, BatchFormat batchFormat, DeliveryStats stats) {
        this.http = Objects.requireNonNull(http, "http");
        this.idempotencyHeader = idempotencyHeader == null || idempotencyHeader.isBlank() ? null : idempotencyHeader;
        this.headers = List.copyOf(headers);
        this.acceptStatuses = acceptStatuses.clone();
        this.batchFormat = batchFormat == null ? BatchFormat.wrapped("inputs") : batchFormat;
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    @Override
    public Duration untilPermit(Change change) {
        String host;
        try {
            host = URI.create(change.url()).getHost();
        } catch (IllegalArgumentException e) {
            return Duration.ZERO; // the call itself reports the bad URL, as a rejected change
        }
        return host == null ? Duration.ZERO : http.rateLimiter(host).timeUntilAvailable();
    }

    @Override
    public List<Outcome> deliver(List<Change> batch) {
        if (batch.size() == 1 && !batch.get(0).batchable()) {
            return List.of(single(batch.get(0)));
        }
        return batch(batch, true);
    }

    private Outcome single(Change change) {
        SynclineRequest.Builder request = SynclineRequest.method(change.method(), change.url());
        if (change.body() != null) {
            request.body(change.body(), "application/json");
        }
        trace(request, change);
        HttpResult result = execute(request, change.idempotencyKey(), change.description());
        if (result.isSuccess()) {
            return Outcome.delivered();
        }
        return failed(result.failure(), "rejected");
    }

    private List<Outcome> batch(List<Change> batch, boolean splitOnRejection) {
        Change head = batch.get(0);
        String key = batch.size() == 1 ? head.idempotencyKey() : batchKey(batch);
        SynclineRequest.Builder request = SynclineRequest.method(head.method(), head.url())
                .body(batchBody(batch), "application/json");
        String what = batch.size() == 1 ? head.description() : "batch of " + batch.size() + " changes";
        // One request, one traceparent: a batch continues its first change's trace.
        trace(request, head);
        HttpResult result = execute(request, key, what);
        if (!result.isSuccess()) {
            HttpFailure failure = result.failure();
            if (failure.kind() == FailureKind.PERMANENT_RECORD && batch.size() > 1 && splitOnRejection) {
                // The target refused the whole batch because of some item(s): nothing was applied, so sending the
                // items one by one is safe and dead-letters only the bad ones.
                return oneByOne(batch);
            }
            Outcome outcome = failed(failure, "rejected");
            List<Outcome> all = new ArrayList<>(batch.size());
            batch.forEach(c -> all.add(outcome));
            return all;
        }
        return itemOutcomes(batch, result.response());
    }

    /** The W3C {@code traceparent} of the request: a child of the change's trace (same trace, new parent id). */
    private static void trace(SynclineRequest.Builder request, Change change) {
        if (change.trace() != null) {
            request.header(Traceparent.HEADER, change.trace().child().format());
        }
    }

    private List<Outcome> oneByOne(List<Change> batch) {
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        for (Change change : batch) {
            List<Outcome> one = batch(List.of(change), false);
            outcomes.add(one.get(0));
            if (one.get(0).kind() == Outcome.Kind.FATAL || one.get(0).kind() == Outcome.Kind.CANCELLED) {
                // Stop here; the rest stay unfinished like the failed one.
                while (outcomes.size() < batch.size()) {
                    outcomes.add(one.get(0));
                }
                break;
            }
        }
        return outcomes;
    }

    /** Per-item outcomes of a batch the target answered with 2xx, from its results and errors when it lists them. */
    private List<Outcome> itemOutcomes(List<Change> batch, SynclineResponse response) {
        JsonNode body = parse(response.body());
        JsonNode errors = body == null ? null : body.get(batchFormat.errorsField());
        if (errors == null || !errors.isArray() || errors.isEmpty()) {
            return delivered(batch.size());
        }
        JsonNode results = body.get(batchFormat.resultsField());
        Outcome[] outcomes = new Outcome[batch.size()];
        List<JsonNode> unmatchedErrors = new ArrayList<>();
        for (JsonNode error : errors) {
            Set<String> mentioned = strings(error);
            boolean matched = false;
            for (int i = 0; i < batch.size(); i++) {
                if (outcomes[i] == null && mentions(mentioned, batch.get(i))) {
                    String message = "the target rejected this item of a batch of " + batch.size() + " ("
                            + response.method() + " " + response.uri() + " answered " + response.status() + "): "
                            + text(error.get("message"), error.toString());
                    outcomes[i] = Outcome.deadLetter(new DeliveryFailure("batch-item", message,
                            DeliveryRejectedException.class.getName(), response.status(), error.toString(),
                            response.attempts()));
                    matched = true;
                }
            }
            if (!matched) {
                unmatchedErrors.add(error);
            }
        }
        Set<String> succeeded = results != null && results.isArray() ? strings(results) : Set.of();
        List<Integer> unknown = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (outcomes[i] != null) {
                continue;
            }
            if (unmatchedErrors.isEmpty() || mentions(succeeded, batch.get(i))) {
                outcomes[i] = Outcome.delivered();
            } else {
                unknown.add(i);
            }
        }
        if (!unknown.isEmpty()) {
            // Errors we cannot pin on items, and items the results do not list: each of those is sent again alone,
            // with its own idempotency key, so the target's answer names its fate.
            List<Change> again = new ArrayList<>();
            unknown.forEach(i -> again.add(batch.get(i)));
            List<Outcome> retried = oneByOne(again);
            for (int j = 0; j < unknown.size(); j++) {
                outcomes[unknown.get(j)] = retried.get(j);
            }
        }
        return List.of(outcomes);
    }

    private HttpResult execute(SynclineRequest.Builder request, String idempotencyKey, String description) {
        for (Map.Entry<String, String> h : headers) {
            request.header(h.getKey(), h.getValue());
        }
        if (idempotencyHeader != null) {
            request.header(idempotencyHeader, idempotencyKey);
            request.idempotent(true);
        }
        if (acceptStatuses.length > 0) {
            request.accept(acceptStatuses);
        }
        HttpResult result = http.execute(request.build(), CallContext.record(description));
        stats.request();
        return result;
    }

    private static Outcome failed(HttpFailure failure, String reason) {
        int status = failure.status().orElse(0);
        String body = failure.responseExcerpt().orElse(null);
        return switch (failure.kind()) {
            case PERMANENT_RECORD -> Outcome.deadLetter(new DeliveryFailure(reason, failure.message(),
                    DeliveryRejectedException.class.getName(), status, body, failure.attempts()));
            case CANCELLED -> Outcome.cancelled();
            case RETRY -> Outcome.fatal(new DeliveryFailure("retries-exhausted", "gave up: " + failure.message()
                    + "; the change stays uncommitted and is delivered when the task runs again",
                    DeliveryRejectedException.class.getName(), status, body, failure.attempts()));
            case AUTH, PERMANENT_CONFIG -> Outcome.fatal(new DeliveryFailure(failure.kind().name().toLowerCase(
                    java.util.Locale.ROOT), failure.message(), DeliveryRejectedException.class.getName(), status,
                    body, failure.attempts()));
        };
    }

    private byte[] batchBody(List<Change> batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + batch.stream().mapToInt(Change::size).sum());
        try {
            String wrapper = batchFormat.wrapperField();
            boolean wrapped = wrapper != null && !wrapper.isEmpty();
            if (wrapped) {
                out.write('{');
                for (Map.Entry<String, String> extra : batchFormat.extraFields().entrySet()) {
                    out.write(JSON.writeValueAsBytes(extra.getKey()));
                    out.write(':');
                    out.write(JSON.writeValueAsBytes(extra.getValue()));
                    out.write(',');
                }
                out.write(JSON.writeValueAsBytes(wrapper));
                out.write(':');
            }
            out.write('[');
            for (int i = 0; i < batch.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                byte[] item = batch.get(i).body();
                out.write(item == null ? "null".getBytes(StandardCharsets.US_ASCII) : item);
            }
            out.write(']');
            if (wrapped) {
                out.write('}');
            }
        } catch (IOException e) {
            throw new IllegalStateException("building a batch body", e);
        }
        return out.toByteArray();
    }

    /** A batch's idempotency key: the same items in the same order always give the same key. */
    static String batchKey(List<Change> batch) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Change c : batch) {
                sha.update(c.idempotencyKey().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return "batch-" + HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static List<Outcome> delivered(int n) {
        List<Outcome> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Outcome.delivered());
        }
        return out;
    }

    private static boolean mentions(Set<String> strings, Change change) {
        for (String id : change.correlationIds()) {
            if (strings.contains(id)) {
                return true;
            }
        }
        return false;
    }

    /** Every string (and number as text) anywhere inside {@code node}. */
    static Set<String> strings(JsonNode node) {
        Set<String> out = new HashSet<>();
        collect(node, out);
        return out;
    }

    private static void collect(JsonNode node, Set<String> out) {
        if (node == null) {
            return;
        }
        if (node.isContainerNode()) {
            node.forEach(child -> collect(child, out));
        } else if (node.isTextual()) {
            out.add(node.textValue());
        } else if (node.isNumber()) {
            out.add(node.asText());
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    private static String text(JsonNode node, String fallback) {
        return node != null && node.isTextual() ? node.textValue() : fallback;
    }
}
