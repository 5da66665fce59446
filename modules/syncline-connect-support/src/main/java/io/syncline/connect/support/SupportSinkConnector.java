package io.syncline.connect.support;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.syncline.delivery.DeliverySinkConnector;
import io.syncline.delivery.LiveValidation;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/**
 * Support sink: writes canonical records to Zendesk (or a Zendesk-compatible desk) as tickets, each found by its
 * external id so that it is opened once and then updated with safe_update, or as users created or updated by
 * e-mail, with the fields declared in configuration, on the shared delivery engine (order per ticket, retries
 * honouring Retry-After, rate limit, dead letters). See docs/connectors/support.md.
 */
public class SupportSinkConnector extends DeliverySinkConnector {

    @Override
    protected void check(Map<String, String> props) {
        new SupportSinkConfig(props);
    }

    @Override
    protected Map<String, List<String>> problems(Map<String, String> props) {
        return SupportSinkConfig.problems(props);
    }

    /** {@code GET <zendesk.url>/api/v2/users/me.json}: the credentials must be accepted there. */
    @Override
    protected LiveValidation.Probe probe(AbstractConfig config) {
        String base = config.getString(SupportSinkConfig.URL).trim();
        String root = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return new LiveValidation.Probe(SupportSinkConfig.URL, URI.create(root + "/api/v2/users/me.json"));
    }

    @Override
    public Class<? extends Task> taskClass() {
        return SupportSinkTask.class;
    }

    @Override
    public ConfigDef config() {
        return SupportSinkConfig.configDef();
    }
}
