package io.syncline.normalizer.stream;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import io.syncline.normalizer.mapping.CompiledMapping;
import io.syncline.normalizer.mapping.MappingSet;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The normalizer's Kafka Streams topology, a function of its settings: raw topics in, one sink per canonical topic
 * and one for dead letters out, with one state store: the latest version emitted per canonical key, which drops both
 * duplicates and stale versions. With {@link Settings#activity()} set, the customer-activity join
 * ({@link CustomerActivityTopology}) runs as further sub-topologies of the same application.
 */
public final class NormalizerTopology {

    public static final String SOURCE = "raw-records";
    public static final String PROCESSOR = "normalize";
    public static final String DLQ_SINK = "dead-letters";
    /**
     * Latest version per canonical key ({@link LatestVersion}: updated-at, the mapping's version ranks, event ids).
     * Named apart from the earlier {@code normalizer-versions} (updated-at and ids, without ranks) and
     * {@code normalizer-latest} (updated-at alone) so that an old changelog is never read as this, and a downgrade
     * finds its own store as it left it. After the upgrade the store starts empty: the first version of each key
     * passes once.
     */
    public static final String VERSIONS_STORE = "normalizer-ranked-versions";
    /**
     * Latest full version, newer property changes and last emitted content per object of a mapping that merges
     * single property changes ({@link ObjectState}); present only when such a mapping exists.
     */
    public static final String OBJECTS_STORE = "normalizer-objects";
    /** Raw topics the normalizer reads besides those its mappings name, so that none sits unread. */
    public static final String RAW_TOPICS = "raw\\..*";

    /**
     * What the topology needs.
     *
     * @param mappings the compiled mappings (they name the raw and canonical topics)
     * @param serdeConfig the value serializer's configuration: {@code schema.registry.url} and other serde keys
     * @param dlqTopic where failures go, {@code dlq.normalizer}
     * @param metrics counters and timers
     * @param activity the customer-activity join's settings; null: no join
     * @param identity identity resolution's settings; null: none
     */
    public record Settings(MappingSet mappings, Map<String, ?> serdeConfig, String dlqTopic,
            NormalizerMetrics metrics, CustomerActivityTopology.Settings activity,
            IdentityTopology.Settings identity) {

        public Settings {
            Objects.requireNonNull(mappings, "mappings");
            serdeConfig = Map.copyOf(Objects.requireNonNull(serdeConfig, "serdeConfig"));
            Objects.requireNonNull(dlqTopic, "dlqTopic");
            metrics = metrics == null ? NormalizerMetrics.inMemory() : metrics;
        }

        /** Settings without identity resolution. */
        public Settings(MappingSet mappings, Map<String, ?> serdeConfig, String dlqTopic, NormalizerMetrics metrics,
                CustomerActivityTopology.Settings activity) {
            this(mappings, serdeConfig, dlqTopic, metrics, activity, null);
        }

        /** Settings without the customer-activity join. */
        public Settings(MappingSet mappings, Map<String, ?> serdeConfig, String dlqTopic, NormalizerMetrics metrics) {
            this(mappings, serdeConfig, dlqTopic, metrics, null, null);
        }
    }

    private NormalizerTopology() {
    }

    public static Topology build(Settings settings) {
        // One StreamsBuilder for both parts: the join needs a repartition topic, which only the DSL declares as
        // internal (created, sized and purged by Kafka Streams). The normalizer's nodes are created first and keep
        // the names they had as plain Processor API nodes: Kafka Streams numbers sub-topologies in the order their
        // nodes were added, so the normalizer stays sub-topology 0 and its tasks keep their ids and local state
        // whether the join runs or not.
        StreamsBuilder builder = new StreamsBuilder();
        // Cached: writes reach RocksDB and the changelog once per commit, and the versions of a busy object written
        // within one commit collapse into one.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VERSIONS_STORE),
                Serdes.String(), LatestVersion.serde()).withCachingEnabled());
        List<String> stores = new ArrayList<>(List.of(VERSIONS_STORE));
        if (merges(settings.mappings())) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OBJECTS_STORE),
                    Serdes.String(), ObjectState.serde()).withCachingEnabled());
            stores.add(OBJECTS_STORE);
        }
        KStream<byte[], byte[]> normalized = builder
                .stream(sourcePattern(settings.mappings()),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SOURCE))
                .process(() -> new NormalizeProcessor(settings), Named.as(PROCESSOR), stores.toArray(String[]::new));
        // NormalizeProcessor forwards each record to the sink of its canonical topic (or the DLQ) by name.
        for (String topic : canonicalTopics(settings.mappings())) {
            normalized.to(topic, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(sinkName(topic)));
        }
        normalized.to(settings.dlqTopic(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(DLQ_SINK));
        if (settings.activity() != null) {
            CustomerActivityTopology.addTo(builder, settings.activity());
        }
        // Last, so that every earlier sub-topology keeps its number (and its tasks their state) either way.
        if (settings.identity() != null) {
            IdentityTopology.addTo(builder, settings.identity());
        }
        return builder.build();
    }

    /**
     * Whether the mappings write both entities the customer-activity join reads, {@code finance.Customer} and
     * {@code finance.Payment}: where they do, the join runs unless configuration turns it off.
     */
    public static boolean feedsCustomerActivity(MappingSet mappings) {
        Set<String> entities = new LinkedHashSet<>();
        for (CompiledMapping m : mappings.all()) {
            entities.add(m.target().name());
        }
        return entities.contains(CustomerActivityTopology.CUSTOMER_ENTITY)
                && entities.contains(CustomerActivityTopology.PAYMENT_ENTITY);
    }

    /**
     * Whether the mappings write an entity identity resolution reads (a customer, contact or support user): where
     * they do, it runs unless configuration turns it off.
     */
    public static boolean feedsIdentity(MappingSet mappings) {
        return mappings.all().stream().anyMatch(m -> IdentityTopology.ENTITIES.contains(m.target().name()));
    }

    /**
     * What the normalizer subscribes to: every {@code raw.*} topic (so that a raw topic nothing maps is read and its
     * records dead-lettered with the reason, not left unread), plus the topics mappings or ignore lists name outside
     * that prefix (e.g. {@code cdc.*}). Topics created later are picked up at the next metadata refresh.
     */
    public static Pattern sourcePattern(MappingSet mappings) {
        StringBuilder p = new StringBuilder(RAW_TOPICS);
        Set<String> named = new LinkedHashSet<>(mappings.topics());
        named.addAll(mappings.ignoredTopics());
        for (String t : named) {
            if (!t.startsWith("raw.")) {
                p.append('|').append(Pattern.quote(t));
            }
        }
        return Pattern.compile(p.toString());
    }

    /** True when some mapping merges single property changes (and so needs {@link #OBJECTS_STORE}). */
    public static boolean merges(MappingSet mappings) {
        return mappings.all().stream().anyMatch(CompiledMapping::merges);
    }

    /** The canonical topics the mappings write. */
    public static Set<String> canonicalTopics(MappingSet mappings) {
        Set<String> topics = new LinkedHashSet<>();
        for (CompiledMapping m : mappings.all()) {
            topics.add(m.target().topic());
        }
        return topics;
    }

    static String sinkName(String canonicalTopic) {
        return "to-" + canonicalTopic;
    }
}
