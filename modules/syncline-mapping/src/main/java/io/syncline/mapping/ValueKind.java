package io.syncline.mapping;

/**
 * What an expression produces, known when the mapping is compiled, so that a mapping that can never produce a value
 * of a field's Avro type is refused at start rather than failing on every record.
 */
public enum ValueKind {
    /** A JSON value from the source ({@code JsonNode}); its JSON type is only known per record. */
    JSON("a JSON value"),
    /** Text ({@code String}). */
    TEXT("text"),
    /** A whole number ({@code Long}). */
    INTEGER("a whole number"),
    /** A number with a fraction ({@code Double}). */
    DECIMAL("a decimal number"),
    /** {@code Boolean}. */
    BOOLEAN("true/false"),
    /** An instant in epoch milliseconds ({@code Long}). */
    TIMESTAMP("a timestamp"),
    /** A value already shaped for its Avro target (enum symbol, record, array, map, or from a Java function). */
    AVRO("an Avro value");

    private final String description;

    ValueKind(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
