package io.syncline.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.syncline.cli.common.CliException;
import io.syncline.cli.common.HelpOption;
import io.syncline.ops.AvroJsonDecoder;
import io.syncline.ops.Health;
import io.syncline.ops.Probes;
import io.syncline.ops.RecordJson;
import io.syncline.ops.Registry;
import io.syncline.registry.client.SchemaRegistryClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code syncline tail TOPIC}: prints records as JSON lines, Avro decoded through the registry. */
@Command(name = "tail", header = "Print the records of a topic as JSON lines.",
        description = {"Prints the records of a topic as JSON lines (topic, partition, offset, timestamp, key, headers, "
                + "value) until Ctrl-C or --max records. Avro in the Confluent wire format is decoded through the "
                + "schema registry (its schema id is printed as valueSchemaId/keySchemaId); other values print as "
                + "JSON, as text, or as {\"base64\": ...} when binary.",
            "Reads without a consumer group: it commits nothing and disturbs no consumer."})
final class TailCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic to read.")
    String topic;

    @Option(names = "--from-beginning", description = "Start at the oldest record instead of new records only.")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
    Long max;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Logging.off();
        if (max != null && max < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--max: expected 1 or more, got " + max);
        }
        ConnectionOptions.Endpoints endpoints = connection.resolve();
        String kafka = endpoints.bootstrapServers();
        Health health = Probes.kafka(kafka);
        if (!health.up()) {
            throw new CliException("Kafka at " + kafka + " does not answer (" + health.detail() + "); "
                    + ConnectionOptions.notRunningHint("Kafka cluster", "--bootstrap-servers"));
        }
        PrintWriter out = spec.commandLine().getOut();
        try (SchemaRegistryClient registry = Registry.client(endpoints.registryUrl());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                // A mistyped topic must be an error, not a new topic on brokers that auto-create.
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            RecordJson json = new RecordJson(new AvroJsonDecoder(registry, endpoints.registryUrl()));
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (partitions == null || partitions.isEmpty()) {
                throw new CliException("topic " + topic + " does not exist on Kafka at " + kafka
                        + "; `syncline topics` lists the topics there");
            }
            List<TopicPartition> assigned = new ArrayList<>();
            partitions.forEach(p -> assigned.add(new TopicPartition(topic, p.partition())));
            consumer.assign(assigned);
            if (fromBeginning) {
                consumer.seekToBeginning(assigned);
            } else {
                consumer.seekToEnd(assigned);
            }
            CountDownLatch done = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                consumer.wakeup();
                try {
                    done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "syncline-tail-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            long printed = 0;
            try {
                while (max == null || printed < max) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        out.println(json.render(record));
                        if (max != null && ++printed >= max) {
                            break;
                        }
                    }
                    out.flush();
                }
            } catch (WakeupException e) {
                // Ctrl-C: stop quietly.
            } finally {
                out.flush();
                done.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // Shutting down already.
                }
            }
        }
        return 0;
    }

}
