package io.syncline.sandbox.core;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fault knobs of one sandbox, changeable at runtime from tests (Java) or over the admin HTTP API.
 *
 * <p>Ratios are probabilities in [0, 1] drawn per request (or per webhook delivery); times are milliseconds.
 * Every setter validates and names the knob in its error. Reads and writes are thread-safe; a request sees each
 * knob's latest value, not necessarily one consistent snapshot of all of them.
 */
public final class Faults {

    /** Knob names, as used in the admin API and the CLI flags' documentation. */
    public static final String LATENCY_MS = "latencyMs";
    public static final String LATENCY_JITTER_MS = "latencyJitterMs";
    public static final String SERVER_ERROR_RATIO = "serverErrorRatio";
    public static final String SERVER_ERROR_STATUS = "serverErrorStatus";
    public static final String RATE_LIMIT_RATIO = "rateLimitRatio";
    public static final String MALFORMED_RATIO = "malformedRatio";
    public static final String CONNECTION_RESET_RATIO = "connectionResetRatio";
    public static final String TIMEOUT_RATIO = "timeoutRatio";
    public static final String TIMEOUT_MS = "timeoutMs";
    public static final String WEBHOOK_DUPLICATE_RATIO = "webhookDuplicateRatio";
    public static final String WEBHOOK_DROP_RATIO = "webhookDropRatio";
    public static final String WEBHOOK_OUT_OF_ORDER_RATIO = "webhookOutOfOrderRatio";
    public static final String WEBHOOK_OUT_OF_ORDER_DELAY_MS = "webhookOutOfOrderDelayMs";

    private volatile long latencyMs;
    private volatile long latencyJitterMs;
    private volatile double serverErrorRatio;
    private volatile int serverErrorStatus = 500;
    private volatile double rateLimitRatio;
    private volatile double malformedRatio;
    private volatile double connectionResetRatio;
    private volatile double timeoutRatio;
    private volatile long timeoutMs = 30_000;
    private volatile double webhookDuplicateRatio;
    private volatile double webhookDropRatio;
    private volatile double webhookOutOfOrderRatio;
    private volatile long webhookOutOfOrderDelayMs = 500;

    /** Turns every fault off and restores the default timeout and delays. */
    public synchronized Faults reset() {
        latencyMs = 0;
        latencyJitterMs = 0;
        serverErrorRatio = 0;
        serverErrorStatus = 500;
        rateLimitRatio = 0;
        malformedRatio = 0;
        connectionResetRatio = 0;
        timeoutRatio = 0;
        timeoutMs = 30_000;
        webhookDuplicateRatio = 0;
        webhookDropRatio = 0;
        webhookOutOfOrderRatio = 0;
        webhookOutOfOrderDelayMs = 500;
        return this;
    }

    /** Fixed added latency plus a uniformly drawn jitter in [0, jitterMs], for every API request. */
    public Faults latency(long fixedMs, long jitterMs) {
        this.latencyMs = millis(LATENCY_MS, fixedMs);
        this.latencyJitterMs = millis(LATENCY_JITTER_MS, jitterMs);
        return this;
    }

    /** Share of API requests answered with {@link #serverErrorStatus()} and the provider's error body. */
    public Faults serverErrorRatio(double ratio) {
        this.serverErrorRatio = ratio(SERVER_ERROR_RATIO, ratio);
        return this;
    }

    /** Status used for injected server errors: 500, 502, 503 or 504. */
    public Faults serverErrorStatus(int status) {
        if (status != 500 && status != 502 && status != 503 && status != 504) {
            throw new IllegalArgumentException(SERVER_ERROR_STATUS + " must be one of 500, 502, 503, 504, got " + status);
        }
        this.serverErrorStatus = status;
        return this;
    }

    /** Share of API requests answered 429 as if over the provider's rate limit (on top of the real limiter). */
    public Faults rateLimitRatio(double ratio) {
        this.rateLimitRatio = ratio(RATE_LIMIT_RATIO, ratio);
        return this;
    }

