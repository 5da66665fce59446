package io.syncline.mapping;

/**
 * A record that a (valid) mapping cannot map, e.g. an amount that is not a whole number; the normalizer and the sinks
 * dead-letter the record with this message.
 */
public final class MappingException extends RuntimeException {

    private final String field;

    public MappingException(String field, String message) {
        super(field == null || field.isEmpty() ? message : field + ": " + message, null, false, false);
        this.field = field;
    }

    /** The field (dotted path) being mapped, or empty for record-level failures. */
    public String field() {
        return field == null ? "" : field;
    }
}
