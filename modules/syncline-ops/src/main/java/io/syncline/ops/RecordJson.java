package io.syncline.ops;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Renders a Kafka record as one JSON line: topic, partition, offset, timestamp, key, headers, value.
 *
 * <p>A key or value in the Confluent wire format (magic byte 0, 4-byte schema id) is decoded through the schema
 * registry into JSON, with its schema id beside it ({@code keySchemaId}/{@code valueSchemaId}; when decoding fails,
 * the bytes as base64 and the reason in {@code keyError}/{@code valueError}); other bytes become embedded JSON when
 * they parse as JSON, a string when they are UTF-8 text, and {@code {"base64": "..."}} otherwise.
 * Header values are strings when they are UTF-8 text, else {@code {"base64": "..."}}.
 */
public final class RecordJson {

    /** Decodes Confluent wire-format bytes into JSON, or throws saying why it cannot. */
    public interface WireFormatDecoder {
        JsonNode decode(String topic, boolean isKey, byte[] bytes);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final WireFormatDecoder decoder;

    public RecordJson(WireFormatDecoder decoder) {
        this.decoder = decoder;
    }

    /** The record as one line of JSON (no newline). */
    public String render(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode line = NODES.objectNode();
        line.put("topic", record.topic());
        line.put("partition", record.partition());
        line.put("offset", record.offset());
        line.put("timestamp", record.timestamp() < 0 ? null : Instant.ofEpochMilli(record.timestamp()).toString());
        put(line, "key", record.topic(), true, record.key());
        ObjectNode headers = line.putObject("headers");
        for (Header h : record.headers()) {
            headers.set(h.key(), h.value() == null ? NODES.nullNode() : textOrBase64(h.value()));
        }
        put(line, "value", record.topic(), false, record.value());
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rendering a record of " + record.topic() + " as JSON", e);
        }
    }

    private void put(ObjectNode line, String field, String topic, boolean isKey, byte[] bytes) {
        if (bytes == null) {
            line.putNull(field);
            return;
        }
        if (bytes.length >= 5 && bytes[0] == 0) {
            line.put(field + "SchemaId", ByteBuffer.wrap(bytes, 1, 4).getInt());
            try {
                line.set(field, decoder.decode(topic, isKey, bytes));
            } catch (RuntimeException e) {
                // Shown, not skipped: the raw bytes and why they could not be decoded.
                line.put(field + "Error", String.valueOf(e.getMessage()));
                line.set(field, base64(bytes));
            }
            return;
        }
        line.set(field, jsonTextOrBase64(bytes));
    }

    /** Embedded JSON, else a string, else base64. */
    static JsonNode jsonTextOrBase64(byte[] bytes) {
        Optional<String> text = utf8(bytes);
        if (text.isEmpty()) {
            return base64(bytes);
        }
        String s = text.get().strip();
        if (!s.isEmpty() && (s.charAt(0) == '{' || s.charAt(0) == '[' || s.charAt(0) == '"')) {
            try {
                return JSON.readTree(s);
            } catch (JsonProcessingException e) {
                // Not JSON after all: keep it as text.
            }
        }
        return NODES.textNode(text.get());
    }

    static JsonNode textOrBase64(byte[] bytes) {
        return utf8(bytes).<JsonNode>map(NODES::textNode).orElseGet(() -> base64(bytes));
    }

    private static JsonNode base64(byte[] bytes) {
        return NODES.objectNode().put("base64", Base64.getEncoder().encodeToString(bytes));
    }

    /** Strict UTF-8 without control characters other than tab, CR and LF; else empty (treat as binary). */
    static Optional<String> utf8(byte[] bytes) {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return Optional.empty();
            }
        }
        return Optional.of(s);
    }
}
