package io.syncline.connect.support;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.syncline.connect.common.source.PollingSourceConnector;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/**
 * Kafka Connect source connector for Zendesk Support (and Zendesk-compatible desks): copies tickets, users,
 * organizations and ticket comments into {@code raw.zendesk.<object>} through Zendesk's incremental exports
 * (cursor-based for tickets and users, time-based for organizations and ticket events), with its place in each
 * export in Connect's offsets. See docs/connectors/support.md.
 *
 * <p>The connector only validates and splits the work ({@link PollingSourceConnector}: one task per object type up
 * to {@code tasks.max}, each with its share of the export request window; exactly-once support). A reset offset
 * makes that type start again from {@code backfill.start}. {@link SupportSourceTask} does the reading.
 */
public final class SupportSourceConnector extends PollingSourceConnector<ZendeskObject> {

    @Override
    public Class<? extends Task> taskClass() {
        return SupportSourceTask.class;
    }

    /** One config per task: the object types dealt out in turn, and the rate limits split evenly. */
    static List<Map<String, String>> taskConfigs(Map<String, String> props, SupportSourceConfig config, int maxTasks) {
        return taskConfigs(props, config.objects().stream().map(ZendeskObject::apiName).toList(), maxTasks);
    }

    @Override
    protected ConfigDef configDef() {
        return SupportSourceConfig.CONFIG_DEF;
    }

    @Override
    protected List<ZendeskObject> objects(Map<String, String> props) {
        return new SupportSourceConfig(props).objects();
    }

    @Override
    protected List<ZendeskObject> allObjects() {
        return Arrays.asList(ZendeskObject.values());
    }

    @Override
    protected String name(ZendeskObject object) {
        return object.apiName();
    }

    @Override
    protected String partitionKey() {
        return ExportOffset.PARTITION_KEY;
    }

    @Override
    protected Optional<ZendeskObject> named(String name) {
        return ZendeskObject.fromApiName(name);
    }

    @Override
    protected void checkOffset(ZendeskObject object, Map<String, ?> offset) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) offset;
        ExportOffset.fromMap(object, map);
    }

    @Override
    protected Map<String, List<String>> crossFieldProblems(AbstractConfig parsed) {
        return SupportSourceConfig.crossFieldProblems(parsed);
    }

    @Override
    protected Map<String, String> converterProblems(Map<String, String> connectorConfig) {
        return SupportSourceConfig.converterProblems(connectorConfig);
    }

    @Override
    protected Map<String, List<String>> liveProblems(Map<String, String> connectorConfig) {
        return SourceLiveValidation.check(new SupportSourceConfig(connectorConfig));
    }
}