    /** Share of successful responses whose JSON body is cut in half (status and headers stay as they were). */
    public Faults malformedRatio(double ratio) {
        this.malformedRatio = ratio(MALFORMED_RATIO, ratio);
        return this;
    }

    /** Share of API requests whose TCP connection is reset (RST) without any response. */
    public Faults connectionResetRatio(double ratio) {
        this.connectionResetRatio = ratio(CONNECTION_RESET_RATIO, ratio);
        return this;
    }

    /** Share of API requests held for {@link #timeoutMs()} before a 504 answer, so clients hit their timeouts. */
    public Faults timeoutRatio(double ratio) {
        this.timeoutRatio = ratio(TIMEOUT_RATIO, ratio);
        return this;
    }

    /** How long a request picked by {@link #timeoutRatio(double)} is held. */
    public Faults timeoutMs(long ms) {
        this.timeoutMs = millis(TIMEOUT_MS, ms);
        return this;
    }

    /** Share of webhook deliveries sent twice (same event id, separately signed). */
    public Faults webhookDuplicateRatio(double ratio) {
        this.webhookDuplicateRatio = ratio(WEBHOOK_DUPLICATE_RATIO, ratio);
        return this;
    }

    /**
     * Share of webhook deliveries never sent (nor retried): the receiver must catch the change by polling, as when a
     * provider's delivery is lost for good.
     */
    public Faults webhookDropRatio(double ratio) {
        this.webhookDropRatio = ratio(WEBHOOK_DROP_RATIO, ratio);
        return this;
    }

    /** Share of webhook deliveries held back by {@link #webhookOutOfOrderDelayMs()} so later events overtake them. */
    public Faults webhookOutOfOrderRatio(double ratio) {
        this.webhookOutOfOrderRatio = ratio(WEBHOOK_OUT_OF_ORDER_RATIO, ratio);
        return this;
    }

    public Faults webhookOutOfOrderDelayMs(long ms) {
        this.webhookOutOfOrderDelayMs = millis(WEBHOOK_OUT_OF_ORDER_DELAY_MS, ms);
        return this;
    }

    public long latencyMs() {
        return latencyMs;
    }

    public long latencyJitterMs() {
        return latencyJitterMs;
    }

    public double serverErrorRatio() {
        return serverErrorRatio;
    }

    public int serverErrorStatus() {
        return serverErrorStatus;
    }

    public double rateLimitRatio() {
        return rateLimitRatio;
    }

    public double malformedRatio() {
        return malformedRatio;
    }

    public double connectionResetRatio() {
        return connectionResetRatio;
    }

    public double timeoutRatio() {
        return timeoutRatio;
    }

    public long timeoutMs() {
        return timeoutMs;
    }

    public double webhookDuplicateRatio() {
        return webhookDuplicateRatio;
    }

    public double webhookDropRatio() {
        return webhookDropRatio;
    }

    public double webhookOutOfOrderRatio() {
        return webhookOutOfOrderRatio;
    }

    public long webhookOutOfOrderDelayMs() {
        return webhookOutOfOrderDelayMs;
    }

