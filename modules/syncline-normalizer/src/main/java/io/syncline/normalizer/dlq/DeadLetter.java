package io.syncline.normalizer.dlq;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.syncline.normalizer.stream.DeadLetterHeaders;

/**
 * One record of a dead-letter topic, as read back.
 *
 * @param partition its partition in the DLQ
 * @param offset its offset in the DLQ
 * @param timestamp its Kafka timestamp (the original record's)
 * @param key the original key
 * @param value the original value
 * @param headers all headers as text, the original ones and the error ones, in order
 */
public record DeadLetter(int partition, long offset, long timestamp, byte[] key, byte[] value,
        Map<String, String> headers) {

    /** {@code <partition>:<offset>}, how commands name a dead letter. */
    public String position() {
        return partition + ":" + offset;
    }

    public String header(String name) {
        return headers.get(name);
    }

    public String reason() {
        return headers.getOrDefault(DeadLetterHeaders.ERROR_REASON, "");
    }

    public String message() {
        return headers.getOrDefault(DeadLetterHeaders.ERROR_MESSAGE, "");
    }

    public String mappingFile() {
        return headers.getOrDefault(DeadLetterHeaders.MAPPING_FILE, "");
    }

    public String sourceTopic() {
        return headers.get(DeadLetterHeaders.SOURCE_TOPIC);
    }

    public int attempt() {
        try {
            return Integer.parseInt(headers.getOrDefault(DeadLetterHeaders.ATTEMPT, "1"));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    public String keyText() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    public String valueText() {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }
}
