package io.syncline.connect.common.source;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.syncline.connect.common.DeprecatedKeys;
import io.syncline.connect.common.OutboundHttpConfig;
import io.syncline.connect.common.PluginVersion;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generic half of a Syncline polling source connector, which only validates and splits the work: one task per
 * object type up to {@code tasks.max} (the types dealt out in turn, the outbound rate limits split evenly), a
 * {@code validate()} that runs the static checks, then the cross-field rules and the converter checks, then (when
 * the connector's own keys are valid) the live checks, every problem on the key to fix; exactly-once support
 * (KIP-618), since each record's offset describes exactly the records before it; and offset changes through the
 * REST API (KIP-875) checked against the connector's object types.
 *
 * <p>A subclass says what is provider-specific: its {@link ConfigDef}, its object types and how they are named in
 * task configs and source partitions, its rules and its live checks.
 *
 * @param <T> the provider's object type (an enum of the types the connector can read)
 */
public abstract class PollingSourceConnector<T> extends SourceConnector {

    /** Internal, set by the connector in each task's config: the object types that task reads. */
    public static final String TASK_OBJECTS = "task.objects";

    private static final Logger LOG = LoggerFactory.getLogger(PollingSourceConnector.class);

    private Map<String, String> props;
    private List<T> objects;

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }

    /** Warns about deprecated keys and parses the config (a bad one fails the start, naming its keys). */
    @Override
    public void start(Map<String, String> props) {
        deprecatedKeys().warn(LOG, props);
        this.props = Map.copyOf(props);
        this.objects = objects(props);
    }

    /** The connector's definition of its keys, which {@link #config()} returns and {@link #validate} checks. */
    protected abstract ConfigDef configDef();

    /** Parses {@code props} as the connector's config and returns the object types configured, in order. */
    protected abstract List<T> objects(Map<String, String> props);

    /** Every object type the connector can read. */
    protected abstract List<T> allObjects();

    /** An object type's name in task configs and source partitions. */
    protected abstract String name(T object);

    /** The key of the object type's name in a source partition. */
    protected abstract String partitionKey();

    /** The object type {@code name} stands for, if any (as parsed from a source partition). */
    protected abstract Optional<T> named(String name);

    /** Reads an offset written to {@code object}'s partition through the REST API, throwing when it is not valid. */
    protected abstract void checkOffset(T object, Map<String, ?> offset);

    /** Problems involving more than one key, by key, on a config whose keys are each valid. */
    protected abstract Map<String, List<String>> crossFieldProblems(AbstractConfig parsed);

    /** Problems with the worker's converters for this connector, by converter key. */
    protected abstract Map<String, String> converterProblems(Map<String, String> connectorConfig);

    /** Tries the base URL and the credentials; problems by key. */
    protected abstract Map<String, List<String>> liveProblems(Map<String, String> connectorConfig);

    /** Keys renamed since an earlier version: they still load, validated under their new names. */
    protected DeprecatedKeys deprecatedKeys() {
        return DeprecatedKeys.NONE;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return taskConfigs(props, objects.stream().map(this::name).toList(), maxTasks);
    }

    /** One config per task: the object types (by name) dealt out in turn, and the rate limits split evenly. */
    public static List<Map<String, String>> taskConfigs(Map<String, String> props, List<String> objects,
                                                        int maxTasks) {
        int tasks = Math.max(1, Math.min(maxTasks, objects.size()));
        List<List<String>> groups = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            groups.add(new ArrayList<>());
        }
        for (int i = 0; i < objects.size(); i++) {
            groups.get(i % tasks).add(objects.get(i));
        }
        List<Map<String, String>> out = new ArrayList<>(tasks);
        for (List<String> group : groups) {
            Map<String, String> task = OutboundHttpConfig.withTaskShare(props, tasks);
            task.put(TASK_OBJECTS, String.join(",", group));
            out.add(task);
        }
        return out;
    }

    @Override
    public void stop() {
        // Nothing to release: the connector holds no connections, the tasks do.
    }

    @Override
    public final ConfigDef config() {
        return configDef();
    }

    /**
     * Static checks (each key, then rules across keys and the converters the records need), then, when the
     * connector's own keys are valid, live checks against the API; every problem on the key to fix.
     */
    @Override
    public Config validate(Map<String, String> given) {
        // Keys renamed since are validated under their new names; a problem found there shows on the old key too.
        DeprecatedKeys.Resolved resolved = deprecatedKeys().resolve(given);
        Map<String, String> connectorConfigs = resolved.props();
        Map<String, ConfigValue> values = new LinkedHashMap<>();
        for (ConfigValue v : super.validate(connectorConfigs).configValues()) {
            values.put(v.name(), v);
        }
        boolean keysValid = values.values().stream().allMatch(v -> v.errorMessages().isEmpty());
        if (keysValid) {
            AbstractConfig parsed = new AbstractConfig(configDef(), connectorConfigs, false);
            crossFieldProblems(parsed).forEach((key, messages) -> messages.forEach(m -> report(values, key, m)));
        }
        converterProblems(connectorConfigs).forEach((key, message) -> report(values, key, message));
        boolean ownKeysValid = values.entrySet().stream()
                .filter(e -> configDef().configKeys().containsKey(e.getKey()))
                .allMatch(e -> e.getValue().errorMessages().isEmpty());
        if (ownKeysValid) {
            liveProblems(connectorConfigs).forEach((key, messages) -> messages.forEach(m -> report(values, key, m)));
        }
        return DeprecatedKeys.mirror(new Config(new ArrayList<>(values.values())), resolved);
    }

    /** Adds {@code message} to the {@link ConfigValue} named {@code key}, creating it when the def lacks the key. */
    public static void report(Map<String, ConfigValue> values, String key, String message) {
        values.computeIfAbsent(key, ConfigValue::new).addErrorMessage(message);
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        // Offsets describe exactly the records before them, so records and offsets can commit in one transaction.
        return ExactlyOnceSupport.SUPPORTED;
    }

    /**
     * Accepts offset changes through the REST API (KIP-875) for the object types of this connector: a reset (null)
     * makes that type start again; a written offset must be one this connector understands.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        Set<String> known = new LinkedHashSet<>(allObjects().stream().map(this::name).toList());
        for (Map.Entry<Map<String, ?>, Map<String, ?>> e : offsets.entrySet()) {
            Object name = e.getKey() == null ? null : e.getKey().get(partitionKey());
            if (!(name instanceof String) || !known.contains(name) || e.getKey().size() != 1) {
                throw new ConnectException("the source partition " + e.getKey() + " is not one of this connector's; "
                        + "expected {\"" + partitionKey() + "\": one of " + known + "}");
            }
            if (e.getValue() != null) {
                checkOffset(named((String) name).orElseThrow(), e.getValue());
            }
        }
        return true;
    }
}
