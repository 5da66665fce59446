package io.syncline.bench.registry;

import static io.syncline.bench.BenchSupport.median;
import static io.syncline.bench.BenchSupport.options;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import io.syncline.bench.BenchSupport;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.registry.serde.KafkaAvroSerializer;
import io.syncline.registry.server.SchemaRegistryServer;

/**
 * How long a cold client takes to serialize its first record (issue 18: within 50 ms): each sample is a fresh JVM
 * that parses the schema, builds a record, creates and configures {@link KafkaAvroSerializer} and serializes, timed
 * from the start of {@code main} (class loading included; JVM boot reported apart). Two cases: the schema is already
 * registered (a producer restarting: the registry answers from its state), and a new subject (the first registration
 * ever: the registry writes to {@code _schemas} before answering). A warm-JVM fresh serializer is measured in the
 * driver's own process for reference.
 *
 * <pre>
 * java -cp modules/syncline-bench/target/benchmarks.jar io.syncline.bench.registry.ColdSerializerBench \
 *     [--samples 5] [--url http://localhost:8081]
 * </pre>
 */
public final class ColdSerializerBench {

    private ColdSerializerBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(args[1], args[2]);
            return;
        }
        BenchSupport.Options opts = options(args, Map.of("samples", "5", "url", ""));
        int samples = opts.integer("samples");
        Path dataDir = Files.createTempDirectory("cold-serializer-bench");
        EmbeddedKafkaBroker broker = null;
        SchemaRegistryServer registry = null;
        try {
            String url = opts.text("url");
            if (url.isBlank()) {
                broker = EmbeddedKafkaBroker.builder(dataDir).build().start();
                registry = SchemaRegistryServer.builder(broker.bootstrapServers()).port(0).build().start();
                url = registry.url();
            }
            System.out.println("registry " + url + "; load " + BenchSupport.loadAverage());
            String known = "cold-known-" + System.nanoTime();
            serializeOnce(url, known); // registers it: the "already registered" case below
            List<Double> registered = new ArrayList<>();
            List<Double> fresh = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                registered.add(runChild(url, known, "already registered"));
                fresh.add(runChild(url, "cold-new-" + System.nanoTime() + "-" + i, "new subject"));
            }
            List<Double> warm = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                long t0 = System.nanoTime();
                serializeOnce(url, known);
                warm.add((System.nanoTime() - t0) / 1e6);
            }
            System.out.printf(Locale.ROOT, "median first record: cold JVM, schema registered %.1f ms; cold JVM, new"
                    + " subject %.1f ms; fresh serializer in a warm JVM %.1f ms (goal: within 50 ms); load %s%n",
                    median(toArray(registered)), median(toArray(fresh)), median(toArray(warm)),
                    BenchSupport.loadAverage());
        } finally {
            if (registry != null) {
                registry.close();
            }
            if (broker != null) {
                broker.close();
            }
        }
    }

    private static double runChild(String url, String topic, String label) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ColdSerializerBench.class.getName(), "--child", url,
                topic);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.append(line).append('\n');
                if (line.startsWith("first-record-ms=")) {
                    result = line;
                }
            }
        }
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || result == null) {
            throw new IllegalStateException("the cold client failed: " + output);
        }
        System.out.println(label + ": " + result);
        return Double.parseDouble(result.substring("first-record-ms=".length(), result.indexOf(' ')));
    }

    /** In the fresh JVM: everything a producer does up to its first serialized record, timed. */
    private static void child(String url, String topic) {
        long start = System.nanoTime();
        long jvmStartMs = ManagementFactory.getRuntimeMXBean().getStartTime();
        long bootMs = System.currentTimeMillis() - jvmStartMs;
        serializeOnce(url, topic);
        double ms = (System.nanoTime() - start) / 1e6;
        System.out.printf(Locale.ROOT, "first-record-ms=%.1f (JVM boot to main %d ms)%n", ms, bootMs);
    }

    private static void serializeOnce(String url, String topic) {
        Schema schema = new Schema.Parser().parse(RegistryLookupBench.SCHEMA);
        GenericRecord meta = new GenericData.Record(schema.getField("meta").schema());
        meta.put("event_id", "evt_1");
        GenericRecord record = new GenericData.Record(schema);
        record.put("id", "stripe:ch_1");
        record.put("amount_minor", 1250L);
        record.put("currency", "EUR");
        record.put("status", new GenericData.EnumSymbol(schema.getField("status").schema(), "SUCCEEDED"));
        record.put("created_at", 1_700_000_000_000L);
        record.put("updated_at", 1_700_000_000_000L);
        record.put("refunded_minor", 0L);
        record.put("captured", true);
        record.put("source_system", "stripe");
        record.put("source_id", "ch_1");
        record.put("meta", meta);
        try (KafkaAvroSerializer serializer = new KafkaAvroSerializer()) {
            serializer.configure(Map.of("schema.registry.url", url), false);
            byte[] bytes = serializer.serialize(topic, record);
            if (bytes == null || bytes.length < 6 || bytes[0] != 0) {
                throw new IllegalStateException("the serializer produced no Confluent-framed record");
            }
        }
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
