package io.syncline.connect.common;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.slf4j.Logger;

/**
 * Config keys a connector renamed, kept working so that a user's connector config never breaks on upgrade: before a
 * config is parsed, each deprecated key's value moves to its new key (translated when the meaning changed shape, e.g.
 * a yes/no switch that became a host list), unless the new key is set too, and a warning names the new key.
 *
 * <p>Connect's {@code validate()} has no warning level (a message on a key is an error that refuses the config), so
 * the warnings are logged once when the connector starts ({@link #warn}); in {@code validate()} a problem found on a
 * new key is also shown on the deprecated key it came from ({@link #mirror}), where the user will look for it.
 */
public final class DeprecatedKeys {

    /** No deprecated keys. */
    public static final DeprecatedKeys NONE = new DeprecatedKeys(List.of());

    /** How an old key's value becomes new keys' values, given the whole config (for values that depend on others). */
    @FunctionalInterface
    public interface Translation {
        /** The new keys' values; a key the user also set keeps the user's value. */
        Map<String, String> apply(String value, Map<String, String> props);
    }

    /**
     * One deprecated key.
     *
     * @param oldKey the key as users wrote it before
     * @param newKey the key to use now (named in the warning)
     * @param translation how the old value becomes the new keys' values
     */
    public record Alias(String oldKey, String newKey, Translation translation) {

        /** A key renamed, its value kept as it is. */
        public static Alias renamed(String oldKey, String newKey) {
            return new Alias(oldKey, newKey, (value, props) -> Map.of(newKey, value));
        }
    }

    /**
     * A config with the deprecated keys moved to their new names.
     *
     * @param props what the connector parses
     * @param origins new key → the deprecated key its value came from
     * @param warnings one per deprecated key used, naming the new key
     */
    public record Resolved(Map<String, String> props, Map<String, String> origins, List<String> warnings) {
    }

    private final List<Alias> aliases;

    private DeprecatedKeys(List<Alias> aliases) {
        this.aliases = List.copyOf(aliases);
    }

    /** These aliases. */
    public static DeprecatedKeys of(Alias... aliases) {
        return new DeprecatedKeys(Arrays.asList(aliases));
    }

    /** The aliases, in declaration order. */
    public List<Alias> aliases() {
        return aliases;
    }

    /** {@code props} with every deprecated key moved to its new key. */
    public Resolved resolve(Map<String, String> props) {
        if (aliases.isEmpty()) {
            return new Resolved(props, Map.of(), List.of());
        }
        Map<String, String> out = new LinkedHashMap<>(props);
        Map<String, String> origins = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        for (Alias alias : aliases) {
            if (!props.containsKey(alias.oldKey())) {
                continue;
            }
            String value = out.remove(alias.oldKey());
            if (props.containsKey(alias.newKey())) {
                warnings.add(alias.oldKey() + " is deprecated and ignored because " + alias.newKey()
                        + " is set; remove " + alias.oldKey());
                continue;
            }
            alias.translation().apply(value, props).forEach((key, translated) -> {
                if (!props.containsKey(key)) {
                    out.put(key, translated);
                    origins.put(key, alias.oldKey());
                }
            });
            warnings.add(alias.oldKey() + " is deprecated; use " + alias.newKey() + " instead (the value given for "
                    + alias.oldKey() + " is used for now)");
        }
        return new Resolved(out, origins, warnings);
    }

    /** Logs each deprecated key {@code props} uses, once per call: a connector calls it from {@code start()}. */
    public void warn(Logger log, Map<String, String> props) {
        String name = props.getOrDefault("name", "(unnamed)");
        for (String warning : resolve(props).warnings()) {
            log.warn("connector {}: {}", name, warning);
        }
    }

    /**
     * {@code config} (validated with {@code resolved}'s props) with each problem on a key whose value came from a
     * deprecated key shown on that deprecated key too, saying so.
     */
    public static Config mirror(Config config, Resolved resolved) {
        if (resolved.origins().isEmpty()) {
            return config;
        }
        List<ConfigValue> values = new ArrayList<>(config.configValues());
        List<ConfigValue> added = new ArrayList<>();
        for (ConfigValue v : values) {
            String old = resolved.origins().get(v.name());
            if (old == null || v.errorMessages().isEmpty()) {
                continue;
            }
            ConfigValue oldValue = values.stream().filter(o -> o.name().equals(old)).findFirst()
                    .orElseGet(() -> added.stream().filter(o -> o.name().equals(old)).findFirst().orElse(null));
            if (oldValue == null) {
                oldValue = new ConfigValue(old);
                added.add(oldValue);
            }
            for (String message : v.errorMessages()) {
                oldValue.addErrorMessage(message + " (given as the deprecated " + old + "; rename it to " + v.name()
                        + ")");
            }
        }
        values.addAll(added);
        return new Config(values);
    }
}
