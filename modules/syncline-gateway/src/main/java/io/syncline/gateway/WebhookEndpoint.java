package io.syncline.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * One configured endpoint, compiled once at start: its verifier, accepted content types, how it picks the topic (a
 * fixed name, a template checked against the allow-list, or routes) and the pointers that find the Kafka key and the
 * event id, within each event when a body is a batch.
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
    private final Set<String> allowed;
    private final int routeSlot;
    private final Map<String, String> routes;
    private final boolean batch;

    WebhookEndpoint(WebhookEndpointConfig config, List<Secret> secrets, Duration replayWindow, JsonFactory json) {
        this.name = config.name();
        this.scheme = config.scheme();
        this.verifier = SignatureVerifier.create(config.scheme(), secrets, replayWindow);
        this.contentTypes = config.contentTypes().toArray(String[]::new);
        this.topic = TopicTemplate.parse(config.routed() ? "" : config.topic());
        this.fallbackTopic = config.fallbackTopic().isEmpty() ? null : config.fallbackTopic();
        this.allowed = Set.copyOf(config.topics());
        this.routes = new LinkedHashMap<>(config.routes());
        this.batch = WebhookEndpointConfig.BATCH_ARRAY.equals(config.effectiveBatch());
        List<String> pointers = new ArrayList<>(topic.pointers());
        this.routeSlot = config.routed() ? pointers.size() : -1;
        if (config.routed()) {
            pointers.add(config.route());
        }
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

    /** True when the topic depends on the payload (a template or routes), so the body must be read. */
    private boolean picksTopic() {
        return routeSlot >= 0 || !topic.isFixed();
    }

    /**
     * The records for one verified request: one, or one per event when the endpoint takes batches (a JSON array of
     * events, each written with its own bytes, key, event id and topic, and the {@code syncline.batch-*} headers).
     * The value is always the bytes as received (a batch's element exactly as it stood in the body).
     *
     * <p>Whatever cannot be routed (a body that is not valid JSON, a template that cannot be filled or fills a topic
     * not on the allow-list, a value no route takes) goes to the fallback topic: it is authentic, so it is kept and
     * ends in the DLQ at normalization rather than being dropped here, and the sender never names a topic.
     */
    List<ProducerRecord<byte[], byte[]>> records(SignedRequest request, Traceparent traceparent, long receivedAt) {
        byte[] body = request.body();
        if (batch) {
            List<JsonFields.Element> events = fields.extractEach(body);
            if (events != null) {
                return batchRecords(request, body, events, traceparent, receivedAt);
            }
        }
        // Nothing to look up and nowhere else to send it: skip parsing (the normalizer checks the JSON anyway).
        boolean parse = fields.size() > 0 || picksTopic() || fallbackTopic != null;
        String[] values = parse && !batch ? fields.extract(body) : null;
        String target;
        if (values == null) {
            target = fallbackTopic != null ? fallbackTopic : topic.toString();
            values = new String[fields.size()];
        } else {
            target = topicFor(values);
        }
        String eventId = eventId(request, values, body, -1);
        String key = key(values, eventId);
        return List.of(record(target, key, body, headers(eventId, traceparent, receivedAt), receivedAt));
    }

    private List<ProducerRecord<byte[], byte[]>> batchRecords(SignedRequest request, byte[] body,
            List<JsonFields.Element> events, Traceparent traceparent, long receivedAt) {
        String batchId = "sha256:" + sha256Hex(body);
        byte[] size = Integer.toString(events.size()).getBytes(StandardCharsets.UTF_8);
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            JsonFields.Element e = events.get(i);
            byte[] value = Arrays.copyOfRange(body, e.start(), e.end());
            String[] values = e.values();
            String eventId = eventId(request, values, value, i);
            RecordHeaders headers = headers(eventId, traceparent, receivedAt);
            headers.add(RawHeader.BATCH_ID.key(), batchId.getBytes(StandardCharsets.UTF_8));
            headers.add(RawHeader.BATCH_INDEX.key(), Integer.toString(i).getBytes(StandardCharsets.UTF_8));
            headers.add(RawHeader.BATCH_SIZE.key(), size);
            out.add(record(topicFor(values), key(values, eventId), value, headers, receivedAt));
        }
        return out;
    }

    /** The topic for a payload whose pointer values are {@code values}: routed, templated (allow-listed) or fixed. */
    private String topicFor(String[] values) {
        if (routeSlot >= 0) {
            String v = values[routeSlot];
            if (v != null) {
                for (Map.Entry<String, String> r : routes.entrySet()) {
                    if (globMatches(r.getKey(), v)) {
                        return r.getValue();
                    }
                }
            }
            return fallbackTopic;
        }
        if (topic.isFixed()) {
            return topic.toString();
        }
        String filled = topic.fill(values);
        return filled != null && allowed.contains(filled) ? filled : fallbackTopic;
    }

    /** The provider's event id; else a digest of the bytes, so that identical redeliveries still dedupe. */
    private String eventId(SignedRequest request, String[] values, byte[] bytes, int index) {
        String eventId = null;
        if (eventIdHeader != null) {
            String h = request.header(eventIdHeader);
            // One delivery id for a whole batch: each event gets its own.
            eventId = h == null || h.isEmpty() || index < 0 ? h : h + "#" + index;
        } else if (eventSlot >= 0) {
            eventId = values[eventSlot];
        }
        return eventId == null || eventId.isEmpty() ? "sha256:" + sha256Hex(bytes) : eventId;
    }

    private String key(String[] values, String eventId) {
        return keySlot >= 0 && values[keySlot] != null && !values[keySlot].isEmpty() ? values[keySlot] : eventId;
    }

    private RecordHeaders headers(String eventId, Traceparent traceparent, long receivedAt) {
        RecordHeaders headers = new RecordHeaders();
        new RawHeaders(source, eventId, receivedAt, traceparent.traceId(), name)
                .forEach((header, value) -> headers.add(header, value.getBytes(StandardCharsets.UTF_8)));
        headers.add(RawHeader.TRACEPARENT.key(), traceparent.format().getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value,
            RecordHeaders headers, long receivedAt) {
        return new ProducerRecord<>(topic, null, receivedAt, key.getBytes(StandardCharsets.UTF_8), value, headers);
    }

    /** Glob match where {@code *} stands for any text (route patterns such as {@code contact.*}). */
    static boolean globMatches(String pattern, String text) {
        int star = pattern.indexOf('*');
        if (star < 0) {
            return pattern.equals(text);
        }
        if (!text.startsWith(pattern.substring(0, star))) {
            return false;
        }
        String rest = pattern.substring(star + 1);
        for (int i = star; i <= text.length(); i++) {
            if (globMatches(rest, text.substring(i))) {
                return true;
            }
        }
        return false;
    }

    private static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
