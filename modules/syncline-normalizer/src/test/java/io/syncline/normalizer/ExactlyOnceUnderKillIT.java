package io.syncline.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.syncline.registry.serde.KafkaAvroDeserializer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once under failure: the normalizer runs as a separate JVM ({@link NormalizerProcess}), is killed with SIGKILL
 * twice while it works through the input, and restarted; a read_committed consumer then sees every input event id
 * exactly once in the canonical topic.
 */
class ExactlyOnceUnderKillIT extends WithBrokerAndRegistry {

    private static final int EVENTS = 3000;
    private static final int CHARGES = 300;
    private static final String RAW = "raw.stripe.charge";
    private static final String OUT = "canonical.finance.payment.v1";
    private static final String APP = "eos-kill-test";

    /** A charge.updated event; created grows with i so no version of a charge is older than one before it. */
    private static String event(int i) {
        String charge = "ch_eos_" + (i % CHARGES);
        return "{\"id\":\"evt_eos_" + i + "\",\"object\":\"event\",\"type\":\"charge.updated\",\"created\":"
                + (1_717_000_000L + i) + ",\"data\":{\"object\":{\"id\":\"" + charge + "\",\"object\":\"charge\","
                + "\"amount\":" + (100 + i) + ",\"currency\":\"usd\",\"status\":\"succeeded\",\"paid\":true,"
                + "\"created\":1717000000,\"metadata\":{\"seq\":\"" + i + "\"}}}}";
    }

    private Process startNormalizer(Path mappings, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                NormalizerProcess.class.getName(), broker.bootstrapServers(), registry.url(), mappings.toString(),
                dir.resolve("state").toString(), APP);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                log.toFile())).start();
    }

    @Test
    void everyEventIdAppearsExactlyOnceAfterTwoSigkills() throws Exception {
        Path mappings = ItSupport.copyMappings(dir.resolve("mappings"));
        Path log = dir.resolve("normalizer.log");
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(RAW, 4, (short) 1))).all().get();
        }
        Set<String> sent = new HashSet<>();
        try (KafkaProducer<byte[], byte[]> producer = ItSupport.producer(broker.bootstrapServers())) {
            for (int i = 0; i < EVENTS; i++) {
                String json = event(i);
                producer.send(new ProducerRecord<>(RAW, ItSupport.objectId(json).getBytes(), json.getBytes()));
                sent.add("evt_eos_" + i);
            }
            producer.flush();
        }

        KafkaAvroDeserializer values = new KafkaAvroDeserializer();
        values.configure(Map.of("schema.registry.url", registry.url()), false);
        Map<String, Integer> seen = new HashMap<>();
        List<Integer> outputAtKill = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", broker.bootstrapServers(), "isolation.level", "read_committed",
                "enable.auto.commit", false), new StringDeserializer(), new ByteArrayDeserializer())) {
            Supplier<Integer> poll = () -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    GenericRecord v = (GenericRecord) values.deserialize(OUT, r.value());
                    seen.merge(((GenericRecord) v.get("metadata")).get("event_id").toString(), 1, Integer::sum);
                }
                return seen.values().stream().mapToInt(Integer::intValue).sum();
            };
            Process normalizer = startNormalizer(mappings, log);
            try {
                assignWhenCreated(consumer);
                for (int threshold : new int[] {EVENTS / 4, EVENTS / 2}) {
                    awaitOutput(poll, threshold, normalizer, log);
                    normalizer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                    outputAtKill.add(poll.get());
                    normalizer = startNormalizer(mappings, log);
                }
                awaitOutput(poll, EVENTS, normalizer, log);
                ItSupport.awaitCommitted(broker.bootstrapServers(), APP, List.of(RAW));
                // Everything committed is in the output now; read to its end to catch any late duplicate.
                Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
                        && System.nanoTime() < deadline) {
                    poll.get();
                }
            } finally {
                normalizer.destroy();
                normalizer.waitFor(60, TimeUnit.SECONDS);
                values.close();
            }
        }
        assertThat(outputAtKill).as("killed twice, each time mid-stream").hasSize(2)
                .allSatisfy(n -> assertThat(n).isLessThan(EVENTS));
        assertThat(seen.keySet()).as("no event lost").isEqualTo(sent);
        assertThat(seen.entrySet().stream().filter(e -> e.getValue() != 1).toList()).as("no event twice").isEmpty();
    }

    private static void assignWhenCreated(KafkaConsumer<String, byte[]> consumer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            var infos = consumer.listTopics(Duration.ofSeconds(10)).get(OUT);
            if (infos != null && !infos.isEmpty()) {
                List<TopicPartition> parts = infos.stream().map(p -> new TopicPartition(OUT, p.partition())).toList();
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                return;
            }
        }
        throw new AssertionError("the normalizer did not create " + OUT);
    }

    private static void awaitOutput(Supplier<Integer> poll, int count, Process normalizer, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (poll.get() < count) {
            if (!normalizer.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the normalizer " + (normalizer.isAlive() ? "did not reach " + count
                        + " records in time" : "exited with " + normalizer.exitValue()) + "; its output:\n"
                        + Files.readString(log));
            }
        }
    }
}
