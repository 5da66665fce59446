package io.syncline.registry.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.registry.server.RegistryState.Reference;

/**
 * Data contracts as Confluent's registry keeps them: schema {@code metadata} ({@code tags}, {@code properties},
 * {@code sensitive}) and {@code ruleSet} ({@code migrationRules}, {@code domainRules}, {@code encodingRules},
 * {@code enableAt}).
 *
 * <p>The registry does not run rules (clients do); it stores them, returns them and lets them take part in a schema's
 * identity. Both are normalised the way Confluent's entities normalise them on the way in (tags, properties, params
 * sorted; a rule's {@code kind} defaulting to TRANSFORM, {@code mode} to WRITEREAD; empty members dropped), so the
 * same contract sent in a different key order is the same contract, and what is returned is what Confluent would
 * return. The GUID is computed with Confluent's hash of schema, references, metadata and rule set, so a schema's GUID
 * here equals its GUID in Confluent's registry.
 */
final class Contracts {

    /** The metadata property Confluent sets to a version's number when the request asked for a version. */
    static final String CONFLUENT_VERSION = "confluent:version";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> KINDS = Set.of("TRANSFORM", "CONDITION");
    private static final Set<String> MIGRATION_MODES = Set.of("UPGRADE", "DOWNGRADE", "UPDOWN");
    private static final Set<String> DOMAIN_MODES = Set.of("WRITE", "READ", "WRITEREAD");
    private static final List<String> RULE_LISTS = List.of("migrationRules", "domainRules", "encodingRules");

    private Contracts() {
    }

    // ---------------------------------------------------------------- metadata

    /** Normalised metadata, or null when {@code raw} is absent or holds nothing. */
    static ObjectNode metadata(JsonNode raw, String where) {
        if (raw == null || raw.isNull()) {
            return null;
        }
        if (!raw.isObject()) {
            throw bad(where + " must be an object with tags, properties and sensitive, got " + raw.getNodeType());
        }
        SortedMap<String, SortedSet<String>> tags = new TreeMap<>();
        JsonNode t = raw.get("tags");
        if (t != null && !t.isNull()) {
            if (!t.isObject()) {
                throw bad(where + ".tags must map a path to a list of tags");
            }
            t.fields().forEachRemaining(e -> tags.put(e.getKey(), strings(e.getValue(), where + ".tags." + e.getKey())));
        }
        SortedMap<String, String> properties = textMap(raw.get("properties"), where + ".properties");
        SortedSet<String> sensitive = strings(raw.get("sensitive"), where + ".sensitive");
        return metadata(tags, properties, sensitive);
    }

    private static ObjectNode metadata(SortedMap<String, SortedSet<String>> tags, SortedMap<String, String> properties,
            SortedSet<String> sensitive) {
        ObjectNode out = NODES.objectNode();
        if (!tags.isEmpty()) {
            ObjectNode tagNode = out.putObject("tags");
            tags.forEach((path, set) -> {
                ArrayNode a = tagNode.putArray(path);
                set.forEach(a::add);
            });
        }
        if (!properties.isEmpty()) {
            ObjectNode p = out.putObject("properties");
            properties.forEach(p::put);
        }
        if (!sensitive.isEmpty()) {
            ArrayNode s = out.putArray("sensitive");
            sensitive.forEach(s::add);
        }
        // Confluent keeps an all-empty metadata object as a non-null value ({}), and so does its hash.
        return out;
    }

    /** Confluent's mergeMetadata: maps merged key by key (newer wins), sets united; null on either side yields the other. */
    static ObjectNode mergeMetadata(ObjectNode older, ObjectNode newer) {
        if (older == null) {
            return newer;
        }
        if (newer == null) {
            return older;
        }
        SortedMap<String, SortedSet<String>> tags = tagMap(older);
        SortedMap<String, SortedSet<String>> newerTags = tagMap(newer);
        if (tags.isEmpty()) {
            tags = newerTags;
        } else if (!newerTags.isEmpty()) {
            tags.putAll(newerTags);
        }
        SortedMap<String, String> props = textMap(older.get("properties"), "metadata.properties");
        SortedMap<String, String> newerProps = textMap(newer.get("properties"), "metadata.properties");
        if (props.isEmpty()) {
            props = newerProps;
        } else {
            props.putAll(newerProps);
        }
        SortedSet<String> sensitive = strings(older.get("sensitive"), "metadata.sensitive");
        sensitive.addAll(strings(newer.get("sensitive"), "metadata.sensitive"));
        return metadata(tags, props, sensitive);
    }

