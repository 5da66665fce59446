package io.syncline.connect.payments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.syncline.connect.common.DeprecatedKeys;
import io.syncline.connect.common.OutboundHttpConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Connect source connector for Stripe (and Stripe-compatible) payments APIs: copies customers, charges,
 * payment intents, invoices and refunds into {@code raw.stripe.<object>}, first by a backfill through the list
 * endpoints, then incrementally through {@code /v1/events}, with its position in Connect's offsets.
 *
 * <p>The connector only validates and splits the work: one task per object type up to {@code tasks.max}, each with
 * its share of the request budget. {@link PaymentsSourceTask} does the polling. It supports exactly-once delivery
 * (KIP-618) when the worker enables it: records and offsets are committed in one transaction per poll.
 */
public final class PaymentsSourceConnector extends SourceConnector {
    private static final Logger LOG = LoggerFactory.getLogger(PaymentsSourceConnector.class);

    private Map<String, String> props;
    private PaymentsSourceConfig config;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        PaymentsSourceConfig.DEPRECATED_KEYS.warn(LOG, props);
        this.props = Map.copyOf(props);
        this.config = new PaymentsSourceConfig(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return PaymentsSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return taskConfigs(props, config, maxTasks);
    }

    /** One config per task: the object types dealt out in turn, and the rate limits split evenly. */
    static List<Map<String, String>> taskConfigs(Map<String, String> props, PaymentsSourceConfig config, int maxTasks) {
        List<StripeObject> objects = config.objects();
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
            task.put(PaymentsSourceConfig.TASK_OBJECTS, String.join(",", group));
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
        return PaymentsSourceConfig.CONFIG_DEF;
    }

    /**
     * Static checks (each key, then rules across keys and the converters the records need), then, when the
     * connector's own keys are valid, live checks against the API; every problem on the key to fix.
     */
    @Override
    public Config validate(Map<String, String> given) {
        // Keys renamed since are validated under their new names; a problem found there shows on the old key too.
        DeprecatedKeys.Resolved resolved = PaymentsSourceConfig.DEPRECATED_KEYS.resolve(given);
        Map<String, String> connectorConfigs = resolved.props();
        Map<String, ConfigValue> values = new LinkedHashMap<>();
        for (ConfigValue v : super.validate(connectorConfigs).configValues()) {
            values.put(v.name(), v);
        }
        boolean keysValid = values.values().stream().allMatch(v -> v.errorMessages().isEmpty());
        if (keysValid) {
            AbstractConfig parsed = new AbstractConfig(PaymentsSourceConfig.CONFIG_DEF, connectorConfigs, false);
            PaymentsSourceConfig.crossFieldProblems(parsed).forEach((key, messages) ->
                    messages.forEach(m -> PaymentsSourceConfig.report(values, key, m)));
        }
        PaymentsSourceConfig.converterProblems(connectorConfigs)
                .forEach((key, message) -> PaymentsSourceConfig.report(values, key, message));
        boolean ownKeysValid = values.entrySet().stream()
                .filter(e -> PaymentsSourceConfig.CONFIG_DEF.configKeys().containsKey(e.getKey()))
                .allMatch(e -> e.getValue().errorMessages().isEmpty());
        if (ownKeysValid) {
            LiveValidation.check(new PaymentsSourceConfig(connectorConfigs)).forEach((key, messages) ->
                    messages.forEach(m -> PaymentsSourceConfig.report(values, key, m)));
        }
        return DeprecatedKeys.mirror(new Config(new ArrayList<>(values.values())), resolved);
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        // Offsets describe exactly the records before them, so records and offsets can commit in one transaction.
        return ExactlyOnceSupport.SUPPORTED;
    }

    /**
     * Accepts offset changes through the REST API (KIP-875) for the object types of this connector: a reset
     * (null) makes that type backfill again; a written offset must be one this connector understands.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        Set<String> known = java.util.Arrays.stream(StripeObject.values()).map(StripeObject::apiName)
                .collect(Collectors.toSet());
        for (Map.Entry<Map<String, ?>, Map<String, ?>> e : offsets.entrySet()) {
            Object name = e.getKey() == null ? null : e.getKey().get(StreamOffset.PARTITION_KEY);
            if (!(name instanceof String) || !known.contains(name) || e.getKey().size() != 1) {
                throw new ConnectException("the source partition " + e.getKey() + " is not one of this connector's; "
                        + "expected {\"" + StreamOffset.PARTITION_KEY + "\": one of " + known + "}");
            }
            if (e.getValue() != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> offset = (Map<String, Object>) e.getValue();
                StreamOffset.fromMap(StripeObject.fromApiName((String) name).orElseThrow(), offset);
            }
        }
        return true;
    }
}
