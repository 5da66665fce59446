package io.syncline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.syncline.cli.up.RunningFile;
import io.syncline.cli.up.StackContext;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.kafka.FreePorts;
import io.syncline.normalizer.stream.DeadLetterHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code syncline dlq} against a real broker that it finds only through the running file of a data directory, as
 * it finds a {@code syncline up} started on other ports; a replay that would do nothing it was asked fails.
 */
class DlqCommandIT {

    private static final String DLQ = "dlq.normalizer";
    private static final String SOURCE = "raw.stripe.charge";

    @TempDir
    static Path work;
    static EmbeddedKafkaBroker kafka;
    static Path dataDir;

    @BeforeAll
    static void startKafkaWithTwoDeadLetters() throws Exception {
        kafka = EmbeddedKafkaBroker.builder(work.resolve("kafka")).build().start();
        dataDir = Files.createDirectories(work.resolve("data"));
        // What a running `syncline up` leaves: this JVM's pid, so the file counts as live.
        RunningFile.write(dataDir, Map.of(StackContext.KAFKA, kafka.bootstrapServers()));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(deadLetter("ch_1", "{\"id\":\"ch_1\"", "parse", "stripe/charge.yaml")).get();
            producer.send(deadLetter("ch_2", "{\"id\":\"ch_2\"}", "mapping", "stripe/charge.yaml")).get();
        }
    }

    private static ProducerRecord<byte[], byte[]> deadLetter(String key, String value, String reason, String mapping) {
        RecordHeaders h = new RecordHeaders();
        h.add(DeadLetterHeaders.SOURCE_TOPIC, bytes(SOURCE));
        h.add(DeadLetterHeaders.SOURCE_PARTITION, bytes("0"));
        h.add(DeadLetterHeaders.SOURCE_OFFSET, bytes("7"));
        h.add(DeadLetterHeaders.ERROR_REASON, bytes(reason));
        h.add(DeadLetterHeaders.ERROR_MESSAGE, bytes("cannot map " + key));
        h.add(DeadLetterHeaders.MAPPING_FILE, bytes(mapping));
        h.add(DeadLetterHeaders.ATTEMPT, bytes("1"));
        return new ProducerRecord<>(DLQ, 0, bytes(key), bytes(value), h);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** {@code syncline dlq <args>} pointed only at the data directory (no syncline.yaml, no Kafka flag). */
    private static ValidateCommandTest.Run dlq(String... args) {
        List<String> command = new ArrayList<>(List.of("dlq"));
        command.addAll(List.of(args));
        command.addAll(List.of("--config", work.resolve("none.yaml").toString(), "--data-dir", dataDir.toString()));
        return ValidateCommandTest.run(command.toArray(String[]::new));
    }

    @Test
    void listReadsTheDeadLettersOfTheStackRunningInTheDataDir() {
        ValidateCommandTest.Run run = dlq("list");
        assertThat(run.err()).isEmpty();
        assertThat(run.code()).isZero();
        assertThat(run.out()).containsPattern("0:0 .* raw.stripe.charge/0/7 +parse +stripe/charge.yaml +cannot map ch_1")
                .containsPattern("0:1 .* mapping +stripe/charge.yaml +cannot map ch_2")
                .endsWith("2 dead letters\n");
    }

    static Stream<Arguments> replaysThatWouldDoNothingAskedOf() {
        return Stream.of(
                Arguments.of(List.of("replay", "99:99"),
                        "error: nothing replayed: dlq.normalizer has no dead letter at 99:99; "
                                + "`syncline dlq list` shows the positions there"),
                Arguments.of(List.of("replay", "0:0", "0:2", "3:1"),
                        "error: nothing replayed: dlq.normalizer has no dead letter at 0:2, 3:1; "
                                + "`syncline dlq list` shows the positions there"),
                Arguments.of(List.of("replay", "0:0", "--reason", "schema"),
                        "error: nothing replayed: dlq.normalizer has no dead letter with reason schema at 0:0; "
                                + "`syncline dlq list` shows the positions there"),
                Arguments.of(List.of("replay", "--all", "--mapping", "hubspot/contact.yaml"),
                        "error: nothing replayed: dlq.normalizer has no dead letters with mapping "
                                + "hubspot/contact.yaml; `syncline dlq list` shows what is there"),
                Arguments.of(List.of("replay", "--all", "--topic", "dlq.nothing-here"),
                        "error: nothing replayed: dlq.nothing-here has no dead letters; "
                                + "`syncline dlq list` shows what is there"),
                Arguments.of(List.of("show", "0:9"),
                        "error: no dead letter at 0:9 in dlq.normalizer; `syncline dlq list` shows the positions there"));
    }

    @ParameterizedTest(name = "dlq {0}")
    @MethodSource("replaysThatWouldDoNothingAskedOf")
    void aCommandThatFindsNothingToDoExitsWithOneAndSaysWhy(List<String> args, String error) {
        long before = records(SOURCE);
        ValidateCommandTest.Run run = dlq(args.toArray(String[]::new));
        assertThat(run.err()).isEqualTo(error + "\n");
        assertThat(run.code()).isEqualTo(1);
        assertThat(records(SOURCE)).as("nothing was written back").isEqualTo(before);
    }

    @Test
    void aBadPositionIsAUsageError() {
        ValidateCommandTest.Run run = dlq("replay", "0-0");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("expected <partition>:<offset> as shown by dlq list, got \"0-0\"");
    }

    @Test
    void aKafkaThatDoesNotAnswerIsNamedWithWhereItsAddressCameFrom() {
        String nowhere = "127.0.0.1:" + FreePorts.pick();
        ValidateCommandTest.Run run = dlq("list", "--bootstrap-servers", nowhere);
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: Kafka at " + nowhere + " does not answer");
    }

    @Test
    void replayWritesTheChosenDeadLetterBackToItsSourceTopicWithTheNextAttempt() {
        long before = records(SOURCE);
        ValidateCommandTest.Run run = dlq("replay", "0:1");
        assertThat(run.err()).isEmpty();
        assertThat(run.code()).isZero();
        assertThat(run.out()).isEqualTo("replay 0:1 → raw.stripe.charge (attempt 2)\nreplayed 1 dead letter\n");
        assertThat(records(SOURCE)).isEqualTo(before + 1);
        ConsumerRecord<byte[], byte[]> replayed = last(SOURCE);
        assertThat(new String(replayed.key(), StandardCharsets.UTF_8)).isEqualTo("ch_2");
        assertThat(new String(replayed.headers().lastHeader(DeadLetterHeaders.ATTEMPT).value(), StandardCharsets.UTF_8))
                .isEqualTo("2");
        assertThat(replayed.headers().lastHeader(DeadLetterHeaders.ERROR_REASON)).isNull();
    }

    private static long records(String topic) {
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            TopicPartition p = new TopicPartition(topic, 0);
            if (c.partitionsFor(topic, Duration.ofSeconds(10)).isEmpty()) {
                return 0;
            }
            return c.endOffsets(List.of(p)).get(p);
        }
    }

    private static ConsumerRecord<byte[], byte[]> last(String topic) {
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            TopicPartition p = new TopicPartition(topic, 0);
            c.assign(List.of(p));
            long end = c.endOffsets(List.of(p)).get(p);
            c.seek(p, end - 1);
            List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read.isEmpty() && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(read::add);
            }
            assertThat(read).as("the last record of %s", topic).isNotEmpty();
            return read.get(read.size() - 1);
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "allow.auto.create.topics", false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
