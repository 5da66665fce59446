package io.syncline.connect.crm.source;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.syncline.connect.common.RawSourceConverters;
import io.syncline.connect.common.source.PollingSourceConnector;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/**
 * Kafka Connect source connector for HubSpot's CRM (and HubSpot-compatible APIs such as the CRM sandbox): copies
 * contacts, companies and deals, with their associations, into {@code raw.hubspot.<type>} as full objects, first by
 * a backfill through the list endpoints, then incrementally through the search API on the last-modified property;
 * archived objects become deletes and merged-away ids are retired. Its position lives in Connect's offsets.
 *
 * <p>The connector only validates and splits the work ({@link PollingSourceConnector}: one task per object type up
 * to {@code tasks.max}, each with its share of the request window; exactly-once support). The account's window itself
 * is shared with every connector of this plugin on the same account in the worker, such as the CRM contact sink.
 * {@link CrmSourceTask} does the reading.
 */
public final class CrmSourceConnector extends PollingSourceConnector<CrmObjectType> {

    @Override
    public Class<? extends Task> taskClass() {
        return CrmSourceTask.class;
    }

    @Override
    protected ConfigDef configDef() {
        return CrmSourceConfig.CONFIG_DEF;
    }

    @Override
    protected List<CrmObjectType> objects(Map<String, String> props) {
        return new CrmSourceConfig(props).objects();
    }

    @Override
    protected List<CrmObjectType> allObjects() {
        return Arrays.asList(CrmObjectType.values());
    }

    @Override
    protected String name(CrmObjectType type) {
        return type.singular();
    }

    @Override
    protected String partitionKey() {
        return SourceOffset.PARTITION_KEY;
    }

    @Override
    protected Optional<CrmObjectType> named(String name) {
        return CrmObjectType.named(name);
    }

    @Override
    protected void checkOffset(CrmObjectType type, Map<String, ?> offset) {
        SourceOffset.fromMap(type, offset);
    }

    @Override
    protected Map<String, List<String>> crossFieldProblems(AbstractConfig parsed) {
        return CrmSourceConfig.crossFieldProblems(parsed);
    }

    @Override
    protected Map<String, String> converterProblems(Map<String, String> connectorConfig) {
        return RawSourceConverters.problems(connectorConfig, "HubSpot");
    }

    @Override
    protected Map<String, List<String>> liveProblems(Map<String, String> connectorConfig) {
        return LiveValidation.check(new CrmSourceConfig(connectorConfig),
                connectorConfig.getOrDefault("name", "crm-source"));
    }
}
