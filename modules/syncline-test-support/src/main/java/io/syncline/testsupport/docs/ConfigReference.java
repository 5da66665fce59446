package io.syncline.testsupport.docs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.ConfigDef;

/**
 * Renders a connector's {@link ConfigDef} as the Markdown reference in {@code docs/connectors/*.md}: one table per
 * group, in the groups' declared order, every key with type, default, valid values, importance and doc string.
 *
 * <p>The ConfigDef is the only source (CONVENTIONS rule 2); {@link GeneratedSection} keeps the page in step with it.
 */
public final class ConfigReference {

    private ConfigReference() {
    }

    /** The reference for every non-internal key of {@code def}. */
    public static String markdown(ConfigDef def) {
        return markdown(def, Set.of());
    }

    /**
     * The reference for the non-internal keys of {@code def} except {@code documentedElsewhere} (shared keys that
     * one page documents for every connector).
     */
    public static String markdown(ConfigDef def, Set<String> documentedElsewhere) {
        Map<String, List<ConfigDef.ConfigKey>> byGroup = new LinkedHashMap<>();
        for (String group : def.groups()) {
            byGroup.put(group, new ArrayList<>());
        }
        for (ConfigDef.ConfigKey key : def.configKeys().values()) {
            if (key.internalConfig || documentedElsewhere.contains(key.name)) {
                continue;
            }
            byGroup.computeIfAbsent(key.group == null ? "Other" : key.group, g -> new ArrayList<>()).add(key);
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, List<ConfigDef.ConfigKey>> group : byGroup.entrySet()) {
            if (group.getValue().isEmpty()) {
                continue;
            }
            group.getValue().sort(Comparator.comparingInt((ConfigDef.ConfigKey k) -> k.orderInGroup)
                    .thenComparing(k -> k.name));
            out.append("\n### ").append(group.getKey()).append("\n\n");
            out.append("| key | type | default | valid values | importance | description |\n");
            out.append("|---|---|---|---|---|---|\n");
            for (ConfigDef.ConfigKey key : group.getValue()) {
                out.append("| `").append(key.name).append("` | ")
                        .append(key.type.name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
                        .append(defaultValue(key)).append(" | ")
                        .append(key.validator == null ? "" : cell(key.validator.toString())).append(" | ")
                        .append(key.importance.name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
                        .append(cell(key.documentation)).append(" |\n");
            }
        }
        return out.toString();
    }

    /**
     * The shared keys whose default or valid values in {@code def} differ from the shared reference {@code shared}:
     * what a connector's page lists under the link to the shared reference.
     */
    public static String changedDefaults(ConfigDef def, ConfigDef shared) {
        StringBuilder out = new StringBuilder();
        for (ConfigDef.ConfigKey key : def.configKeys().values()) {
            ConfigDef.ConfigKey generic = shared.configKeys().get(key.name);
            if (key.internalConfig || generic == null) {
                continue;
            }
            String values = key.validator == null ? "" : cell(key.validator.toString());
            String genericValues = generic.validator == null ? "" : cell(generic.validator.toString());
            if (!defaultValue(key).equals(defaultValue(generic)) || !values.equals(genericValues)) {
                out.append("| `").append(key.name).append("` | ").append(defaultValue(key)).append(" | ")
                        .append(values).append(" |\n");
            }
        }
        return out.isEmpty() ? "None: the shared defaults apply."
                : "| key | default here | valid values here |\n|---|---|---|\n" + out;
    }

    private static String defaultValue(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        if (key.defaultValue == null) {
            return "(none)";
        }
        String text = ConfigDef.convertToString(key.defaultValue, key.type);
        return text == null || text.isEmpty() ? "\"\"" : "`" + text + "`";
    }

    /** A table cell: no line breaks, pipes escaped. */
    private static String cell(String text) {
        return text == null ? "" : text.replace("\r", "").replace("\n", " ").replace("|", "\\|").replace("<", "&lt;")
                .replace(">", "&gt;").trim();
    }
}
