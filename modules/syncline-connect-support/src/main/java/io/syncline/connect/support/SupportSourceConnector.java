package io.syncline.connect.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.syncline.connect.common.OutboundHttpConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Kafka Connect source connector for Zendesk Support (and Zendesk-compatible desks): copies tickets, users,
 * organizations and ticket comments into {@code raw.zendesk.<object>} through Zendesk's incremental exports
 * (cursor-based for tickets and users, time-based for organizations and ticket events), with its place in each
 * export in Connect's offsets. See docs/connectors/support.md.
 *
 * <p>The connector only validates and splits the work: one task per object type up to {@code tasks.max}, each with
 * its share of the export request window. {@link SupportSourceTask} does the reading. It supports exactly-once
 * delivery (KIP-618) when the worker enables it: records and offsets are committed in one transaction per poll.
 */
public final class SupportSourceConnector extends SourceConnector {

    private Map<String, String> props;
    private SupportSourceConfig config;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
        this.config = new SupportSourceConfig(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return SupportSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return taskConfigs(props, config, maxTasks);
    }

    /** One config per task: the object types dealt out in turn, and the rate limits split evenly. */
    static List<Map<String, String>> taskConfigs(Map<String, String> props, SupportSourceConfig config, int maxTasks) {
        List<ZendeskObject> objects = config.objects();
        int tasks = Math.max(1, Math.min(maxTasks, objects.size()));
        List<List<String>> groups = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            groups.add(new ArrayList<>());
        }
        for (int i = 0; i < objects.size(); i++) {
            groups.get(i % tasks).add(objects.get(i).apiName());
        }
        List<Map<String, String>> out = new ArrayList<>(tasks);
        for (List<String> group : groups) {
            Map<String, String> task = OutboundHttpConfig.withTaskShare(props, tasks);
            task.put(SupportSourceConfig.TASK_OBJECTS, String.join(",", group));
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
        return SupportSourceConfig.CONFIG_DEF;
    }

    /**
     * Static checks (each key, then rules across keys and the converters the records need), then, when the
     * connector's own keys are valid, the live check against the desk; every problem on the key to fix.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Map<String, ConfigValue> values = new LinkedHashMap<>();
        for (ConfigValue v : super.validate(connectorConfigs).configValues()) {
            values.put(v.name(), v);
        }
        boolean keysValid = values.values().stream().allMatch(v -> v.errorMessages().isEmpty());
        if (keysValid) {
            AbstractConfig parsed = new AbstractConfig(SupportSourceConfig.CONFIG_DEF, connectorConfigs, false);
            SupportSourceConfig.crossFieldProblems(parsed).forEach((key, messages) ->
                    messages.forEach(m -> SupportSourceConfig.report(values, key, m)));
        }
        SupportSourceConfig.converterProblems(connectorConfigs)
                .forEach((key, message) -> SupportSourceConfig.report(values, key, message));
        boolean ownKeysValid = values.entrySet().stream()
                .filter(e -> SupportSourceConfig.CONFIG_DEF.configKeys().containsKey(e.getKey()))
                .allMatch(e -> e.getValue().errorMessages().isEmpty());
        if (ownKeysValid) {
            SourceLiveValidation.check(new SupportSourceConfig(connectorConfigs)).forEach((key, messages) ->
                    messages.forEach(m -> SupportSourceConfig.report(values, key, m)));
        }
        return new Config(new ArrayList<>(values.values()));
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        // Offsets describe exactly the records before them, so records and offsets can commit in one transaction.
        return ExactlyOnceSupport.SUPPORTED;
    }

    /**
     * Accepts offset changes through the REST API (KIP-875) for this connector's object types: a reset (null) makes
     * that type start again from {@code backfill.start}; a written offset must be one this connector understands.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        Set<String> known = java.util.Arrays.stream(ZendeskObject.values()).map(ZendeskObject::apiName)
                .collect(Collectors.toSet());
        for (Map.Entry<Map<String, ?>, Map<String, ?>> e : offsets.entrySet()) {
            Object name = e.getKey() == null ? null : e.getKey().get(ExportOffset.PARTITION_KEY);
            if (!(name instanceof String) || !known.contains(name) || e.getKey().size() != 1) {
                throw new ConnectException("the source partition " + e.getKey() + " is not one of this connector's; "
                        + "expected {\"" + ExportOffset.PARTITION_KEY + "\": one of " + known + "}");
            }
            if (e.getValue() != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> offset = (Map<String, Object>) e.getValue();
                ExportOffset.fromMap(ZendeskObject.fromApiName((String) name).orElseThrow(), offset);
            }
        }
        return true;
    }
}
