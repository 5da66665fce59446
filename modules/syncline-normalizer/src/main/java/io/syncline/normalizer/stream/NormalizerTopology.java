package io.syncline.normalizer.stream;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.syncline.normalizer.mapping.CompiledMapping;
import io.syncline.normalizer.mapping.MappingSet;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The normalizer's Kafka Streams topology, a function of its settings: raw topics in, one sink per canonical topic
 * and one for dead letters out, with two state stores (event ids seen, latest updated-at per canonical key).
 */
public final class NormalizerTopology {

    public static final String SOURCE = "raw-records";
    public static final String PROCESSOR = "normalize";
    public static final String DLQ_SINK = "dead-letters";
    public static final String DEDUPE_STORE = "normalizer-dedupe";
    public static final String LATEST_STORE = "normalizer-latest";

    /**
     * What the topology needs.
     *
     * @param mappings the compiled mappings (they name the raw and canonical topics)
     * @param serdeConfig the value serializer's configuration: {@code schema.registry.url} and other serde keys
     * @param dlqTopic where failures go, {@code dlq.normalizer}
     * @param dedupeWindow how long an event id is remembered
     * @param metrics counters and timers
     */
    public record Settings(MappingSet mappings, Map<String, ?> serdeConfig, String dlqTopic, Duration dedupeWindow,
            NormalizerMetrics metrics) {

        public Settings {
            Objects.requireNonNull(mappings, "mappings");
            serdeConfig = Map.copyOf(Objects.requireNonNull(serdeConfig, "serdeConfig"));
            Objects.requireNonNull(dlqTopic, "dlqTopic");
            if (dedupeWindow == null || dedupeWindow.isNegative() || dedupeWindow.isZero()) {
                throw new IllegalArgumentException("the dedupe window must be positive, got " + dedupeWindow);
            }
            metrics = metrics == null ? NormalizerMetrics.inMemory() : metrics;
        }
    }

    private NormalizerTopology() {
    }

    public static Topology build(Settings settings) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                settings.mappings().topics().toArray(new String[0]));
        topology.addProcessor(PROCESSOR, () -> new NormalizeProcessor(settings), SOURCE);
        Duration window = settings.dedupeWindow();
        // Cached stores: writes reach RocksDB and the changelog once per commit, and repeated updates of one key
        // (many versions of a busy object) collapse into one.
        topology.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(DEDUPE_STORE, window, window, false), Serdes.String(), Serdes.Long())
                .withCachingEnabled(), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(LATEST_STORE), Serdes.String(), Serdes.Long()).withCachingEnabled(),
                PROCESSOR);
        for (String topic : canonicalTopics(settings.mappings())) {
            topology.addSink(sinkName(topic), topic, new ByteArraySerializer(), new ByteArraySerializer(), PROCESSOR);
        }
        topology.addSink(DLQ_SINK, settings.dlqTopic(), new ByteArraySerializer(), new ByteArraySerializer(),
                PROCESSOR);
        return topology;
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
