package io.syncline.schemas;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;

/**
 * Checks a new version of a schema against a released one with Avro's {@link SchemaCompatibility} and reports each
 * incompatibility by field name instead of Avro's JSON-pointer locations.
 *
 * <p>Canonical topics are read by subscribers that upgrade at their own pace, and compacted topics keep records
 * written with every earlier version, so Syncline requires both directions ({@link #full}): the new schema reads
 * released data (BACKWARD) and readers on the released schema read new data (FORWARD).
 */
public final class CompatibilityChecker {

    /** Which side of a schema change has to read what the other side wrote. */
    public enum Direction {
        /** The new schema reads data written with the released schema. */
        BACKWARD("the new schema cannot read data written with the released schema"),
        /** Readers still on the released schema read data written with the new schema. */
        FORWARD("readers on the released schema cannot read data written with the new schema");

        private final String consequence;

        Direction(String consequence) {
            this.consequence = consequence;
        }

        /** What breaks when a problem in this direction ships. */
        public String consequence() {
            return consequence;
        }
    }

    private CompatibilityChecker() {
    }

    /** Problems in both directions; empty when {@code current} may replace {@code released} within a major version. */
    public static List<CompatibilityProblem> full(Schema current, Schema released) {
        return check(current, released, Set.of(Direction.BACKWARD, Direction.FORWARD));
    }

    /** Problems for the given directions, BACKWARD ones first. */
    public static List<CompatibilityProblem> check(Schema current, Schema released, Set<Direction> directions) {
        List<CompatibilityProblem> problems = new ArrayList<>();
        if (directions.contains(Direction.BACKWARD)) {
            problems.addAll(explain(current, released, current.getName(), Direction.BACKWARD));
        }
        if (directions.contains(Direction.FORWARD)) {
            problems.addAll(explain(released, current, current.getName(), Direction.FORWARD));
        }
        return problems;
    }

    private static List<CompatibilityProblem> explain(Schema reader, Schema writer, String rootPath,
                                                      Direction direction) {
        // Avro memoizes sub-results, so the same incompatibility can come back more than once: keep one per text.
        Map<String, CompatibilityProblem> problems = new LinkedHashMap<>();
        for (Incompatibility incompatibility : SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
                .getResult().getIncompatibilities()) {
            for (CompatibilityProblem problem : locate(reader, writer, rootPath, direction, incompatibility)) {
                problems.putIfAbsent(problem.describe(), problem);
            }
        }
        return List.copyOf(problems.values());
    }

    /** Walks Avro's location ({@code /fields/3/type/1}) through reader and writer, naming the fields on the way. */
    private static List<CompatibilityProblem> locate(Schema reader, Schema writer, String rootPath, Direction direction,
                                                     Incompatibility incompatibility) {
        String[] tokens = incompatibility.getLocation().replaceFirst("^/", "").split("/");
        StringBuilder path = new StringBuilder(rootPath);
        Schema r = reader;
        Schema w = writer;
        int i = 0;
        while (i < tokens.length && !tokens[i].isEmpty()) {
            String token = tokens[i];
            if (token.equals("fields") && i + 1 < tokens.length && r.getType() == Schema.Type.RECORD) {
                Schema.Field readerField = r.getFields().get(Integer.parseInt(tokens[i + 1]));
                path.append('.').append(readerField.name());
                Schema.Field writerField = w == null || w.getType() != Schema.Type.RECORD
                        ? null : SchemaCompatibility.lookupWriterField(w, readerField);
                r = readerField.schema();
                w = writerField == null ? null : writerField.schema();
                i += (i + 2 < tokens.length && tokens[i + 2].equals("type")) ? 3 : 2;
            } else if (token.equals("items") && r.getType() == Schema.Type.ARRAY) {
                path.append("[]");
                r = r.getElementType();
                w = w == null || w.getType() != Schema.Type.ARRAY ? null : w.getElementType();
                i++;
            } else if (token.equals("values") && r.getType() == Schema.Type.MAP) {
                path.append("{}");
                r = r.getValueType();
                w = w == null || w.getType() != Schema.Type.MAP ? null : w.getValueType();
                i++;
            } else if (token.chars().allMatch(Character::isDigit) && w != null && w.getType() == Schema.Type.UNION) {
                // A union index in Avro's location counts the writer's branches.
                w = w.getTypes().get(Integer.parseInt(token));
                i++;
            } else {
                // "symbols", "name", "size": the incompatibility sits on the type reached so far.
                break;
            }
        }
        Schema writerType = w != null ? w : incompatibility.getWriterFragment();
        if (incompatibility.getType() == SchemaIncompatibilityType.MISSING_UNION_BRANCH) {
            List<CompatibilityProblem> inner = insideSameNamedBranch(r, writerType, path.toString(), direction);
            if (!inner.isEmpty()) {
                return inner;
            }
        }
        return List.of(new CompatibilityProblem(direction, path.toString(), incompatibility.getType(),
                explanation(incompatibility, r, writerType, direction)));
    }

