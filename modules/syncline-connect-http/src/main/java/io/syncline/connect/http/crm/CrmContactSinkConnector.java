package io.syncline.connect.http.crm;

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
 * CRM contact sink: keeps HubSpot(-compatible) contacts in step with canonical {@code finance.Customer} and
 * {@code finance.Payment} records, upserting by e-mail through {@code batch/upsert} with the contact properties from
 * configuration, on the shared delivery engine (idempotency key per change, order per contact, retries, rate limit,
 * dead letters, OAuth2). See docs/connectors/crm.md.
 */
public class CrmContactSinkConnector extends SinkConnector {

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        new CrmContactSinkConfig(props); // fail fast with every problem named
        this.props = new HashMap<>(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return CrmContactSinkTask.class;
    }

    /**
     * One task, whatever {@code tasks.max} says: a payment finds its contact through the customer records, so one
     * task must read both topics' partitions. Concurrency comes from the delivery lanes (delivery.lanes), and a CRM's
     * rate limit (HubSpot: 100 requests per 10 s) is reached long before one task is the bottleneck.
     */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(new HashMap<>(props));
    }

    @Override
    public void stop() {
        // Nothing to release: the tasks own the HTTP clients.
    }

    @Override
    public ConfigDef config() {
        return CrmContactSinkConfig.configDef();
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        return ConnectorValidation.withProblems(config, CrmContactSinkConfig.problems(connectorConfigs));
    }

    @Override
    public String version() {
        return Version.get();
    }
}
