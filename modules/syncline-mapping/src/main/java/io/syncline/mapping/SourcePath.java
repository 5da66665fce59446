package io.syncline.mapping;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.json.Pointer;

/**
 * A source path, compiled once: a JSON Pointer (RFC 6901) split into segments ahead of time, relative to one of the
 * roots a mapping can read.
 *
 * <ul>
 *   <li>{@code /a/b} — relative to the current base: the provider object, or the element inside {@code each};</li>
 *   <li>{@code $object/a/b} — the provider object, also from inside {@code each};</li>
 *   <li>{@code $event/a/b} — the event envelope (absent for bare objects);</li>
 *   <li>{@code $item} — the current base itself (e.g. a string element of an array);</li>
 *   <li>{@code $envelope/<field>} — what the record's envelope declares: name, type, id, time, object-type,
 *       object-id;</li>
 *   <li>{@code $header/<name>} — a record header as text;</li>
 *   <li>{@code $record/key|topic|partition|offset|timestamp} — the record's key (as text) and coordinates.</li>
 * </ul>
 */
final class SourcePath {

    enum Root { CURRENT, OBJECT, EVENT, HEADER, RECORD }

    static final List<String> RECORD_FIELDS = List.of("key", "topic", "partition", "offset", "timestamp");

    private SourcePath() {
    }

    /** Which root a path reads and the segments under it (for the parser's path trie). */
    record Usage(Root root, String[] segments) {
    }

    /** The usage of a path that {@link #compile} accepted. */
    static Usage usage(String text) {
        if (text.startsWith("/")) {
            return new Usage(Root.CURRENT, segments(text));
        }
        if (text.equals("$item")) {
            return new Usage(Root.CURRENT, new String[0]);
        }
        if (text.equals("$object") || text.startsWith("$object/")) {
            return new Usage(Root.OBJECT, segments(text.substring("$object".length())));
        }
        if (text.equals("$event") || text.startsWith("$event/")) {
            return new Usage(Root.EVENT, segments(text.substring("$event".length())));
        }
        return new Usage(text.startsWith("$header/") ? Root.HEADER : Root.RECORD, new String[0]);
    }

    /** True when {@code text} is written as a path (and not as, say, a mistyped constant). */
    static boolean looksLikePath(String text) {
        return text.startsWith("/") || text.startsWith("$");
    }

    /**
     * Compiles {@code text} into an expression.
     *
     * @throws IllegalArgumentException with a message for the mapping author
     */
    static Typed compile(String text) {
        if (text.startsWith("/")) {
            return json(Root.CURRENT, segments(text));
        }
        if (text.equals("$item")) {
            return json(Root.CURRENT, new String[0]);
        }
        String[] roots = {"$object", "$event"};
        for (String root : roots) {
            if (text.equals(root) || text.startsWith(root + "/")) {
                String[] segs = segments(text.substring(root.length()));
                return json(root.equals("$object") ? Root.OBJECT : Root.EVENT, segs);
            }
        }
        if (text.startsWith("$header/") && text.length() > "$header/".length()) {
            String name = text.substring("$header/".length());
            return Typed.of(ValueKind.TEXT, ctx -> ctx.header(name));
        }
        if (text.startsWith("$envelope/")) {
            String field = text.substring("$envelope/".length());
            return switch (field) {
                case "name" -> Typed.of(ValueKind.TEXT, ctx -> ctx.envelope().name());
                case "type" -> Typed.of(ValueKind.TEXT, ctx -> ctx.envelope().type());
                case "id" -> Typed.of(ValueKind.TEXT, ctx -> ctx.envelope().id());
                case "time" -> Typed.of(ValueKind.TIMESTAMP, ctx -> ctx.envelope().time());
                case "object-type" -> Typed.of(ValueKind.TEXT, ctx -> ctx.envelope().objectType());
                case "object-id" -> Typed.of(ValueKind.TEXT, ctx -> ctx.envelope().objectId());
                default -> throw new IllegalArgumentException("unknown envelope field \"" + field + "\" in \"" + text
                        + "\"; expected one of $envelope/" + String.join(", $envelope/",
                        MappingContext.ENVELOPE_FIELDS));
            };
        }
        if (text.startsWith("$record/")) {
            String field = text.substring("$record/".length());
            return switch (field) {
                case "key" -> Typed.of(ValueKind.TEXT, MappingContext::key);
                case "topic" -> Typed.of(ValueKind.TEXT, MappingContext::topic);
                case "partition" -> Typed.of(ValueKind.INTEGER, ctx -> (long) ctx.partition());
                case "offset" -> Typed.of(ValueKind.INTEGER, MappingContext::offset);
                case "timestamp" -> Typed.of(ValueKind.TIMESTAMP, MappingContext::timestamp);
                default -> throw new IllegalArgumentException("unknown record field \"" + field + "\" in \"" + text
                        + "\"; expected one of $record/" + String.join(", $record/", RECORD_FIELDS));
            };
        }
        throw new IllegalArgumentException("\"" + text + "\" is not a source path; expected a JSON Pointer such as"
                + " /amount (relative to the object), $object/…, $event/…, $item, $envelope/<field>, $header/<name> or"
                + " $record/<field>");
    }

    private static String[] segments(String pointer) {
        return Pointer.parse(pointer).names();
    }

    private static Typed json(Root root, String[] segments) {
        int[] indexes = new int[segments.length];
        for (int i = 0; i < segments.length; i++) {
            indexes[i] = Pointer.index(segments[i]);
        }
        Expr expr = switch (root) {
            case CURRENT -> ctx -> walk(ctx.current(), segments, indexes);
            case OBJECT -> ctx -> walk(ctx.object(), segments, indexes);
            case EVENT -> ctx -> walk(ctx.event(), segments, indexes);
            default -> throw new AssertionError(root);
        };
        return Typed.of(ValueKind.JSON, expr);
    }

    /** Follows the pre-split segments; a missing member or JSON null yields null. */
    static JsonNode walk(JsonNode node, String[] segments, int[] indexes) {
        for (int i = 0; i < segments.length && node != null; i++) {
            if (node.isObject()) {
                node = node.get(segments[i]);
            } else if (node.isArray() && indexes[i] >= 0) {
                node = node.get(indexes[i]);
            } else {
                return null;
            }
        }
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }
}
