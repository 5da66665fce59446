package io.syncline.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import io.syncline.config.SignatureScheme;
import io.syncline.config.WebhookEndpointConfig;
import io.syncline.gateway.signature.Secret;
import io.syncline.gateway.signature.SignatureVerifier;
import io.syncline.gateway.signature.SignedRequest;
import io.syncline.json.JsonFields;
import io.syncline.raw.RawHeader;
import io.syncline.raw.RawHeaders;
import io.syncline.raw.Traceparent;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One configured endpoint, compiled once at start: its verifier, accepted content types, topic template and the
 * pointers that find the Kafka key and the event id.
 */
final class WebhookEndpoint {

    private static final String HEADER_PREFIX = "header:";

    final String name;
    final SignatureScheme scheme;
    final SignatureVerifier verifier;
    private final String[] contentTypes;
    private final TopicTemplate topic;
    private final String fallbackTopic;
    private final JsonFields fields;
    private final int keySlot;
    private final int eventSlot;
    private final String eventIdHeader;
    private final String source;

    WebhookEndpoint(WebhookEndpointConfig config, List<Secret> secrets, Duration replayWindow, JsonFactory json) {
        this.name = config.name();
        this.scheme = config.scheme();
        this.verifier = SignatureVerifier.create(config.scheme(), secrets, replayWindow);
        this.contentTypes = config.contentTypes().toArray(String[]::new);
        this.topic = TopicTemplate.parse(config.topic());
        this.fallbackTopic = config.fallbackTopic().isEmpty() ? null : config.fallbackTopic();
        List<String> pointers = new ArrayList<>(topic.pointers());
        String key = config.effectiveKey();
        this.keySlot = key == null ? -1 : pointers.size();
        if (key != null) {
            pointers.add(key);
        }
        String eventId = config.effectiveEventId();
        if (eventId != null && eventId.regionMatches(true, 0, HEADER_PREFIX, 0, HEADER_PREFIX.length())) {
            this.eventIdHeader = eventId.substring(HEADER_PREFIX.length());
            this.eventSlot = -1;
        } else {
            this.eventIdHeader = null;
            this.eventSlot = eventId == null ? -1 : pointers.size();
            if (eventId != null) {
                pointers.add(eventId);
            }
        }
        this.fields = new JsonFields(json, pointers);
        this.source = RawHeaders.source(scheme.sourcePrefix(), name);
    }

    /** True when the media type of {@code contentType} (parameters ignored, case-insensitive) is accepted. */
    boolean accepts(String contentType) {
        if (contentType == null) {
            return false;
        }
        int start = 0;
        while (start < contentType.length() && contentType.charAt(start) == ' ') {
            start++;
        }
        for (String type : contentTypes) {
            int end = start + type.length();
            if (contentType.regionMatches(true, start, type, 0, type.length())
                    && (end == contentType.length() || contentType.charAt(end) == ';' || contentType.charAt(end) == ' ')) {
                return true;
            }
        }
        return false;
    }

    /** The accepted media types, for the 415 problem detail. */
    String acceptedTypes() {
        return String.join(", ", contentTypes);
    }

    /**
     * The record for one verified request: value = the body as received; key = object id, else event id.
     *
     * <p>A body that is not valid JSON, or whose topic template cannot be filled, goes to the fallback topic: it is
     * authentic, so it is kept and ends in the DLQ at normalization rather than being dropped here.
     */
    ProducerRecord<byte[], byte[]> record(SignedRequest request, Traceparent traceparent, long receivedAt) {
        byte[] body = request.body();
        // Nothing to look up and nowhere else to send it: skip parsing (the normalizer checks the JSON anyway).
        boolean parse = fields.size() > 0 || !topic.isFixed() || fallbackTopic != null;
        String[] values = parse ? fields.extract(body) : new String[0];
        String target;
        if (values == null) {
            target = fallbackTopic != null ? fallbackTopic : topic.toString();
            values = new String[fields.size()];
        } else {
            String filled = topic.isFixed() ? topic.toString() : topic.fill(values);
            target = filled != null ? filled : fallbackTopic;
        }
        String eventId = eventIdHeader != null ? request.header(eventIdHeader) : eventSlot >= 0 ? values[eventSlot] : null;
        if (eventId == null || eventId.isEmpty()) {
            eventId = "sha256:" + sha256Hex(body);
        }
        String key = keySlot >= 0 && values[keySlot] != null && !values[keySlot].isEmpty() ? values[keySlot] : eventId;

        RecordHeaders headers = new RecordHeaders();
        new RawHeaders(source, eventId, receivedAt, traceparent.traceId(), name)
                .forEach((header, value) -> headers.add(header, value.getBytes(StandardCharsets.UTF_8)));
        headers.add(RawHeader.TRACEPARENT.key(), traceparent.format().getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(target, null, receivedAt, key.getBytes(StandardCharsets.UTF_8), body, headers);
    }

    private static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
