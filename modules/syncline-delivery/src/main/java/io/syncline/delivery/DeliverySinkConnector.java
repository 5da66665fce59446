package io.syncline.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * The connector side every Syncline HTTP sink shares: it checks the whole configuration at start (every problem
 * named on its key), reports cross-field problems in {@code validate}, hands each task the same configuration, and
 * leaves the work to the tasks, which own the HTTP clients. A sink says only what its configuration is.
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
            configs.add(new HashMap<>(props));
        }
        return configs;
    }

    @Override
    public void stop() {
        // Nothing to release: the tasks own the HTTP clients.
    }

    @Override
    public final Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        return ConnectorValidation.withProblems(config, problems(connectorConfigs));
    }

    @Override
    public abstract ConfigDef config();

    @Override
    public String version() {
        return Version.get();
    }
}
