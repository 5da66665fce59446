package io.syncline.testsupport.connect;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One record read back from a raw topic: key as text, value as the bytes written, headers as UTF-8 text. */
public record RawRecord(String topic, int partition, long offset, String key, byte[] value, Map<String, String> headers) {

    /** A header's value, or null when the record has none of that name. */
    public String header(String name) {
        return headers.get(name);
    }

    /** The value decoded as UTF-8. */
    public String valueText() {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }
}
