package io.syncline.sandbox.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Remembers the first answer given for an idempotency key so a repeated request gets it again instead of being
 * applied twice. Keys are scoped (per account or token) and forgotten after a retention time (Stripe: 24 hours).
 */
public final class IdempotencyCache {

    /** What to do with a request carrying a key. */
    public sealed interface Outcome permits Proceed, Replay, Mismatch, InFlight {
    }

    /** First use of the key: run the request, then {@link #complete} or {@link #abandon}. */
    public record Proceed() implements Outcome {
    }

    /** The key was used with the same request: answer with the saved response. */
    public record Replay(ApiResponse response) implements Outcome {
    }

    /** The key was used with different parameters. */
    public record Mismatch() implements Outcome {
    }

    /** The first request with this key is still running. */
    public record InFlight() implements Outcome {
    }

    private record Entry(String fingerprint, ApiResponse response, Instant at) {
    }

    private final Clock clock;
    private final Duration retention;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    public IdempotencyCache(Clock clock, Duration retention) {
        this.clock = clock;
        this.retention = retention;
    }

    public synchronized Outcome begin(String scope, String key, String fingerprint) {
        prune();
        String k = scope + '\u0000' + key;
        Entry e = entries.get(k);
        if (e == null) {
            entries.put(k, new Entry(fingerprint, null, clock.instant()));
            return new Proceed();
        }
        if (!e.fingerprint.equals(fingerprint)) {
            return new Mismatch();
        }
        if (e.response == null) {
            return new InFlight();
        }
        return new Replay(e.response);
    }

    public synchronized void complete(String scope, String key, ApiResponse response) {
        String k = scope + '\u0000' + key;
        Entry e = entries.get(k);
        if (e != null) {
            entries.put(k, new Entry(e.fingerprint, response, e.at));
        }
    }

    /**
     * Runs the first request under a key (after {@link Proceed}): a provider error ({@link ApiException}) counts as
     * its response; {@code keep} decides whether that response is saved for replays (as {@code stored} makes it) or
     * the key is released; any other failure releases the key and propagates. Providers differ only in those two.
     */
    public ApiResponse execute(String scope, String key, ApiRequest req, ApiHandler handler,
            Predicate<ApiResponse> keep, UnaryOperator<ApiResponse> stored) throws Exception {
        ApiResponse resp;
        try {
            resp = handler.handle(req);
        } catch (ApiException e) {
            resp = e.response();
        } catch (Exception | Error e) {
            abandon(scope, key);
            throw e;
        }
        if (keep.test(resp)) {
            complete(scope, key, stored.apply(resp));
        } else {
            abandon(scope, key);
        }
        return resp;
    }

    /** Forgets a key whose request was not executed (validation failed), so it can be used again. */
    public synchronized void abandon(String scope, String key) {
        entries.remove(scope + '\u0000' + key);
    }

    private void prune() {
        Instant oldest = clock.instant().minus(retention);
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext();) {
            Entry e = it.next();
            if (!e.at.isBefore(oldest)) {
                break; // insertion order is time order
            }
            if (e.response != null) {
                it.remove();
            }
        }
    }
}
