package io.syncline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.registry.server.SchemaRegistryServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Load driver (issue 16 item 2): normalizer throughput with 1 and then 2 normalizer <em>processes</em> ({@code syncline
 * normalizer}, one stream thread each, same application id) on the same machine. Each run gets a fresh embedded broker
 * and registry in this JVM, starts the processes, waits until the group is stable with every process holding raw
 * partitions, then produces N Stripe charge events (the same input as {@link NormalizerThroughput}) and measures with a
 * {@code read_committed} consumer from the first to the last canonical record.
 *
 * <pre>java -cp modules/syncline-bench/target/benchmarks.jar io.syncline.bench.NormalizerScaleOut [records] [heap]</pre>
 *
 * Run from the repository root (mappings from ./mappings, or -Dsyncline.mappings=DIR). Results: docs/benchmarks.md.
 */
public final class NormalizerScaleOut {

    private static final String APP_ID = "scale-out-bench";
    private static final int PARTITIONS = 4;

    private NormalizerScaleOut() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        String heap = args.length > 1 ? args[1] : "512m";
        Path mappings = Path.of(System.getProperty("syncline.mappings", "mappings")).toAbsolutePath();
        List<NormalizerThroughput.Result> results = new ArrayList<>();
        for (int processes : new int[] {1, 2}) {
            results.add(run(processes, records, heap, mappings));
        }
        System.out.printf(Locale.ROOT, "%n%-22s %10s %14s%n", "normalizer processes", "records", "records/s");
        for (NormalizerThroughput.Result r : results) {
            System.out.printf(Locale.ROOT, "%-22s %,10d %,14.0f%n", r.name(), r.records(), r.perSecond());
        }
        System.out.printf(Locale.ROOT, "speed-up 2 processes / 1: %.2f (%d cores; the broker runs on the same "
                + "machine)%n", results.get(1).perSecond() / results.get(0).perSecond(),
                Runtime.getRuntime().availableProcessors());
    }

    private static NormalizerThroughput.Result run(int processes, int records, String heap, Path mappings)
            throws Exception {
        Path dir = Files.createTempDirectory("normalizer-scale-out");
        List<Process> started = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).build().start();
             SchemaRegistryServer registry = SchemaRegistryServer.builder(broker.bootstrapServers()).port(0).build()
                     .start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(NormalizerThroughput.RAW, PARTITIONS, (short) 1))).all().get();
            Path config = dir.resolve("syncline.yaml");
            Files.writeString(config, "normalizer:\n  application-id: " + APP_ID + "\n  partitions: " + PARTITIONS
                    + "\n");
            for (int i = 1; i <= processes; i++) {
                started.add(fork(i, dir, config, broker.bootstrapServers(), registry.url(), mappings, heap));
            }
            awaitStableGroup(admin, processes, started);
            System.out.printf(Locale.ROOT, "%d normalizer process(es) hold the raw partitions; producing %,d "
                    + "records%n", processes, records);
            long start = System.nanoTime();
            NormalizerThroughput.produce(broker.bootstrapServers(), records);
            return NormalizerThroughput.measure(processes + " process" + (processes == 1 ? "" : "es"),
                    broker.bootstrapServers(), "canonical.finance.payment.v1", records, start);
        } finally {
            for (Process p : started) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** {@code syncline normalizer} in its own JVM, with this JVM's class path (the benchmarks jar holds the CLI). */
    private static Process fork(int n, Path dir, Path config, String bootstrap, String registryUrl, Path mappings,
            String heap) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx" + heap, "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), "io.syncline.cli.SynclineCli", "normalizer",
                "--config", config.toString(), "--data-dir", dir.resolve("data-" + n).toString(),
                "--bootstrap-servers", bootstrap, "--registry-url", registryUrl, "--mappings", mappings.toString(),
                "--state-dir", dir.resolve("state-" + n).toString());
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("normalizer-" + n + ".log").toFile()).start();
    }

    private static void awaitStableGroup(Admin admin, int processes, List<Process> started) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            for (Process p : started) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a normalizer process ended with " + p.exitValue());
                }
            }
            try {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(APP_ID)).all()
                        .get(10, TimeUnit.SECONDS).get(APP_ID);
                long holding = group.members().stream().filter(m -> m.assignment().topicPartitions().stream()
                        .anyMatch(tp -> tp.topic().equals(NormalizerThroughput.RAW))).count();
                if (group.members().size() == processes && holding == processes) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
                // Not joined yet: the processes are still starting.
            }
            // A driver, not a test: a plain wait between polls of the group's state.
            TimeUnit.MILLISECONDS.sleep(500);
        }
        throw new IllegalStateException("the normalizer group did not become stable with " + processes
                + " members in 5 minutes");
    }
}
