package io.syncline.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.syncline.connect.common.ConnectorValidation;
import io.syncline.connect.common.OutboundHttpConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * The connector side every Syncline HTTP sink shares: it checks the whole configuration at start (every problem
 * named on its key), reports static and then live problems in {@code validate}, hands each task the same
 * configuration with its share of the rate limits, and leaves the work to the tasks, which own the HTTP clients. A
 * sink says only what its configuration is and which read-only request checks its target.
 */
public abstract class DeliverySinkConnector extends SinkConnector {

    private Map<String, String> props;

    /** Parses the configuration, throwing with every problem named on its key. */
    protected abstract void check(Map<String, String> props);

    /** Cross-field problems by key, without throwing (for {@code validate}). */
    protected abstract Map<String, List<String>> problems(Map<String, String> props);

    /** At most how many tasks this sink runs: {@code maxTasks}, unless the sink needs fewer. */
    protected int tasks(int maxTasks) {
        return maxTasks;
    }

    @Override
    public final void start(Map<String, String> props) {
        check(props); // fail fast with every problem named
        this.props = new HashMap<>(props);
    }

    @Override
    public final List<Map<String, String>> taskConfigs(int maxTasks) {
        int n = tasks(maxTasks);
        List<Map<String, String>> configs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            // Each task gets its share of the connector's rate limits (rate.limit.*: for the whole connector).
            configs.add(OutboundHttpConfig.withTaskShare(props, n));
        }
        return configs;
    }

    @Override
    public void stop() {
        // Nothing to release: the tasks own the HTTP clients.
    }

    /**
     * Static checks (each key, then the rules across keys), then, when nothing static is wrong and
     * {@value DeliveryConfig#VALIDATE_LIVE} is on, the live check of {@link LiveValidation}: the target and the
     * credentials tried with one read-only request; every problem on the key to fix.
     */
    @Override
    public final Config validate(Map<String, String> connectorConfigs) {
        Config config = ConnectorValidation.withProblems(super.validate(connectorConfigs), problems(connectorConfigs));
        if (ConnectorValidation.hasErrors(config)) {
            return config; // a live check of a config that is wrong anyway would only add noise
        }
        AbstractConfig parsed = new AbstractConfig(config(), connectorConfigs, false);
        if (!parsed.getBoolean(DeliveryConfig.VALIDATE_LIVE)) {
            return config;
        }
        return ConnectorValidation.withProblems(config, LiveValidation.check(parsed, probe(parsed),
                connectorConfigs.getOrDefault("name", "sink")));
    }

    /** The read-only request {@link #validate} sends the target: a GET the sink's credentials must be accepted for. */
    protected abstract LiveValidation.Probe probe(AbstractConfig config);

    @Override
    public abstract ConfigDef config();

    @Override
    public String version() {
        return Version.get();
    }
}