    /** Every knob and its current value, in a stable order. */
    public Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(LATENCY_MS, latencyMs);
        m.put(LATENCY_JITTER_MS, latencyJitterMs);
        m.put(SERVER_ERROR_RATIO, serverErrorRatio);
        m.put(SERVER_ERROR_STATUS, serverErrorStatus);
        m.put(RATE_LIMIT_RATIO, rateLimitRatio);
        m.put(MALFORMED_RATIO, malformedRatio);
        m.put(CONNECTION_RESET_RATIO, connectionResetRatio);
        m.put(TIMEOUT_RATIO, timeoutRatio);
        m.put(TIMEOUT_MS, timeoutMs);
        m.put(WEBHOOK_DUPLICATE_RATIO, webhookDuplicateRatio);
        m.put(WEBHOOK_DROP_RATIO, webhookDropRatio);
        m.put(WEBHOOK_OUT_OF_ORDER_RATIO, webhookOutOfOrderRatio);
        m.put(WEBHOOK_OUT_OF_ORDER_DELAY_MS, webhookOutOfOrderDelayMs);
        return m;
    }

    /**
     * Applies the knobs present in a JSON object (the admin API's body); knobs not mentioned keep their values.
     * All values are checked first, so a bad body changes nothing.
     *
     * @throws IllegalArgumentException naming the unknown knob or the bad value
     */
    public synchronized Faults apply(JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw new IllegalArgumentException("expected a JSON object of fault knobs, e.g. {\"" + SERVER_ERROR_RATIO
                    + "\":0.1}; known knobs: " + snapshot().keySet());
        }
        Faults staged = copy();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            switch (key) {
                case LATENCY_MS -> staged.latencyMs = millis(key, longValue(key, v));
                case LATENCY_JITTER_MS -> staged.latencyJitterMs = millis(key, longValue(key, v));
                case SERVER_ERROR_RATIO -> staged.serverErrorRatio = ratio(key, doubleValue(key, v));
                case SERVER_ERROR_STATUS -> staged.serverErrorStatus((int) longValue(key, v));
                case RATE_LIMIT_RATIO -> staged.rateLimitRatio = ratio(key, doubleValue(key, v));
                case MALFORMED_RATIO -> staged.malformedRatio = ratio(key, doubleValue(key, v));
                case CONNECTION_RESET_RATIO -> staged.connectionResetRatio = ratio(key, doubleValue(key, v));
                case TIMEOUT_RATIO -> staged.timeoutRatio = ratio(key, doubleValue(key, v));
                case TIMEOUT_MS -> staged.timeoutMs = millis(key, longValue(key, v));
                case WEBHOOK_DUPLICATE_RATIO -> staged.webhookDuplicateRatio = ratio(key, doubleValue(key, v));
                case WEBHOOK_DROP_RATIO -> staged.webhookDropRatio = ratio(key, doubleValue(key, v));
                case WEBHOOK_OUT_OF_ORDER_RATIO -> staged.webhookOutOfOrderRatio = ratio(key, doubleValue(key, v));
                case WEBHOOK_OUT_OF_ORDER_DELAY_MS -> staged.webhookOutOfOrderDelayMs = millis(key, longValue(key, v));
                default -> throw new IllegalArgumentException(
                        "unknown fault knob '" + key + "'; known knobs: " + snapshot().keySet());
            }
        }
        copyFrom(staged);
        return this;
    }

    private Faults copy() {
        Faults f = new Faults();
        f.copyFrom(this);
        return f;
    }

    private void copyFrom(Faults o) {
        latencyMs = o.latencyMs;
        latencyJitterMs = o.latencyJitterMs;
        serverErrorRatio = o.serverErrorRatio;
        serverErrorStatus = o.serverErrorStatus;
        rateLimitRatio = o.rateLimitRatio;
        malformedRatio = o.malformedRatio;
        connectionResetRatio = o.connectionResetRatio;
        timeoutRatio = o.timeoutRatio;
        timeoutMs = o.timeoutMs;
        webhookDuplicateRatio = o.webhookDuplicateRatio;
        webhookDropRatio = o.webhookDropRatio;
        webhookOutOfOrderRatio = o.webhookOutOfOrderRatio;
        webhookOutOfOrderDelayMs = o.webhookOutOfOrderDelayMs;
    }

    private static double doubleValue(String key, JsonNode v) {
        if (!v.isNumber()) {
            throw new IllegalArgumentException(key + " must be a number between 0 and 1, got " + v);
        }
        return v.doubleValue();
    }

    private static long longValue(String key, JsonNode v) {
        if (!v.isIntegralNumber()) {
            throw new IllegalArgumentException(key + " must be a whole number, got " + v);
        }
        return v.longValue();
    }

    private static double ratio(String key, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(key + " must be between 0 and 1, got " + value);
        }
        return value;
    }

    private static long millis(String key, long value) {
        if (value < 0 || value > 600_000) {
            throw new IllegalArgumentException(key + " must be between 0 and 600000 milliseconds, got " + value);
        }
        return value;
    }
}
