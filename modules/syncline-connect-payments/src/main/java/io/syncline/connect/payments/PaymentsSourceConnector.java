package io.syncline.connect.payments;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.syncline.connect.common.DeprecatedKeys;
import io.syncline.connect.common.source.PollingSourceConnector;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/**
 * Kafka Connect source connector for Stripe (and Stripe-compatible) payments APIs: copies customers, charges,
 * payment intents, invoices and refunds into {@code raw.stripe.<object>}, first by a backfill through the list
 * endpoints, then incrementally through {@code /v1/events}, with its position in Connect's offsets.
 *
 * <p>The connector only validates and splits the work ({@link PollingSourceConnector}: one task per object type up
 * to {@code tasks.max}, each with its share of the request budget; exactly-once support). {@link PaymentsSourceTask}
 * does the polling.
 */
public final class PaymentsSourceConnector extends PollingSourceConnector<StripeObject> {

    @Override
    public Class<? extends Task> taskClass() {
        return PaymentsSourceTask.class;
    }

    @Override
    protected ConfigDef configDef() {
        return PaymentsSourceConfig.CONFIG_DEF;
    }

    @Override
    protected List<StripeObject> objects(Map<String, String> props) {
        return new PaymentsSourceConfig(props).objects();
    }

    @Override
    protected List<StripeObject> allObjects() {
        return Arrays.asList(StripeObject.values());
    }

    @Override
    protected String name(StripeObject object) {
        return object.apiName();
    }

    @Override
    protected String partitionKey() {
        return StreamOffset.PARTITION_KEY;
    }

    @Override
    protected Optional<StripeObject> named(String name) {
        return StripeObject.fromApiName(name);
    }

    @Override
    protected void checkOffset(StripeObject object, Map<String, ?> offset) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) offset;
        StreamOffset.fromMap(object, map);
    }

    @Override
    protected DeprecatedKeys deprecatedKeys() {
        return PaymentsSourceConfig.DEPRECATED_KEYS;
    }

    @Override
    protected Map<String, List<String>> crossFieldProblems(AbstractConfig parsed) {
        return PaymentsSourceConfig.crossFieldProblems(parsed);
    }

    @Override
    protected Map<String, String> converterProblems(Map<String, String> connectorConfig) {
        return PaymentsSourceConfig.converterProblems(connectorConfig);
    }

    @Override
    protected Map<String, List<String>> liveProblems(Map<String, String> connectorConfig) {
        return LiveValidation.check(new PaymentsSourceConfig(connectorConfig));
    }
}
