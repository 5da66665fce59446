package io.syncline.gateway;

/**
 * Kafka record headers the gateway writes on every raw record; the normalizer and DLQ tooling read them by these names.
 */
public final class GatewayHeaders {

    /** Where the record came from: {@code <scheme source prefix>:<endpoint>}, e.g. {@code stripe-webhook:stripe}. */
    public static final String SOURCE = "syncline.source";
    /** The provider's event id (or {@code sha256:<hex of body>} when the request carries none); the dedupe key. */
    public static final String EVENT_ID = "syncline.event-id";
    /** When the gateway received the request: epoch milliseconds in decimal, like Avro's {@code timestamp-millis}. */
    public static final String RECEIVED_AT = "syncline.received-at";
    /** The W3C trace id (32 hex digits) from {@code traceparent}, or a new random one. */
    public static final String TRACE_ID = "syncline.trace-id";
    /** The gateway endpoint name, the {@code {endpoint}} of {@code /webhooks/{endpoint}}. */
    public static final String ENDPOINT = "syncline.endpoint";

    private GatewayHeaders() {
    }
}
