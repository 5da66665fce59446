package io.syncline.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.normalizer.Normalizer;
import io.syncline.normalizer.NormalizerSettings;
import io.syncline.registry.server.SchemaRegistryServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * Load driver: normalizer throughput against an identity pass-through topology (bytes in, bytes out), both Kafka
 * Streams with exactly_once_v2, one stream thread, on the same embedded broker, the same input and in the same run.
 * Goal: the normalizer reaches at least 0.5× the identity topology's records per second.
 *
 * <pre>java -cp modules/syncline-bench/target/benchmarks.jar io.syncline.bench.NormalizerThroughput [records]</pre>
 *
 * Run from the repository root (mappings from ./mappings, or -Dsyncline.mappings=DIR). Results: docs/benchmarks.md.
 */
public final class NormalizerThroughput {

    static final String RAW = "raw.stripe.charge";
    private static final int PARTITIONS = 4;

    private NormalizerThroughput() {
    }

    /** One measured run: records per second between the first and the last output record, and wall time. */
    record Result(String name, int records, double perSecond, Duration total) {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        Path mappings = Path.of(System.getProperty("syncline.mappings", "mappings")).toAbsolutePath();
        Path dir = Files.createTempDirectory("normalizer-throughput");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).build().start();
             SchemaRegistryServer registry = SchemaRegistryServer.builder(broker.bootstrapServers()).port(0).build()
                     .start()) {
            String bootstrap = broker.bootstrapServers();
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic(RAW, PARTITIONS, (short) 1),
                        new NewTopic("identity.out", PARTITIONS, (short) 1))).all().get();
            }
            long bytes = produce(bootstrap, records);
            System.out.printf(Locale.ROOT, "produced %,d charge events (%,d bytes, %.0f bytes each) to %s%n", records,
                    bytes, (double) bytes / records, RAW);

            Result identity = identity(bootstrap, dir, records);
            Result normalizer = normalizer(bootstrap, registry.url(), mappings, dir, records);
            System.out.printf(Locale.ROOT, "%n%-12s %10s %14s %10s%n", "topology", "records", "records/s", "wall");
            for (Result r : List.of(identity, normalizer)) {
                System.out.printf(Locale.ROOT, "%-12s %,10d %,14.0f %9.1fs%n", r.name(), r.records(), r.perSecond(),
                        r.total().toMillis() / 1000.0);
            }
            System.out.printf(Locale.ROOT, "ratio normalizer/identity: %.2f (goal >= 0.5)%n",
                    normalizer.perSecond() / identity.perSecond());
        }
    }

    static long produce(String bootstrap, int records) throws Exception {
        String template = new String(NormalizerBenchmark.chargeEvent(), StandardCharsets.UTF_8);
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "acks", "all", "linger.ms", 20, "batch.size", 262_144, "compression.type", "none"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                String charge = "ch_tp_" + (i % 2000);
                String json = template.replace("evt_3PkL2nLkdIwHu7ix0aaa0001", "evt_tp_" + i)
                        .replace("ch_3PkL2mLkdIwHu7ix0snN0B15", charge)
                        .replace("\"created\":1717171718", "\"created\":" + (1_717_171_718L + i));
                byte[] value = json.getBytes(StandardCharsets.UTF_8);
                bytes += value.length;
                producer.send(new ProducerRecord<>(RAW, charge.getBytes(StandardCharsets.UTF_8), value));
            }
            producer.flush();
        }
        return bytes;
    }

    private static Result identity(String bootstrap, Path dir, int records) throws Exception {
        Topology topology = new Topology();
        topology.addSource("in", new ByteArrayDeserializer(), new ByteArrayDeserializer(), RAW);
        topology.addSink("out", "identity.out", new ByteArraySerializer(), new ByteArraySerializer(), "in");
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "throughput-identity");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("identity-state").toString());
        long start = System.nanoTime();
        try (KafkaStreams streams = new KafkaStreams(topology, p)) {
            streams.start();
            return measure("identity", bootstrap, "identity.out", records, start);
        }
    }

    private static Result normalizer(String bootstrap, String registryUrl, Path mappings, Path dir, int records)
            throws Exception {
        NormalizerSettings settings = NormalizerSettings.defaults(bootstrap, registryUrl, mappings,
                dir.resolve("normalizer-state")).withApplicationId("throughput-normalizer").withPartitions(PARTITIONS);
        long start = System.nanoTime();
        try (Normalizer normalizer = Normalizer.create(settings).start()) {
            return measure("normalizer", bootstrap, "canonical.finance.payment.v1", records, start);
        }
    }

    /** Reads the output with read_committed until every record is there; the rate is first to last record. */
    static Result measure(String name, String bootstrap, String topic, int records, long start) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "isolation.level", "read_committed", "enable.auto.commit", false, "fetch.max.bytes", 52_428_800),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = null;
            while (parts == null) {
                var infos = consumer.listTopics(Duration.ofSeconds(10)).get(topic);
                if (infos != null && !infos.isEmpty()) {
                    parts = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
                }
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            int seen = 0;
            long first = 0;
            long last = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (seen < records && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    seen++;
                    long now = System.nanoTime();
                    if (seen == 1) {
                        first = now;
                    }
                    last = now;
                }
            }
            if (seen < records) {
                throw new IllegalStateException(name + ": only " + seen + " of " + records + " records in 10 minutes");
            }
            double seconds = (last - first) / 1e9;
            return new Result(name, records, (records - 1) / seconds, Duration.ofNanos(last - start));
        }
    }
}
