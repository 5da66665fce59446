package io.syncline.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a webhook provider signs its requests; each scheme knows its own headers, signed content and key decoding.
 *
 * <p>The defaults say where the object id (the Kafka key) and the event id (the dedupe key) usually are for the
 * provider (within each event of a batch), and whether a body is a batch; an endpoint overrides them with
 * {@code key}, {@code event-id} and {@code batch}.
 */
public enum SignatureScheme {

    /** {@code Stripe-Signature: t=<unix s>,v1=<hex>}; HMAC-SHA256 over {@code "<t>.<body>"}, key = whole secret. */
    @JsonProperty("stripe")
    STRIPE("stripe", "stripe-webhook", "/data/object/id", "/id", WebhookEndpointConfig.BATCH_NONE),

    /** {@code webhook-id}/{@code webhook-timestamp}/{@code webhook-signature}; key = base64 after {@code whsec_}. */
    @JsonProperty("standard-webhooks")
    STANDARD_WEBHOOKS("standard-webhooks", "standard-webhooks", null, "header:webhook-id",
            WebhookEndpointConfig.BATCH_NONE),

    /**
     * {@code X-HubSpot-Signature-v3}: base64 HMAC-SHA256 over method + URI + body + timestamp (epoch ms). HubSpot
     * posts a JSON array of up to 100 events for many objects: split into one record per event, keyed by its object.
     */
    @JsonProperty("hubspot-v3")
    HUBSPOT_V3("hubspot-v3", "hubspot-webhook", "/objectId", "/eventId", WebhookEndpointConfig.BATCH_ARRAY),

    /** {@code X-Zendesk-Webhook-Signature}: base64 HMAC-SHA256 over timestamp header + body. */
    @JsonProperty("zendesk")
    ZENDESK("zendesk", "zendesk-webhook", "/detail/id", "/id", WebhookEndpointConfig.BATCH_NONE),

    /** {@code X-Hub-Signature-256: sha256=<hex>} over the body; no timestamp, replays are caught by dedupe. */
    @JsonProperty("github")
    GITHUB("github", "github-webhook", null, "header:X-GitHub-Delivery", WebhookEndpointConfig.BATCH_NONE);

    private final String id;
    private final String sourcePrefix;
    private final String defaultKey;
    private final String defaultEventId;
    private final String defaultBatch;

    SignatureScheme(String id, String sourcePrefix, String defaultKey, String defaultEventId, String defaultBatch) {
        this.defaultBatch = defaultBatch;
        this.id = id;
        this.sourcePrefix = sourcePrefix;
        this.defaultKey = defaultKey;
        this.defaultEventId = defaultEventId;
    }

    /** The name used in {@code syncline.yaml}. */
    public String id() {
        return id;
    }

    /** The first part of the {@code syncline.source} header, e.g. {@code stripe-webhook}. */
    public String sourcePrefix() {
        return sourcePrefix;
    }

    /** Where the object id usually is (a JSON Pointer), or null when the provider has no single object. */
    public String defaultKey() {
        return defaultKey;
    }

    /** Where the event id usually is: a JSON Pointer or {@code header:<Name>}. */
    public String defaultEventId() {
        return defaultEventId;
    }

    /** Whether a request body is one event ({@code none}) or a JSON array of them ({@code array}). */
    public String defaultBatch() {
        return defaultBatch;
    }

    @JsonValue
    @Override
    public String toString() {
        return id;
    }
}
