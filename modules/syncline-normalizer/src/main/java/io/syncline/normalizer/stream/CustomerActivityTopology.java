package io.syncline.normalizer.stream;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

import io.syncline.schemas.CanonicalSchemas;
import io.syncline.schemas.finance.Customer;
import io.syncline.schemas.finance.CustomerActivity;
import io.syncline.schemas.finance.Payment;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.Stores;

/**
 * The customer-activity join, a sub-topology of the normalizer's Kafka Streams application: canonical customers and
 * canonical payments in, {@code canonical.finance.customer-activity.v1} out, all state in stores with changelogs, so
 * that it is exactly-once, survives restarts and scales with the normalizer's instances.
 *
 * <pre>
 * canonical.finance.payment.v1 ─▶ route (key: the payer) ─▶ rekeyed-payments (repartition topic) ─┐
 * canonical.finance.customer.v1 ──────────────────────────────────────────────────────────────────┴▶ customer-activity ─▶ canonical.finance.customer-activity.v1
 *                                                                              stores: customer-activity, -payments, -waiting
 * </pre>
 *
 * <p>{@link NormalizerTopology#build} adds it after the normalizer's nodes: Kafka Streams numbers sub-topologies in
 * the order their nodes were added, and the normalizer's must stay sub-topology 0 so that its tasks keep their ids
 * (and local state directories) when the join is turned on or off.
 */
public final class CustomerActivityTopology {

    public static final String CUSTOMERS_SOURCE = "read-canonical-customers";
    public static final String PAYMENTS_SOURCE = "read-canonical-payments";
    public static final String ROUTER = "route-payments-to-payers";
    /** Name of the repartition step; its topic is {@code <application.id>-rekeyed-payments-repartition}. */
    public static final String REKEYED = "rekeyed-payments";
    public static final String MERGE = "merge-customers-and-payments";
    public static final String PROCESSOR = "customer-activity";
    public static final String SINK = "to-customer-activity";
    /** The activity per payer: the last record written (or, while its customer is unknown, the state so far). */
    public static final String ACTIVITY_STORE = "customer-activity";
    /** One {@link PaymentContribution} per payment, keyed {@code <payer>\u0000<payment id>}. */
    public static final String PAYMENTS_STORE = "customer-activity-payments";
    /** Payment changes waiting per payer whose customer has not arrived; payers without any are absent. */
    public static final String WAITING_STORE = "customer-activity-waiting";

    public static final String CUSTOMER_ENTITY = "finance.Customer";
    public static final String PAYMENT_ENTITY = "finance.Payment";

    /** The topic the join writes: {@code canonical.finance.customer-activity.v1}. */
    public static final String TOPIC = CanonicalSchemas.entity(CustomerActivity.class).topic();

    /**
     * What the join needs.
     *
     * @param customerTopic canonical customers, {@code canonical.finance.customer.v1}
     * @param paymentTopic canonical payments, {@code canonical.finance.payment.v1}
     * @param activityTopic where the activity goes, {@code canonical.finance.customer-activity.v1}
     * @param partitions partitions of the repartition topic: the customer topic's, so that a payer's payments and its
     *     customer meet in the same task; null lets Kafka Streams take the payment topic's (tests)
     * @param serdeConfig the registry serde's configuration
     * @param dlqTopic where a canonical record that cannot be decoded goes
     * @param metrics counters
     */
    public record Settings(String customerTopic, String paymentTopic, String activityTopic, Integer partitions,
            Map<String, ?> serdeConfig, String dlqTopic, NormalizerMetrics metrics) {

        public Settings {
            Objects.requireNonNull(customerTopic, "customerTopic");
            Objects.requireNonNull(paymentTopic, "paymentTopic");
            Objects.requireNonNull(activityTopic, "activityTopic");
            serdeConfig = Map.copyOf(Objects.requireNonNull(serdeConfig, "serdeConfig"));
            Objects.requireNonNull(dlqTopic, "dlqTopic");
            metrics = metrics == null ? NormalizerMetrics.inMemory() : metrics;
        }

        /** The canonical topics of the catalogue's customer, payment and activity entities. */
        public static Settings canonical(Integer partitions, Map<String, ?> serdeConfig, String dlqTopic,
                NormalizerMetrics metrics) {
            return new Settings(CanonicalSchemas.entity(Customer.class).topic(),
                    CanonicalSchemas.entity(Payment.class).topic(), TOPIC, partitions, serdeConfig, dlqTopic,
                    metrics);
        }
    }

    private CustomerActivityTopology() {
    }

    /** Adds the join to {@code builder}. */
    public static void addTo(StreamsBuilder builder, Settings settings) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ACTIVITY_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PAYMENTS_STORE),
                Serdes.String(), PaymentContribution.serde()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(WAITING_STORE),
                Serdes.String(), Serdes.Long()));

        Repartitioned<String, byte[]> rekeyed = Repartitioned.<String, byte[]>as(REKEYED)
                .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray());
        if (settings.partitions() != null) {
            rekeyed = rekeyed.withNumberOfPartitions(settings.partitions());
        }
        KStream<String, byte[]> payments = builder.stream(settings.paymentTopic(),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(PAYMENTS_SOURCE))
                .process(() -> new PaymentRouter(settings), Named.as(ROUTER))
                .repartition(rekeyed);
        KStream<String, byte[]> customers = builder.stream(settings.customerTopic(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(CUSTOMERS_SOURCE));
        TopicNameExtractor<String, byte[]> destination = (key, value, context) ->
                isDeadLetter(context.headers()) ? settings.dlqTopic() : settings.activityTopic();
        customers.merge(payments, Named.as(MERGE))
                .process(() -> new CustomerActivityProcessor(settings), Named.as(PROCESSOR), ACTIVITY_STORE,
                        PAYMENTS_STORE, WAITING_STORE)
                .to(destination, Produced.with(Serdes.String(), Serdes.ByteArray()).withName(SINK));
    }

    /** Dead letters carry the error stage header; nothing else the join writes does. */
    private static boolean isDeadLetter(org.apache.kafka.common.header.Headers headers) {
        Header stage = headers.lastHeader(DeadLetterHeaders.ERROR_STAGE);
        return stage != null && stage.value() != null
                && DeadLetterHeaders.STAGE.equals(new String(stage.value(), StandardCharsets.UTF_8));
    }
}
