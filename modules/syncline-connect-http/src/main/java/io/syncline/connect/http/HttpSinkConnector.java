package io.syncline.connect.http;

import java.util.List;
import java.util.Map;

import io.syncline.delivery.DeliverySinkConnector;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/**
 * Generic HTTP sink: sends each canonical change read from its topics (through the Avro converter) as a request built
 * from configuration (method, URL template, JSON body mapping, headers, auth), one per change or batched, with an
 * idempotency key per change, strict order per key, retries per the shared failure table, a rate limit per target,
 * and rejected changes in the dead-letter queue. See docs/connectors/http-sink.md.
 */
public class HttpSinkConnector extends DeliverySinkConnector {

    @Override
    protected void check(Map<String, String> props) {
        new HttpSinkConfig(props);
    }

    @Override
    protected Map<String, List<String>> problems(Map<String, String> props) {
        return HttpSinkConfig.problems(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return HttpSinkTask.class;
    }

    @Override
    public ConfigDef config() {
        return HttpSinkConfig.configDef();
    }
}