    /**
     * Avro reports a changed record inside an optional field only as a missing union branch; when the union still
     * holds a type of the same name, the real problem is inside it, so look there.
     */
    private static List<CompatibilityProblem> insideSameNamedBranch(Schema reader, Schema writerBranch, String path,
                                                                    Direction direction) {
        if (writerBranch == null || reader == null) {
            return List.of();
        }
        List<Schema> readerBranches = reader.getType() == Schema.Type.UNION ? reader.getTypes() : List.of(reader);
        for (Schema readerBranch : readerBranches) {
            boolean sameNamed = isNamed(readerBranch) && isNamed(writerBranch)
                    && readerBranch.getFullName().equals(writerBranch.getFullName());
            boolean sameContainer = readerBranch.getType() == writerBranch.getType()
                    && (readerBranch.getType() == Schema.Type.ARRAY || readerBranch.getType() == Schema.Type.MAP);
            if (sameNamed || sameContainer) {
                return explain(readerBranch, writerBranch, path, direction);
            }
        }
        return List.of();
    }

    private static String explanation(Incompatibility incompatibility, Schema reader, Schema writer,
                                      Direction direction) {
        Schema released = direction == Direction.BACKWARD ? writer : reader;
        Schema current = direction == Direction.BACKWARD ? reader : writer;
        return switch (incompatibility.getType()) {
            case READER_FIELD_MISSING_DEFAULT_VALUE -> direction == Direction.BACKWARD
                    ? "field added without a default"
                    : "field removed although the released schema has no default for it";
            case TYPE_MISMATCH -> "type changed from " + describe(released) + " to " + describe(current);
            case MISSING_UNION_BRANCH -> direction == Direction.BACKWARD
                    ? "the new type " + describe(current) + " cannot hold " + describe(released)
                            + " written with the released schema"
                    : "the released type " + describe(released) + " cannot hold " + describe(current)
                            + " written with the new schema";
            case MISSING_ENUM_SYMBOLS -> direction == Direction.BACKWARD
                    ? "enum symbols " + incompatibility.getMessage()
                            + " were removed and the new enum has no default symbol"
                    : "enum symbols " + incompatibility.getMessage()
                            + " were added but the released enum has no default symbol to read them as";
            case NAME_MISMATCH -> "named type renamed from " + incompatibility.getWriterFragment().getFullName()
                    + " to " + incompatibility.getReaderFragment().getFullName();
            case FIXED_SIZE_MISMATCH -> "fixed size changed (" + incompatibility.getMessage() + ")";
        };
    }

    private static boolean isNamed(Schema schema) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> true;
            default -> false;
        };
    }

    private static String describe(Schema schema) {
        if (schema == null) {
            return "?";
        }
        if (schema.getType() == Schema.Type.UNION) {
            return schema.getTypes().stream().map(CompatibilityChecker::describe).toList().toString();
        }
        if (isNamed(schema)) {
            return schema.getName();
        }
        LogicalType logical = schema.getLogicalType();
        return logical == null ? schema.getType().getName()
                : schema.getType().getName() + " (" + logical.getName() + ")";
    }
}
