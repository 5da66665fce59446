package io.syncline.normalizer.mapping;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.syncline.mapping.Expr;
import io.syncline.mapping.ExprCompiler;
import io.syncline.mapping.RecordExpr;
import io.syncline.mapping.envelope.Envelope;
import io.syncline.normalizer.mapping.TargetCatalog.Target;
import io.syncline.raw.RawHeader;
import org.apache.avro.Schema;

/** Compiles the top level of a mapping file: source selection, target, identity, time, and the fields. */
final class MappingFileCompiler {

    static final String DEFAULT_TRACE_HEADER = "$header/" + RawHeader.TRACE_ID.key();

    private MappingFileCompiler() {
    }

    static CompiledMapping compile(ExprCompiler c, ObjectNode root, String name, String file, TargetCatalog catalog,
            EnvelopeCatalog envelopeCatalog) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!MappingCompiler.TOP_LEVEL_KEYS.contains(key)) {
                c.problem(key, "unknown key \"" + key + "\"; expected one of "
                        + String.join(", ", MappingCompiler.TOP_LEVEL_KEYS));
            }
        }
        // source
        String topic = null;
        String object = null;
        List<String> events = null;
        boolean bare = true;
        List<Envelope> envelopes = new ArrayList<>();
        JsonNode source = root.get("source");
        if (source == null || !source.isObject()) {
            c.problem("source", "expected source: {topic: raw.<system>.<object>, object: <type>, events: [<type>,"
                    + " …]}");
        } else {
            for (Iterator<String> it = source.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!MappingCompiler.SOURCE_KEYS.contains(key)) {
                    c.problem("source." + key, "unknown key \"" + key + "\"; expected one of "
                            + String.join(", ", MappingCompiler.SOURCE_KEYS));
                }
            }
            topic = text(c, source.get("topic"), "source.topic", "[A-Za-z0-9._-]+", "a Kafka topic name");
            if (source.has("object")) {
                object = text(c, source.get("object"), "source.object", "[A-Za-z0-9._-]+",
                        "the provider object type, e.g. charge");
            }
            JsonNode ev = source.get("events");
            if (ev != null) {
                events = new ArrayList<>();
                if (!ev.isArray() || ev.isEmpty()) {
                    c.problem("source.events", "expected a list of event types, e.g. [charge.succeeded, charge.*]");
                } else {
                    for (int i = 0; i < ev.size(); i++) {
                        // ':' for Zendesk's event types (zen:event-type:ticket.created).
                        String t = text(c, ev.get(i), "source.events[" + i + "]", "[A-Za-z0-9._:*-]+",
                                "an event type or a pattern with *");
                        if (t != null) {
                            events.add(t);
                        }
                    }
                }
            }
            envelopes = envelopes(c, source.get("envelopes"), name, envelopeCatalog);
            JsonNode b = source.get("bare");
            if (b != null) {
                if (!b.isBoolean()) {
                    c.problem("source.bare", "expected true or false");
                } else {
                    bare = b.booleanValue();
                }
            }
        }
        // target
        Target target = null;
        JsonNode t = root.get("target");
        if (t == null || !t.isTextual()) {
            c.problem("target", "expected the canonical entity, one of " + String.join(", ", catalog.names()));
        } else {
            target = catalog.find(t.textValue()).orElse(null);
            if (target == null) {
                c.problem("target", "unknown canonical entity \"" + t.textValue() + "\"; expected one of "
                        + String.join(", ", catalog.names()));
            }
        }
        String system = text(c, root.get("system"), "system", "[a-z][a-z0-9-]*",
                "the source system in lower case, e.g. stripe");
        c.system(system == null ? "" : system);

        Expr id = required(c, root, "source-id", ExprCompiler.STRING, "the source id, e.g. source-id: /id");
        Expr key = root.has("key") ? c.field(root.get("key"), "key", ExprCompiler.STRING, "key") : null;
        Expr updatedAt = required(c, root, "updated-at", ExprCompiler.TIMESTAMP,
                "when the source last changed, e.g. {timestamp: $event/created, from: unix-seconds}");
        Expr eventId = root.has("event-id")
                ? c.field(root.get("event-id"), "event-id", ExprCompiler.OPTIONAL_STRING, "event-id") : null;
        JsonNode traceNode = root.has("trace-id") ? root.get("trace-id")
                : TextNode.valueOf(DEFAULT_TRACE_HEADER);
        Expr traceId = c.field(traceNode, "trace-id", ExprCompiler.OPTIONAL_STRING, "trace-id");
        Expr deleteWhen = root.has("delete-when")
                ? c.field(root.get("delete-when"), "delete-when", ExprCompiler.BOOLEAN, "delete-when") : null;
        List<VersionKey> version = root.has("version") ? version(c, root.get("version")) : List.of();

        RecordExpr fields = null;
        int metadataPos = -1;
        MetadataWriter metadata = null;
        if (target != null) {
            Schema schema = target.schema();
            metadataPos = MetadataWriter.position(schema);
            Set<String> skip = metadataPos < 0 ? Set.of() : Set.of(schema.getFields().get(metadataPos).name());
            Set<String> auto = schema.getField(CompiledMapping.ID_FIELD) == null ? Set.of()
                    : Set.of(CompiledMapping.ID_FIELD);
            if (metadataPos >= 0) {
                metadata = MetadataWriter.compile(c, ExprCompiler.nonNull(schema.getFields().get(metadataPos)
                        .schema()), "target");
            }
            if (!root.has("fields")) {
                c.problem("fields", "expected fields: {<canonical field>: <expr>, …} for " + schema.getFullName());
            } else {
                fields = c.record(root.get("fields"), "fields", schema, "", skip, auto);
            }
        }
        FieldChecks checks = target == null ? FieldChecks.none()
                : FieldChecks.compile(root.get("checks"), target.schema(), c);
        int[] contentFields = merging(c, root, envelopes, target, metadataPos);
        return new CompiledMapping(name, file, topic, object, events, bare, target, system, id, key, updatedAt,
                version, eventId, traceId, deleteWhen, fields, metadataPos, metadata, c.objectPaths(),
                c.eventPaths(), new CompiledMapping.Sourcing(envelopes, checks, contentFields));
    }

    /**
     * The envelopes {@code source.envelopes} names; when it names none, those declared beside the mapping (in its
     * directory's envelopes.yaml), else the bare envelope (the value is the object).
     */
    private static List<Envelope> envelopes(ExprCompiler c, JsonNode node, String name, EnvelopeCatalog catalog) {
        List<Envelope> out = new ArrayList<>();
        if (node == null) {
            int slash = name.lastIndexOf('/');
            out.addAll(catalog.inDirectory(slash < 0 ? "" : name.substring(0, slash)));
            if (out.isEmpty()) {
                out.add(Envelope.bare());
            }
            return out;
        }
        if (!node.isArray() || node.isEmpty()) {
            c.problem("source.envelopes", "expected a list of envelope names, e.g. [stripe-event, stripe-object]");
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode n = node.get(i);
            Envelope e = n.isTextual() ? catalog.find(n.textValue()) : null;
            if (e == null) {
                c.problem("source.envelopes[" + i + "]", "unknown envelope \"" + n.asText() + "\"; "
                        + (catalog.names().isEmpty() ? "no envelopes are declared (mappings/<provider>/"
                        + EnvelopeCatalog.FILE_NAME + ")" : "declared: " + String.join(", ", catalog.names())));
            } else if (out.contains(e)) {
                c.problem("source.envelopes[" + i + "]", "envelope " + e.name() + " is named twice");
            } else {
                out.add(e);
            }
        }
        List<Envelope> takeAll = out.stream().filter(Envelope::takesAll).toList();
        if (takeAll.size() > 1) {
            c.problem("source.envelopes", "envelopes " + takeAll.stream().map(Envelope::name).toList() + " have no"
                    + " when, so each takes every record; at most one may (it is tried last)");
        }
        return out;
    }

    /**
     * For a mapping one of whose envelopes carries single property changes: checks what merging needs and returns the
     * fields whose content tells a new version (all but the metadata and {@code dedupe.ignore}); null otherwise.
     */
    private static int[] merging(ExprCompiler c, ObjectNode root, List<Envelope> envelopes, Target target,
            int metadataPos) {
        boolean merges = envelopes.stream().anyMatch(e -> e.change() != null);
        JsonNode dedupe = root.get("dedupe");
        if (!merges) {
            if (dedupe != null) {
                c.problem("dedupe", "dedupe applies to mappings that merge single property changes (an envelope"
                        + " with change:); this mapping drops duplicates by event id and updated-at");
            }
            return null;
        }
        for (Envelope e : envelopes) {
            if (!e.declaresObjectId() || !e.declaresTime()) {
                c.problem("source.envelopes", "envelope " + e.name() + " must declare object-id and time: this"
                        + " mapping merges single property changes into the latest full version of each object, so"
                        + " every record it takes must say which object and which version it is");
            }
        }
        Set<String> ignore = new java.util.HashSet<>();
        if (dedupe != null) {
            JsonNode ig = dedupe.get("ignore");
            if (!dedupe.isObject() || ig == null || !ig.isArray()
                    || dedupe.size() != 1) {
                c.problem("dedupe", "expected {ignore: [<canonical field>, …]}: fields left out when comparing a"
                        + " version with the last one emitted (e.g. updated_at, which a webhook and a poll of the"
                        + " same change may set differently)");
            } else {
                for (int i = 0; i < ig.size(); i++) {
                    String f = ig.get(i).asText();
                    if (target != null && target.schema().getField(f) == null) {
                        c.problem("dedupe.ignore[" + i + "]", "no field \"" + f + "\" in "
                                + target.schema().getFullName());
                    }
                    ignore.add(f);
                }
            }
        }
        if (target == null) {
            return new int[0];
        }
        return target.schema().getFields().stream()
                .filter(f -> f.pos() != metadataPos && !ignore.contains(f.name()))
                .mapToInt(Schema.Field::pos).toArray();
    }

    private static final Schema OPTIONAL_LONG = Schema.createUnion(Schema.create(Schema.Type.NULL),
            Schema.create(Schema.Type.LONG));

    /**
     * {@code version: [{rank: <expr>, order: [a, [b, c], d]}, {grows: <expr>}, …]}: what orders versions of the
     * same updated-at, in turn.
     */
    private static List<VersionKey> version(ExprCompiler c, JsonNode node) {
        List<VersionKey> keys = new ArrayList<>();
        if (!node.isArray() || node.isEmpty() || node.size() > 16) {
            c.problem("version", "expected a list of {rank: <expr>, order: [<value>, [<value>, …], …]} or "
                    + "{grows: <expr>} entries (at most 16), e.g. [{rank: $envelope/type, order: [charge.pending, "
                    + "charge.succeeded]}]");
            return keys;
        }
        for (int i = 0; i < node.size(); i++) {
            String at = "version[" + i + "]";
            JsonNode entry = node.get(i);
            if (entry.isObject() && entry.has("rank") && entry.size() == 2 && entry.has("order")) {
                Expr expr = c.field(entry.get("rank"), at + ".rank", ExprCompiler.OPTIONAL_STRING, at + ".rank");
                keys.add(new VersionKey.Rank(expr, order(c, entry.get("order"), at + ".order")));
            } else if (entry.isObject() && entry.has("grows") && entry.size() == 1) {
                keys.add(new VersionKey.Grows(c.field(entry.get("grows"), at + ".grows", OPTIONAL_LONG,
                        at + ".grows")));
            } else {
                c.problem(at, "expected {rank: <expr>, order: [<value>, [<values of the same rank>], …]} or "
                        + "{grows: <expr of a whole number that only grows>}, got " + entry);
            }
        }
        return keys;
    }

    /** Positions from 1 in list order; a nested list puts its values at one position. */
    private static Map<String, Integer> order(ExprCompiler c, JsonNode node, String at) {
        Map<String, Integer> positions = new LinkedHashMap<>();
        if (node == null || !node.isArray() || node.isEmpty()) {
            c.problem(at, "expected the values from oldest to newest, e.g. [created, [failed, succeeded]]");
            return positions;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            List<JsonNode> same = new ArrayList<>();
            if (item.isArray()) {
                item.forEach(same::add);
            } else {
                same.add(item);
            }
            for (JsonNode v : same) {
                if (!v.isTextual() || v.textValue().isEmpty()) {
                    c.problem(at + "[" + i + "]", "expected text or a list of text, got " + v);
                } else if (positions.putIfAbsent(v.textValue(), i + 1) != null) {
                    c.problem(at + "[" + i + "]", "\"" + v.textValue() + "\" is listed twice; each value has one rank");
                }
            }
        }
        return positions;
    }

    private static Expr required(ExprCompiler c, ObjectNode root, String key, Schema schema, String hint) {
        if (!root.has(key)) {
            c.problem(key, "missing " + key + ": " + hint);
            return ExprCompiler.ERROR_EXPR;
        }
        return c.field(root.get(key), key, schema, key);
    }

    private static String text(ExprCompiler c, JsonNode node, String key, String regex, String expected) {
        if (node == null || !node.isTextual() || !node.textValue().matches(regex)) {
            c.problem(key, "expected " + expected + (node == null ? "" : ", got \"" + node.asText() + "\""));
            return null;
        }
        return node.textValue();
    }
}
