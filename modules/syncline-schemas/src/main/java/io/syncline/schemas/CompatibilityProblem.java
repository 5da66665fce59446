package io.syncline.schemas;

import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;

/**
 * One reason why a new schema cannot replace a released one, located by field path.
 *
 * @param direction   which readers break: the new schema reading old data, or old readers reading new data
 * @param path        where, by field names from the record down, e.g. {@code Payment.amount.currency};
 *                    {@code []} steps into array items and {@code {}} into map values
 * @param type        Avro's classification of the incompatibility
 * @param explanation what changed, in words
 */
public record CompatibilityProblem(CompatibilityChecker.Direction direction, String path,
                                   SchemaIncompatibilityType type, String explanation) {

    /** One line naming the field, the change and who breaks, e.g. for a build failure. */
    public String describe() {
        return path + ": " + explanation + " [" + type + "; " + direction.consequence() + "]";
    }

    @Override
    public String toString() {
        return describe();
    }
}
