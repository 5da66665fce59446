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
import io.syncline.normalizer.stream.ObjectMerger;
import io.syncline.normalizer.stream.ObjectState;
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
 * The normalizer's per-record work on a ~1.6 KB Stripe charge.succeeded event: parse the JSON once, recognise its
 * envelope, select the mapping, map with the shipped {@code mappings/stripe/charge.yaml}, check, encode through the
 * registry serde (warm cache); and on a ~1.4 KB HubSpot contact, the full object as the CRM source writes it and a
 * webhook property change merged into it ({@code mappings/hubspot/contact.yaml}: merge decision, content digest).
 * Goal ≤ 5 µs per record for both providers; {@code parseOnly} (Jackson tree of the Stripe bytes) is the baseline
 * share. Run from the repository root (mappings are read from {@code ./mappings}, or {@code -Dsyncline.mappings=DIR}).
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
    static final String HUBSPOT_CONTACT = "/bench/hubspot-contact.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordNormalizer normalizer;
    private byte[] value;
    private RecordHeaders headers;
    private long offset;
    private byte[] contact;
    private byte[] contactChanged;
    private byte[] webhook;
    private RecordHeaders contactHeaders;
    private ObjectState contactState;

    static byte[] chargeEvent() {
        return resource(CHARGE_EVENT);
    }

    static byte[] resource(String name) {
        try (InputStream in = NormalizerBenchmark.class.getResourceAsStream(name)) {
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
        contact = resource(HUBSPOT_CONTACT);
        String text = new String(contact, StandardCharsets.UTF_8);
        contactChanged = text.replace("\"updatedAt\":\"2024-05-31T10:00:00.000Z\"", "\"updatedAt\":\"2024-05-31T10:05:00.000Z\"")
                .replace("\"jobtitle\":\"Chief Technology Officer\"", "\"jobtitle\":\"CEO\"")
                .getBytes(StandardCharsets.UTF_8);
        webhook = ("{\"eventId\":1001,\"subscriptionId\":77,\"portalId\":62515,\"occurredAt\":1717149900000,"
                + "\"subscriptionType\":\"contact.propertyChange\",\"attemptNumber\":0,\"objectId\":51,"
                + "\"propertyName\":\"lifecyclestage\",\"propertyValue\":\"evangelist\",\"changeSource\":\"CRM\"}")
                .getBytes(StandardCharsets.UTF_8);
        contactHeaders = new RecordHeaders();
        contactHeaders.add("syncline.event-id", "51@2024-05-31T10:00:00Z".getBytes(StandardCharsets.UTF_8));
        contactHeaders.add("syncline.received-at", "1717171719000".getBytes(StandardCharsets.UTF_8));
        contactHeaders.add("syncline.trace-id", "4bf92f3577b34da6a3ce929d0e0e4736".getBytes(StandardCharsets.UTF_8));
        // The state after the first full version: the base every later record of the contact is merged with.
        normalizer.prepare("raw.hubspot.contact", 0, 0, 1_717_171_719_000L, contactHeaders, contact,
                1_717_171_720_000L);
        contactState = ObjectMerger.decide(normalizer, null).state();
        hubspotContactPoll();
        hubspotContactWebhook();
    }

    /** Parse + select + map + Avro encode (Confluent wire format): what the processor does per record. */
    @Benchmark
    public byte[] normalize() throws NormalizeFailure {
        normalizer.prepare("raw.stripe.charge", 0, offset++, 1_717_171_719_000L, headers, value, 1_717_171_720_000L);
        CanonicalChange change = normalizer.map();
        return normalizer.encode(change, headers);
    }

    /**
     * A newer full version of a contact polled by the CRM source: parse, envelope, merge decision against the stored
     * state (the base is replaced, its JSON kept), map, content digest, encode. The store's own get and put are not
     * in it.
     */
    @Benchmark
    public byte[] hubspotContactPoll() throws NormalizeFailure {
        normalizer.prepare("raw.hubspot.contact", 0, offset++, 1_717_171_719_000L, contactHeaders, contactChanged,
                1_717_171_720_000L);
        ObjectMerger.Decision d = ObjectMerger.decide(normalizer, contactState);
        return normalizer.encode(d.change(), contactHeaders);
    }

    /**
     * A webhook property change of that contact: parse the event, merge it into the stored full version (parsed back
     * from the state), map, content digest, encode.
     */
    @Benchmark
    public byte[] hubspotContactWebhook() throws NormalizeFailure {
        normalizer.prepare("raw.hubspot.contact", 0, offset++, 1_717_171_719_000L, contactHeaders, webhook,
                1_717_171_720_000L);
        ObjectMerger.Decision d = ObjectMerger.decide(normalizer, contactState);
        return normalizer.encode(d.change(), contactHeaders);
    }

    /** Baseline: only the JSON parse into a tree, which normalize() also does once. */
    @Benchmark
    public JsonNode parseOnly() throws IOException {
        return JSON.readTree(value);
    }
}