    /** The metadata with {@code confluent:version} set to {@code version} (creating the metadata if needed). */
    static ObjectNode withConfluentVersion(ObjectNode metadata, int version) {
        SortedMap<String, String> props = metadata == null ? new TreeMap<>()
                : textMap(metadata.get("properties"), "metadata.properties");
        props.put(CONFLUENT_VERSION, String.valueOf(version));
        return metadata(metadata == null ? new TreeMap<>() : tagMap(metadata), props,
                metadata == null ? new TreeSet<>() : strings(metadata.get("sensitive"), "metadata.sensitive"));
    }

    /** The metadata without {@code confluent:version}. */
    static ObjectNode withoutConfluentVersion(ObjectNode metadata) {
        if (metadata == null || !metadata.has("properties")) {
            return metadata;
        }
        SortedMap<String, String> props = textMap(metadata.get("properties"), "metadata.properties");
        props.remove(CONFLUENT_VERSION);
        return metadata(tagMap(metadata), props, strings(metadata.get("sensitive"), "metadata.sensitive"));
    }

    /** The value of {@code confluent:version}, or null. */
    static String confluentVersion(ObjectNode metadata) {
        JsonNode v = metadata == null ? null : metadata.path("properties").get(CONFLUENT_VERSION);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A metadata property, or null. */
    static String property(ObjectNode metadata, String name) {
        JsonNode v = metadata == null ? null : metadata.path("properties").get(name);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static SortedMap<String, SortedSet<String>> tagMap(ObjectNode metadata) {
        SortedMap<String, SortedSet<String>> tags = new TreeMap<>();
        JsonNode t = metadata.get("tags");
        if (t != null && t.isObject()) {
            t.fields().forEachRemaining(e -> tags.put(e.getKey(), strings(e.getValue(), "metadata.tags")));
        }
        return tags;
    }

    // ---------------------------------------------------------------- rule sets

    /** A normalised rule set, or null when {@code raw} is absent. Shape errors are 42210 (invalid rule set). */
    static ObjectNode ruleSet(JsonNode raw, String where) {
        if (raw == null || raw.isNull()) {
            return null;
        }
        if (!raw.isObject()) {
            throw invalidRuleSet(where + " must be an object with migrationRules, domainRules and encodingRules");
        }
        ObjectNode out = NODES.objectNode();
        for (String list : RULE_LISTS) {
            JsonNode rules = raw.get(list);
            if (rules == null || rules.isNull()) {
                continue;
            }
            if (!rules.isArray()) {
                throw invalidRuleSet(where + "." + list + " must be a list of rules");
            }
            if (rules.isEmpty()) {
                continue;
            }
            ArrayNode a = out.putArray(list);
            for (JsonNode rule : rules) {
                a.add(rule(rule, where + "." + list));
            }
        }
        JsonNode enableAt = raw.get("enableAt");
        if (enableAt != null && !enableAt.isNull()) {
            out.put("enableAt", enableAt.asText());
        }
        return out;
    }

    private static ObjectNode rule(JsonNode raw, String where) {
        if (!raw.isObject()) {
            throw invalidRuleSet(where + " holds a rule that is not an object: " + raw);
        }
        ObjectNode r = NODES.objectNode();
        putText(r, "name", raw);
        putText(r, "doc", raw);
        String kind = raw.path("kind").isNull() || raw.path("kind").isMissingNode() ? "TRANSFORM"
                : raw.get("kind").asText();
        if (!KINDS.contains(kind)) {
            throw invalidRuleSet("Invalid rule kind '" + kind + "' in " + where + "; valid kinds are " + KINDS);
        }
        r.put("kind", kind);
        String mode = raw.path("mode").isNull() || raw.path("mode").isMissingNode() ? "WRITEREAD"
                : raw.get("mode").asText();
        if (!MIGRATION_MODES.contains(mode) && !DOMAIN_MODES.contains(mode)) {
            throw invalidRuleSet("Invalid rule mode '" + mode + "' in " + where + "; valid modes are UPGRADE,"
                    + " DOWNGRADE, UPDOWN, WRITE, READ, WRITEREAD");
        }
        r.put("mode", mode);
        putText(r, "type", raw);
        SortedSet<String> tags = strings(raw.get("tags"), where + ".tags");
        if (!tags.isEmpty()) {
            ArrayNode a = r.putArray("tags");
            tags.forEach(a::add);
        }
        SortedMap<String, String> params = textMap(raw.get("params"), where + ".params");
        if (!params.isEmpty()) {
            ObjectNode p = r.putObject("params");
            params.forEach(p::put);
        }
        putText(r, "expr", raw);
        putText(r, "onSuccess", raw);
        putText(r, "onFailure", raw);
        r.put("disabled", raw.path("disabled").asBoolean(false));
        return r;
    }

    /** Confluent's RuleSet.validate: unique names, names that are identifiers, a type, modes that fit the list. */
    static void validateRuleSet(ObjectNode ruleSet) {
        if (ruleSet == null) {
            return;
        }
        Set<String> names = new HashSet<>();
        for (String list : RULE_LISTS) {
            for (JsonNode rule : ruleSet.path(list)) {
                String name = rule.path("name").asText(null);
                if (name == null) {
                    throw invalidRuleSet("Missing rule name");
                }
                if (!names.add(name)) {
                    throw invalidRuleSet("Found rule with duplicate name '" + name + "'");
                }
                validateName(name);
                if (rule.path("type").isMissingNode() || rule.path("type").isNull()) {
                    throw invalidRuleSet("Missing rule type in rule '" + name + "'");
                }
                String mode = rule.path("mode").asText();
                for (String action : List.of("onSuccess", "onFailure")) {
                    String value = rule.path(action).asText(null);
                    if (value != null && value.indexOf(',') >= 0 && !mode.equals("WRITEREAD")
                            && !mode.equals("UPDOWN")) {
                        throw invalidRuleSet("Multiple actions only valid with WRITEREAD and UPDOWN (rule '" + name
                                + "')");
                    }
                }
                if (list.equals("migrationRules") && !MIGRATION_MODES.contains(mode)) {
                    throw invalidRuleSet("Migration rules can only be UPGRADE, DOWNGRADE, UPDOWN (rule '" + name
                            + "')");
                }
                if (!list.equals("migrationRules") && !DOMAIN_MODES.contains(mode)) {
                    throw invalidRuleSet((list.equals("domainRules") ? "Domain" : "Encoding")
                            + " rules can only be WRITE, READ, WRITEREAD (rule '" + name + "')");
                }
            }
        }
    }

    private static void validateName(String name) {
        if (name.isEmpty()) {
            throw invalidRuleSet("Empty rule name");
        }
        if (name.length() > 256) {
            throw invalidRuleSet("Rule name too long");
        }
        char first = name.charAt(0);
        if (!(Character.isLetter(first) || first == '_')) {
            throw invalidRuleSet("Illegal initial character in rule name: " + name);
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
                throw invalidRuleSet("Illegal character in rule name: " + name);
            }
        }
    }

    /**
     * Confluent's mergeRuleSets: per list, the older rules whose names the newer list does not use, then the newer
     * rules; {@code enableAt} from the newer set when it has one.
     */
    static ObjectNode mergeRuleSets(ObjectNode older, ObjectNode newer) {
        if (older == null) {
            return newer;
        }
        if (newer == null) {
            return older;
        }
        ObjectNode out = NODES.objectNode();
        for (String list : RULE_LISTS) {
            JsonNode o = older.path(list);
            JsonNode n = newer.path(list);
            List<JsonNode> merged = new ArrayList<>();
            if (o.isEmpty()) {
                n.forEach(merged::add);
            } else if (n.isEmpty()) {
                o.forEach(merged::add);
            } else {
                Set<String> newNames = new HashSet<>();
                n.forEach(r -> newNames.add(r.path("name").asText()));
                o.forEach(r -> {
                    if (!newNames.contains(r.path("name").asText())) {
                        merged.add(r);
                    }
                });
                n.forEach(merged::add);
            }
            if (!merged.isEmpty()) {
                ArrayNode a = out.putArray(list);
                merged.forEach(r -> a.add(r.deepCopy()));
            }
        }
        JsonNode enableAt = newer.hasNonNull("enableAt") ? newer.get("enableAt") : older.get("enableAt");
        if (enableAt != null && !enableAt.isNull()) {
            out.put("enableAt", enableAt.asText());
        }
        return out;
    }

    /** Whether a rule set has a rule of this type in any list ({@code GET /schemas?ruleType=}). */
    static boolean hasRuleOfType(ObjectNode ruleSet, String type) {
        if (ruleSet == null) {
            return false;
        }
        for (String list : RULE_LISTS) {
            for (JsonNode rule : ruleSet.path(list)) {
                if (type.equals(rule.path("type").asText(null))) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- GUID

    /**
     * The GUID Confluent gives a schema: the MD5 of the schema text, each reference (name, subject, 4-byte version),
     * a marker byte and the metadata (tags, properties, sensitive), a marker byte and the rules (each rule's fields in
     * order) and {@code enableAt}, shown as a UUID.
     */
    static String guid(String schema, List<Reference> references, ObjectNode metadata, ObjectNode ruleSet) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available in this JVM", e);
        }
        if (schema != null) {
            md.update(utf8(schema));
        }
        for (Reference r : references) {
            md.update(utf8(r.name()));
            md.update(utf8(r.subject()));
            md.update(ByteBuffer.allocate(4).putInt(r.version()).array());
        }
        if (metadata != null) {
            md.update((byte) 1);
            metadata.path("tags").fields().forEachRemaining(e -> {
                md.update(utf8(e.getKey()));
                e.getValue().forEach(v -> md.update(utf8(v.asText())));
            });
            metadata.path("properties").fields().forEachRemaining(e -> {
                md.update(utf8(e.getKey()));
                md.update(utf8(e.getValue().asText()));
            });
            metadata.path("sensitive").forEach(v -> md.update(utf8(v.asText())));
        }
        if (ruleSet != null) {
            md.update((byte) 1);
            for (String list : RULE_LISTS) {
                for (JsonNode rule : ruleSet.path(list)) {
                    for (String field : List.of("name", "doc", "kind", "mode", "type")) {
                        if (rule.hasNonNull(field)) {
                            md.update(utf8(rule.get(field).asText()));
                        }
                    }
                    rule.path("tags").forEach(v -> md.update(utf8(v.asText())));
                    rule.path("params").fields().forEachRemaining(e -> {
                        md.update(utf8(e.getKey()));
                        md.update(utf8(e.getValue().asText()));
                    });
                    for (String field : List.of("expr", "onSuccess", "onFailure")) {
                        if (rule.hasNonNull(field)) {
                            md.update(utf8(rule.get(field).asText()));
                        }
                    }
                    if (rule.path("disabled").asBoolean(false)) {
                        md.update((byte) 1);
                    }
                }
            }
            if (ruleSet.hasNonNull("enableAt")) {
                md.update(utf8(ruleSet.get("enableAt").asText()));
            }
        }
        ByteBuffer digest = ByteBuffer.wrap(md.digest());
        return new UUID(digest.getLong(), digest.getLong()).toString();
    }

    // ---------------------------------------------------------------- helpers

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void putText(ObjectNode out, String field, JsonNode raw) {
        JsonNode v = raw.get(field);
        if (v != null && !v.isNull()) {
            out.put(field, v.asText());
        }
    }

    private static SortedSet<String> strings(JsonNode node, String where) {
        SortedSet<String> out = new TreeSet<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw bad(where + " must be a list of strings, got " + node.getNodeType());
        }
        node.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static SortedMap<String, String> textMap(JsonNode node, String where) {
        SortedMap<String, String> out = new TreeMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw bad(where + " must be an object of strings, got " + node.getNodeType());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
        }
        out.values().removeIf(java.util.Objects::isNull);
        return out;
    }

    private static RegistryException bad(String message) {
        return new RegistryException(422, 422, message);
    }

    private static RegistryException invalidRuleSet(String message) {
        return new RegistryException(422, 42210, message);
    }
}
