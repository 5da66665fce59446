package io.syncline.mapping;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;

/**
 * One entry of the mapping language: its name, documentation and how it compiles. The registry
 * ({@link Transforms#ALL}) is the single source of the language reference in {@code docs/mappings.md}.
 *
 * @param name the YAML key that selects it, e.g. {@code timestamp}
 * @param syntax how it is written, e.g. {@code {timestamp: <expr>, from: unix-seconds}}
 * @param doc what it does, including what it does with null and bad input
 * @param options keys allowed beside {@code name}
 * @param role where it may be used
 * @param value compiles it where any value is expected (null when only a field can be its target)
 * @param field compiles it against a canonical field's Avro type (null when the generic conversion applies)
 * @param json compiles it as a member of a JSON target (null when its plain value is converted to JSON, or, for a
 *     transform without a value compiler, when it cannot build JSON)
 * @param jsonDoc what it produces in a JSON target, when that differs from its plain value (else null)
 */
record Transform(String name, String syntax, String doc, List<String> options, Role role,
        ValueCompiler value, FieldCompiler field, JsonCompiler json, String jsonDoc) {

    /** A transform that produces a plain value anywhere, and that value (as JSON) in a JSON target. */
    static Transform value(String name, String syntax, String doc, List<String> options, ValueCompiler value) {
        return new Transform(name, syntax, doc, options, Role.VALUE, value, null, null, null);
    }

    /** Where a transform may be used. */
    enum Role {
        /** Produces a plain value (text, number, timestamp, …); converted to the field's type. */
        VALUE,
        /** Shapes a value for a specific Avro type (enum, record, array, map): only directly under a field. */
        FIELD,
        /** Either: compiled against the field's type when it is one, else as a plain value. */
        BOTH
    }

    @FunctionalInterface
    interface ValueCompiler {
        Typed compile(ExprCompiler c, ObjectNode node, String path);
    }

    @FunctionalInterface
    interface FieldCompiler {
        /** Returns an expression producing a value valid for {@code target} (never a union) or null. */
        Expr compile(ExprCompiler c, ObjectNode node, String path, Schema target, String label);
    }

    @FunctionalInterface
    interface JsonCompiler {
        /** Returns an expression producing a {@link com.fasterxml.jackson.databind.JsonNode} or null. */
        Expr compile(ExprCompiler c, ObjectNode node, String path, String label);
    }
}
