package io.syncline.registry.server;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.registry.server.StoreRecords.ConfigKey;

/**
 * Confluent's configs (compatibility level and group, normalize, validation flags, default and override contracts)
 * per subject, context and globally: the config in force along subject → context → global → default, updates
 * (checked field by field) and deletes.
 */
final class RegistryConfigs {

    private static final List<String> CONFIG_FIELDS = List.of("alias", "normalize", "validateFields",
            "validateRules", "compatibilityLevel", "compatibilityPolicy", "compatibilityGroup", "defaultMetadata",
            "overrideMetadata", "defaultRuleSet", "overrideRuleSet");

    private final RegistryState state;
    private final SchemaLog log;
    private final CompatibilityLevel defaultLevel;
    private final RegistryModes modes;

    RegistryConfigs(RegistryState state, SchemaLog log, CompatibilityLevel defaultLevel, RegistryModes modes) {
        this.state = state;
        this.log = log;
        this.defaultLevel = defaultLevel;
        this.modes = modes;
    }

    /** Confluent's getConfigInScope: the subject's config over the global one, or the context's, global or default. */
    ObjectNode effectiveConfig(String subject) {
        if (subject == null) {
            return withLevel(state.config(null).or(() -> state.config(":" + Subjects.GLOBAL_CONTEXT + ":"))
                    .orElse(null));
        }
        Optional<ObjectNode> own = state.config(subject);
        Optional<ObjectNode> scope = Optional.ofNullable(Subjects.contextKey(Subjects.context(subject)))
                .flatMap(state::config)
                .or(() -> state.config(null))
                .or(() -> state.config(":" + Subjects.GLOBAL_CONTEXT + ":"));
        if (own.isEmpty()) {
            return withLevel(scope.orElse(null));
        }
        ObjectNode merged = withLevel(scope.orElse(null));
        own.get().fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) {
                merged.set(e.getKey(), e.getValue());
            }
        });
        return merged;
    }

    private ObjectNode withLevel(ObjectNode config) {
        ObjectNode out = config == null ? StoreRecords.JSON.createObjectNode() : config.deepCopy();
        if (!out.hasNonNull("compatibilityLevel")) {
            out.put("compatibilityLevel", defaultLevel.name());
        }
        return out;
    }

    /** The config's compatibility level, or the registry's default. */
    CompatibilityLevel level(ObjectNode config) {
        return CompatibilityLevel.parse(config.path("compatibilityLevel").asText(null)).orElse(defaultLevel);
    }

    /** {@code GET /config}: the stored global config, with the default level when none is set. */
    ObjectNode globalConfig(boolean defaultToGlobal) {
        return defaultToGlobal ? effectiveConfig(null) : withLevel(state.config(null).orElse(null));
    }

    /** {@code GET /config/{subject}}: the subject's own config (40408 without one) or, with defaultToGlobal, the one in force. */
    ObjectNode subjectConfig(String rawSubject, boolean defaultToGlobal) {
        String subject = Subjects.normalize(rawSubject);
        if (Subjects.isContextOnly(subject) && Subjects.context(subject).equals(Subjects.DEFAULT_CONTEXT)) {
            return globalConfig(defaultToGlobal);
        }
        if (defaultToGlobal) {
            return effectiveConfig(subject);
        }
        return withLevel(state.config(subject).orElseThrow(
                () -> RegistryException.subjectCompatibilityNotConfigured(subject)));
    }

    /**
     * Updates a config (subject, context {@code :.ctx:}, or global when null) with the fields present in the request;
     * a field given as null clears it. Returns the resulting config.
     */
    ObjectNode updateConfig(String rawSubject, JsonNode request) {
        String subject = rawSubject == null ? null : Subjects.normalize(rawSubject);
        if (subject != null && Subjects.isContextOnly(subject)
                && Subjects.context(subject).equals(Subjects.DEFAULT_CONTEXT)) {
            subject = null;
        }
        if (subject != null && !Subjects.isValid(subject) && !Subjects.isContextOnly(subject)) {
            throw RegistryException.invalidSubject(rawSubject);
        }
        ObjectNode update = validatedConfigUpdate(request);
        String key = subject;
        if (key != null) {
            modes.checkWritable(key);
        }
        return log.<ObjectNode>write(m -> {
            ObjectNode next = state.config(key).orElse(StoreRecords.JSON.createObjectNode());
            update.fields().forEachRemaining(e -> {
                if (e.getValue().isNull()) {
                    next.remove(e.getKey());
                } else {
                    next.set(e.getKey(), e.getValue());
                }
            });
            ObjectNode ordered = ordered(next);
            if (!state.config(key).map(ordered::equals).orElse(false)) {
                m.put(new ConfigKey(key), StoreRecords.configValueBytes(ordered));
            }
            return m.result(ordered);
        });
    }

    /** The request's config fields, checked and normalised; {@code compatibility} is the request's name for the level. */
    private ObjectNode validatedConfigUpdate(JsonNode request) {
        ObjectNode update = StoreRecords.JSON.createObjectNode();
        request.fields().forEachRemaining(e -> {
            // The request names the level "compatibility"; "compatibilityLevel" is the response's name, which
            // Confluent's request entity does not know (and ignores).
            String field = e.getKey().equals("compatibility") ? "compatibilityLevel"
                    : e.getKey().equals("compatibilityLevel") ? "ignored" : e.getKey();
            JsonNode value = e.getValue();
            switch (field) {
                case "compatibilityLevel" -> {
                    if (value.isNull()) {
                        update.putNull(field);
                    } else {
                        CompatibilityLevel level = CompatibilityLevel.parse(value.asText()).orElseThrow(() ->
                                RegistryException.invalidCompatibilityLevel(" (got '" + value.asText() + "')"));
                        update.put(field, level.name());
                    }
                }
                case "normalize", "validateFields", "validateRules", "validateNewSchemas" -> {
                    if (!value.isNull() && !value.isBoolean()) {
                        throw new RegistryException(422, 422, "\"" + field + "\" must be true or false, got " + value);
                    }
                    update.set(field, value);
                }
                case "alias", "aliasForDeks", "compatibilityGroup", "compatibilityPolicy" -> update.set(field,
                        value.isNull() ? value : StoreRecords.JSON.getNodeFactory().textNode(value.asText()));
                case "defaultMetadata", "overrideMetadata" -> {
                    ObjectNode md = Contracts.metadata(value, field);
                    update.set(field, md == null ? StoreRecords.JSON.nullNode() : md);
                }
                case "defaultRuleSet", "overrideRuleSet" -> {
                    ObjectNode rs = Contracts.ruleSet(value, field);
                    Contracts.validateRuleSet(rs);
                    update.set(field, rs == null ? StoreRecords.JSON.nullNode() : rs);
                }
                default -> {
                    // Confluent's request entity ignores unknown properties; so does this registry.
                }
            }
        });
        if (update.isEmpty()) {
            // Confluent would store an empty config; a request that changes nothing is almost always a misspelt
            // field, so say which fields there are.
            throw RegistryException.invalidCompatibilityLevel(" (the request sets none of \"compatibility\", "
                    + String.join(", ", CONFIG_FIELDS.subList(0, 4)) + ", " + String.join(", ",
                    CONFIG_FIELDS.subList(5, CONFIG_FIELDS.size())) + ")");
        }
        return update;
    }

    private static ObjectNode ordered(ObjectNode config) {
        ObjectNode out = StoreRecords.JSON.createObjectNode();
        for (String field : CONFIG_FIELDS) {
            if (config.hasNonNull(field)) {
                out.set(field, config.get(field));
            }
        }
        config.fields().forEachRemaining(e -> {
            if (!out.has(e.getKey()) && !e.getValue().isNull()) {
                out.set(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    /** Removes a subject's (or context's) config and returns it; 40401 when there is none. */
    ObjectNode deleteSubjectConfig(String rawSubject) {
        String subject = Subjects.normalize(rawSubject);
        if (Subjects.isContextOnly(subject) && Subjects.context(subject).equals(Subjects.DEFAULT_CONTEXT)) {
            return deleteGlobalConfig();
        }
        state.config(subject).orElseThrow(() -> RegistryException.subjectNotFound(subject));
        modes.checkWritable(subject);
        return log.<ObjectNode>write(m -> {
            ObjectNode previous = state.config(subject).orElseThrow(() -> RegistryException.subjectNotFound(subject));
            m.tombstone(new ConfigKey(subject));
            return m.result(withLevel(previous));
        });
    }

    /** Reverts the global config to the default and returns the one that was in force. */
    ObjectNode deleteGlobalConfig() {
        return log.<ObjectNode>write(m -> {
            Optional<ObjectNode> previous = state.config(null);
            previous.ifPresent(p -> m.tombstone(new ConfigKey(null)));
            return m.result(withLevel(previous.orElse(null)));
        });
    }
}
