package io.syncline.normalizer.stream;

import java.util.List;

/**
 * Headers of a record in {@code dlq.normalizer}; the record keeps the original key, value and headers and gains
 * these (the {@code dlq.<stage>} row of the architecture).
 */
public final class DeadLetterHeaders {

    /** Java class of the failure, e.g. {@code io.syncline.mapping.MappingException}. */
    public static final String ERROR_CLASS = "syncline.error.class";
    /** What went wrong, for a person: names the field, the value's type and what was expected. */
    public static final String ERROR_MESSAGE = "syncline.error.message";
    /**
     * Which step failed: {@code parse}, {@code envelope}, {@code no-mapping}, {@code mapping}, {@code check} or
     * {@code schema}.
     */
    public static final String ERROR_REASON = "syncline.error.reason";
    /** The stage that dead-lettered the record: {@code normalizer}. */
    public static final String ERROR_STAGE = "syncline.error.stage";
    /** The mapping file that was applied (absent when none was selected). */
    public static final String MAPPING_FILE = "syncline.mapping.file";
    public static final String SOURCE_TOPIC = "syncline.source.topic";
    public static final String SOURCE_PARTITION = "syncline.source.partition";
    public static final String SOURCE_OFFSET = "syncline.source.offset";
    /** When the record first failed (ISO-8601), kept across replays. */
    public static final String FIRST_SEEN = "syncline.first-seen";
    /** 1 for the first failure; a replay re-injects with the next number. */
    public static final String ATTEMPT = "syncline.attempt";

    /** The headers the normalizer adds (and a replay removes before re-injecting), first-seen and attempt aside. */
    public static final List<String> ERROR_HEADERS = List.of(ERROR_CLASS, ERROR_MESSAGE, ERROR_REASON, ERROR_STAGE,
            MAPPING_FILE, SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET);

    public static final String STAGE = "normalizer";

    private DeadLetterHeaders() {
    }
}
