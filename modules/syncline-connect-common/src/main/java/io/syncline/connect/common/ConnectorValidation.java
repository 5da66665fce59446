package io.syncline.connect.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;

/**
 * Problems by config key, as every Syncline connector collects them: static cross-field problems and live ones (the
 * target or the credentials failing when tried), put on the keys they concern in a connector's {@code validate()}
 * result, or thrown as one exception listing them all when a connector or task starts.
 */
public final class ConnectorValidation {

    private ConnectorValidation() {
    }

    /** Adds a problem for {@code key}. */
    public static void add(Map<String, List<String>> problems, String key, String message) {
        problems.computeIfAbsent(key, k -> new ArrayList<>()).add(message);
    }

    /** Adds every problem of {@code more} to {@code problems}. */
    public static void addAll(Map<String, List<String>> problems, Map<String, List<String>> more) {
        more.forEach((key, messages) -> messages.forEach(m -> add(problems, key, m)));
    }

    /** Whether any value of {@code config} carries an error. */
    public static boolean hasErrors(Config config) {
        return config.configValues().stream().anyMatch(v -> !v.errorMessages().isEmpty());
    }

    /** One exception listing every problem (messages name their keys; values are left out: they may be secrets). */
    public static ConfigException invalid(Map<String, List<String>> problems) {
        List<String> all = new ArrayList<>();
        problems.forEach((key, messages) -> messages.forEach(m -> all.add(m.contains(key) ? m : key + ": " + m)));
        return new ConfigException("invalid configuration: " + String.join("; ", all));
    }

    /**
     * {@code config} with each problem added to its key's value; a key the connector does not define (Connect's own
     * {@code errors.*}) gets a value of its own, which the worker reports like any other.
     */
    public static Config withProblems(Config config, Map<String, List<String>> problems) {
        List<ConfigValue> values = new ArrayList<>(config.configValues());
        for (Map.Entry<String, List<String>> p : problems.entrySet()) {
            ConfigValue value = values.stream().filter(v -> v.name().equals(p.getKey())).findFirst().orElse(null);
            if (value == null) {
                value = new ConfigValue(p.getKey());
                values.add(value);
            }
            for (String message : p.getValue()) {
                if (!value.errorMessages().contains(message)) {
                    value.addErrorMessage(message);
                }
            }
        }
        return new Config(values);
    }
}
