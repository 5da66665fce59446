package io.syncline.connect.crm;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.syncline.delivery.DeliverySinkConnector;
import io.syncline.delivery.LiveValidation;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/**
 * CRM contact sink: keeps HubSpot(-compatible) contacts in step with canonical {@code finance.CustomerActivity}
 * records (each payer's customer, newest payment and lifetime value, joined by the normalizer), upserting by e-mail
 * through {@code batch/upsert} with the contact properties from configuration, on the shared delivery engine
 * (idempotency key per change, order per contact, retries, rate limit, dead letters, OAuth2). Its tasks keep no state,
 * so it runs as many as {@code tasks.max} allows. See docs/connectors/crm.md.
 */
public class CrmContactSinkConnector extends DeliverySinkConnector {

    @Override
    protected void check(Map<String, String> props) {
        new CrmContactSinkConfig(props);
    }

    @Override
    protected Map<String, List<String>> problems(Map<String, String> props) {
        return CrmContactSinkConfig.problems(props);
    }

    /** One contact read, {@code GET <crm.url>/crm/v3/objects/contacts?limit=1}: the token must be accepted there. */
    @Override
    protected LiveValidation.Probe probe(AbstractConfig config) {
        String base = config.getString(CrmContactSinkConfig.CRM_URL).trim();
        String root = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return new LiveValidation.Probe(CrmContactSinkConfig.CRM_URL,
                URI.create(root + "/crm/v3/objects/contacts?limit=1"));
    }

    @Override
    public Class<? extends Task> taskClass() {
        return CrmContactSinkTask.class;
    }

    @Override
    public ConfigDef config() {
        return CrmContactSinkConfig.configDef();
    }
}
