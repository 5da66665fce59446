package io.syncline.sandbox.core;

import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON mapper of the sandboxes, plus the small tree helpers every simulator needs. */
public final class Json {

    /** Field order is insertion order, so objects serialize in the order the simulators build them. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Json() {
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("serializing a sandbox response", e);
        }
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("serializing a sandbox response", e);
        }
    }

    public static JsonNode read(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("parsing JSON", e);
        }
    }

    /**
     * The values {@code before} had for everything that differs in {@code after}, recursing into objects; a field
     * absent before is reported as {@code null}. This is the shape of Stripe's {@code previous_attributes}.
     */
    public static ObjectNode previousAttributes(ObjectNode before, ObjectNode after) {
        ObjectNode previous = object();
        for (Iterator<Map.Entry<String, JsonNode>> it = after.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode old = before.get(field.getKey());
            JsonNode now = field.getValue();
            if (old == null) {
                previous.set(field.getKey(), NullNode.instance);
            } else if (old.isObject() && now.isObject()) {
                ObjectNode nested = previousAttributes((ObjectNode) old, (ObjectNode) now);
                // A removed key inside a map (metadata) shows its old value too.
                for (Iterator<Map.Entry<String, JsonNode>> o = old.fields(); o.hasNext();) {
                    Map.Entry<String, JsonNode> f = o.next();
                    if (!now.has(f.getKey())) {
                        nested.set(f.getKey(), f.getValue().deepCopy());
                    }
                }
                if (!nested.isEmpty()) {
                    previous.set(field.getKey(), nested);
                }
            } else if (!old.equals(now)) {
                previous.set(field.getKey(), old.deepCopy());
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = before.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!after.has(field.getKey())) {
                previous.set(field.getKey(), field.getValue().deepCopy());
            }
        }
        return previous;
    }
}
