package io.syncline.connect.http;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.syncline.delivery.DeliverySinkConnector;
import io.syncline.delivery.LiveValidation;
import org.apache.kafka.common.config.AbstractConfig;
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

    /**
     * A GET on the URL up to its first placeholder or query, e.g. https://api.example.com/v1/customers/ for
     * https://api.example.com/v1/customers/{metadata.source_id}: the collection the sink writes into.
     */
    @Override
    protected LiveValidation.Probe probe(AbstractConfig config) {
        return new LiveValidation.Probe(HttpSinkConfig.URL, URI.create(probeUrl(config.getString(HttpSinkConfig.URL))));
    }

    static String probeUrl(String template) {
        String t = template.trim();
        int end = t.length();
        for (char c : new char[] {'{', '?', '#'}) {
            int i = t.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return t.substring(0, end);
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
