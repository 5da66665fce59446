package io.syncline.connect.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.syncline.connect.http.delivery.ConnectorValidation;
import io.syncline.connect.http.delivery.Version;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Generic HTTP sink: sends each canonical change read from its topics (through the Avro converter) as a request built
 * from configuration (method, URL template, JSON body mapping, headers, auth), one per change or batched, with an
 * idempotency key per change, strict order per key, retries per the shared failure table, a rate limit per target,
 * and rejected changes in the dead-letter queue. See docs/connectors/http-sink.md.
 */
public class HttpSinkConnector extends SinkConnector {

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        new HttpSinkConfig(props); // fail fast with every problem named
        this.props = new HashMap<>(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return HttpSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            configs.add(new HashMap<>(props));
        }
        return configs;
    }

    @Override
    public void stop() {
        // Nothing to release: the tasks own the HTTP clients.
    }

    @Override
    public ConfigDef config() {
        return HttpSinkConfig.configDef();
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        return ConnectorValidation.withProblems(config, HttpSinkConfig.problems(connectorConfigs));
    }

    @Override
    public String version() {
        return Version.get();
    }
}
