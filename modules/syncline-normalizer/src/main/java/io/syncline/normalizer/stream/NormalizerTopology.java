package io.syncline.normalizer.stream;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import io.syncline.normalizer.mapping.CompiledMapping;
import io.syncline.normalizer.mapping.MappingSet;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The normalizer's Kafka Streams topology, a function of its settings: raw topics in, one sink per canonical topic
 * and one for dead letters out, with one state store: the latest version emitted per canonical key, which drops both
 * duplicates and stale versions.
 */
public final class NormalizerTopology {

    public static final String SOURCE = "raw-records";
    public static final String PROCESSOR = "normalize";
    public static final String DLQ_SINK = "dead-letters";
    /**
     * Latest version per canonical key ({@link LatestVersion}). Named apart from the earlier {@code normalizer-latest}
     * store (updated-at alone, next to a window store of event ids) so that an old changelog is never read as this.
     */
    public static final String VERSIONS_STORE = "normalizer-versions";
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
     */
    public record Settings(MappingSet mappings, Map<String, ?> serdeConfig, String dlqTopic,
            NormalizerMetrics metrics) {

        public Settings {
            Objects.requireNonNull(mappings, "mappings");
            serdeConfig = Map.copyOf(Objects.requireNonNull(serdeConfig, "serdeConfig"));
            Objects.requireNonNull(dlqTopic, "dlqTopic");
            metrics = metrics == null ? NormalizerMetrics.inMemory() : metrics;
        }
    }

    private NormalizerTopology() {
    }

    public static Topology build(Settings settings) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                sourcePattern(settings.mappings()));
        topology.addProcessor(PROCESSOR, () -> new NormalizeProcessor(settings), SOURCE);
        // Cached: writes reach RocksDB and the changelog once per commit, and the versions of a busy object written
        // within one commit collapse into one.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VERSIONS_STORE),
                Serdes.String(), LatestVersion.serde()).withCachingEnabled(), PROCESSOR);
        if (merges(settings.mappings())) {
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OBJECTS_STORE),
                    Serdes.String(), ObjectState.serde()).withCachingEnabled(), PROCESSOR);
        }
        for (String topic : canonicalTopics(settings.mappings())) {
            topology.addSink(sinkName(topic), topic, new ByteArraySerializer(), new ByteArraySerializer(), PROCESSOR);
        }
        topology.addSink(DLQ_SINK, settings.dlqTopic(), new ByteArraySerializer(), new ByteArraySerializer(),
                PROCESSOR);
        return topology;
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
