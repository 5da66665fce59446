package io.syncline.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.normalizer.mapping.CanonicalChange;
import io.syncline.normalizer.mapping.MappingSet;
import io.syncline.normalizer.mapping.TargetCatalog;
import io.syncline.normalizer.stream.NormalizeFailure;
import io.syncline.normalizer.stream.RecordNormalizer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The normalizer's per-record work on a ~1.6 KB Stripe charge.succeeded event: parse the JSON once, select the
 * mapping, map with the shipped {@code mappings/stripe/charge.yaml}, encode through the registry serde (warm cache).
 * Goal ≤ 5 µs per record; {@code parseOnly} (Jackson tree of the same bytes) is the baseline share of it. Run from
 * the repository root (mappings are read from {@code ./mappings}, or {@code -Dsyncline.mappings=DIR}).
 * Results: docs/benchmarks.md, "Normalizer per record".
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class NormalizerBenchmark {

    static final String CHARGE_EVENT = "/bench/charge-event.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordNormalizer normalizer;
    private byte[] value;
    private RecordHeaders headers;
    private long offset;

    static byte[] chargeEvent() {
        try (InputStream in = NormalizerBenchmark.class.getResourceAsStream(CHARGE_EVENT)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Setup
    public void setUp() throws NormalizeFailure {
        MappingSet mappings = MappingSet.load(Path.of(System.getProperty("syncline.mappings", "mappings")),
                TargetCatalog.canonical());
        normalizer = new RecordNormalizer(mappings, Map.of("schema.registry.url", "mock://bench-" + UUID.randomUUID(),
                "auto.register.schemas", true));
        value = chargeEvent();
        headers = new RecordHeaders();
        headers.add("syncline.event-id", "evt_3PkL2nLkdIwHu7ix0aaa0001".getBytes(StandardCharsets.UTF_8));
        headers.add("syncline.received-at", "1717171719000".getBytes(StandardCharsets.UTF_8));
        headers.add("syncline.trace-id", "4bf92f3577b34da6a3ce929d0e0e4736".getBytes(StandardCharsets.UTF_8));
        normalize();
    }

    /** Parse + select + map + Avro encode (Confluent wire format): what the processor does per record. */
    @Benchmark
    public byte[] normalize() throws NormalizeFailure {
        normalizer.prepare("raw.stripe.charge", 0, offset++, 1_717_171_719_000L, headers, value, 1_717_171_720_000L);
        CanonicalChange change = normalizer.map();
        return normalizer.encode(change, headers);
    }

    /** Baseline: only the JSON parse into a tree, which normalize() also does once. */
    @Benchmark
    public JsonNode parseOnly() throws IOException {
        return JSON.readTree(value);
    }
}
