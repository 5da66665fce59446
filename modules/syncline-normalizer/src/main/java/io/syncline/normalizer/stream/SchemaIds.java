package io.syncline.normalizer.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.avro.Schema;

/**
 * Gives the registry id under which a canonical schema is registered, for the Confluent wire format (magic byte 0,
 * 4-byte schema id, Avro binary). Resolved once per schema at start, never per record.
 */
@FunctionalInterface
public interface SchemaIds {

    /**
     * The id of {@code schema} under {@code subject} ({@code <topic>-value}), registering it when the implementation
     * does so.
     */
    int idOf(String subject, Schema schema);

    /** Ids handed out in memory, 1, 2, 3…: for tests and {@code syncline mappings test}, where no registry runs. */
    static SchemaIds inMemory() {
        Map<String, Integer> ids = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        return (subject, schema) -> ids.computeIfAbsent(schema.toString(), s -> next.incrementAndGet());
    }
}
