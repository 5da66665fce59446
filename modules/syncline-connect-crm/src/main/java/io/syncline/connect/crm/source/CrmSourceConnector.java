package io.syncline.connect.crm.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.syncline.connect.common.OutboundHttpConfig;
import io.syncline.connect.common.RawSourceConverters;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Kafka Connect source connector for HubSpot's CRM (and HubSpot-compatible APIs such as the CRM sandbox): copies
 * contacts, companies and deals, with their associations, into {@code raw.hubspot.<type>} as full objects, first by
 * a backfill through the list endpoints, then incrementally through the search API on the last-modified property;
 * archived objects become deletes and merged-away ids are retired. Its position lives in Connect's offsets.
 *
 * <p>The connector only validates and splits the work: one task per object type up to {@code tasks.max}, each with
 * its share of the request window (the account's window itself is shared with every connector of this plugin on the
 * same account in the worker, such as the CRM contact sink). {@link CrmSourceTask} does the reading. Records and
 * offsets commit in one transaction per poll when the worker enables exactly-once support (KIP-618).
 */
public final class CrmSourceConnector extends SourceConnector {

    private Map<String, String> props;
    private CrmSourceConfig config;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
        this.config = new CrmSourceConfig(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return CrmSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return taskConfigs(props, config, maxTasks);
    }

    /** One config per task: the object types dealt out in turn, and the rate limits split evenly. */
    static List<Map<String, String>> taskConfigs(Map<String, String> props, CrmSourceConfig config, int maxTasks) {
        List<CrmObjectType> types = config.objects();
        int tasks = Math.max(1, Math.min(maxTasks, types.size()));
        List<List<String>> groups = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            groups.add(new ArrayList<>());
        }
        for (int i = 0; i < types.size(); i++) {
            groups.get(i % tasks).add(types.get(i).singular());
        }
        List<Map<String, String>> out = new ArrayList<>(tasks);
        for (List<String> group : groups) {
            Map<String, String> task = OutboundHttpConfig.withTaskShare(props, tasks);
            task.put(CrmSourceConfig.TASK_OBJECTS, String.join(",", group));
            out.add(task);
        }
        return out;
    }

    @Override
    public void stop() {
        // Nothing to release: the connector holds no connections, the tasks do.
    }

    @Override
    public ConfigDef config() {
        return CrmSourceConfig.CONFIG_DEF;
    }

    /**
     * Static checks (each key, then rules across keys and the converters the records need), then, when the
     * connector's own keys are valid, live checks against HubSpot; every problem on the key to fix.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Map<String, ConfigValue> values = new LinkedHashMap<>();
        for (ConfigValue v : super.validate(connectorConfigs).configValues()) {
            values.put(v.name(), v);
        }
        boolean keysValid = values.values().stream().allMatch(v -> v.errorMessages().isEmpty());
        if (keysValid) {
            AbstractConfig parsed = new AbstractConfig(CrmSourceConfig.CONFIG_DEF, connectorConfigs, false);
            CrmSourceConfig.crossFieldProblems(parsed).forEach((key, messages) ->
                    messages.forEach(m -> report(values, key, m)));
        }
        RawSourceConverters.problems(connectorConfigs, "HubSpot").forEach((key, message) ->
                report(values, key, message));
        boolean ownKeysValid = values.entrySet().stream()
                .filter(e -> CrmSourceConfig.CONFIG_DEF.configKeys().containsKey(e.getKey()))
                .allMatch(e -> e.getValue().errorMessages().isEmpty());
        if (ownKeysValid) {
            LiveValidation.check(new CrmSourceConfig(connectorConfigs),
                    connectorConfigs.getOrDefault("name", "crm-source")).forEach((key, messages) ->
                    messages.forEach(m -> report(values, key, m)));
        }
        return new Config(new ArrayList<>(values.values()));
    }

    private static void report(Map<String, ConfigValue> values, String key, String message) {
        values.computeIfAbsent(key, ConfigValue::new).addErrorMessage(message);
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        // Offsets describe exactly the records before them, so records and offsets can commit in one transaction.
        return ExactlyOnceSupport.SUPPORTED;
    }

    /**
     * Accepts offset changes through the REST API (KIP-875) for the object types of this connector: a reset (null)
     * makes that type backfill again; a written offset must be one this connector understands.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        Set<String> known = Arrays.stream(CrmObjectType.values()).map(CrmObjectType::singular)
                .collect(Collectors.toSet());
        for (Map.Entry<Map<String, ?>, Map<String, ?>> e : offsets.entrySet()) {
            Object name = e.getKey() == null ? null : e.getKey().get(SourceOffset.PARTITION_KEY);
            if (!(name instanceof String) || !known.contains(name) || e.getKey().size() != 1) {
                throw new ConnectException("the source partition " + e.getKey() + " is not one of this connector's; "
                        + "expected {\"" + SourceOffset.PARTITION_KEY + "\": one of " + known + "}");
            }
            if (e.getValue() != null) {
                SourceOffset.fromMap(CrmObjectType.named((String) name).orElseThrow(), e.getValue());
            }
        }
        return true;
    }
}
