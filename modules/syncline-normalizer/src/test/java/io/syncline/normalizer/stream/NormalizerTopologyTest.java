package io.syncline.normalizer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

import io.syncline.normalizer.mapping.MappingCompiler;
import io.syncline.normalizer.mapping.MappingSet;
import io.syncline.normalizer.mapping.TargetCatalog;
import io.syncline.normalizer.mapping.TestEnvelopes;
import io.syncline.normalizer.stream.NormalizerDriver.Canonical;
import io.syncline.normalizer.stream.NormalizerDriver.DeadLetter;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the topology does around the mapping: dedupe, stale-drop, DELETE and tombstone, dead letters, metrics. */
class NormalizerTopologyTest {

    private static final String RAW = "raw.test.thing";
    private static final String OUT = "canonical.demo.thing.v1";
    private static final String MAPPING = """
            source: {topic: raw.test.thing, object: thing, events: ["thing.*"]}
            target: demo.Thing
            system: test
            source-id: /id
            updated-at: {coalesce: [{timestamp: $event/created, from: unix-seconds}, {timestamp: $header/syncline.received-at, from: auto}]}
            event-id: {coalesce: [$event/id, $header/syncline.event-id]}
            delete-when: {any: [{equals: [$event/type, {const: thing.deleted}]}, {equals: [/deleted, true]}]}
            fields:
              title: {coalesce: [/name, {const: untitled}]}
              price: {money: /amount, currency: /currency}
            """;

    @TempDir
    Path stateDir;
    NormalizerDriver driver;

    @BeforeEach
    void start() throws Exception {
        Schema thing;
        try (InputStream in = getClass().getResourceAsStream("/test-schemas/Thing.avsc")) {
            thing = new Schema.Parser().parse(in);
        }
        MappingSet mappings = MappingSet.of(List.of(MappingCompiler.compile(MAPPING, "test/thing",
                "mappings/test/thing.yaml", TargetCatalog.ofSchemas(List.of(thing)), TestEnvelopes.CATALOG)),
                TestEnvelopes.CATALOG);
        driver = new NormalizerDriver(mappings, stateDir);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static String event(String id, String type, long created, String object) {
        return "{\"id\":\"" + id + "\",\"object\":\"event\",\"type\":\"" + type + "\",\"created\":" + created
                + ",\"data\":{\"object\":" + object + "}}";
    }

    @Test
    void writesTheCanonicalRecordUnderTheCanonicalKeyThroughTheRegistrySerde() {
        driver.pipe(RAW, "th_1", event("evt_1", "thing.created", 1_700_000_000L,
                "{\"id\":\"th_1\",\"object\":\"thing\",\"name\":\"Lamp\",\"amount\":1250,\"currency\":\"usd\"}"),
                "syncline.trace-id", "4bf92f3577b34da6a3ce929d0e0e4736",
                "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        List<Canonical> out = driver.canonical(OUT);
        assertThat(out).singleElement().satisfies(c -> {
            assertThat(c.key()).isEqualTo("test:th_1");
            assertThat(c.value().get("title")).hasToString("Lamp");
            assertThat(((GenericRecord) c.value().get("price")).get("currency")).hasToString("USD");
            GenericRecord meta = (GenericRecord) c.value().get("metadata");
            assertThat(meta.get("event_id")).hasToString("evt_1");
            assertThat(meta.get("trace_id")).hasToString("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(meta.get("operation")).hasToString("UPSERT");
            assertThat(c.headers()).containsEntry("syncline.trace-id", "4bf92f3577b34da6a3ce929d0e0e4736")
                    .containsEntry("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        });
        assertThat(driver.metrics().count("syncline.normalizer.records.in", "test/thing")).isEqualTo(1.0);
        assertThat(driver.metrics().count("syncline.normalizer.records.out", "test/thing")).isEqualTo(1.0);
    }

    @Test
    void anEventIdSeenBeforeIsDroppedAndCounted() {
        String e = event("evt_2", "thing.updated", 1_700_000_000L, "{\"id\":\"th_2\",\"object\":\"thing\"}");
        driver.pipe(RAW, "th_2", e);
        driver.pipe(RAW, "th_2", e);
        driver.pipe(RAW, "th_2", e);

        assertThat(driver.canonical(OUT)).hasSize(1);
        assertThat(driver.metrics().count("syncline.normalizer.dropped.duplicate", "test/thing")).isEqualTo(2.0);
    }

    @Test
    void aRedeliveryAmongSeveralEventsOfTheSameSecondIsDroppedWhileTheOthersAreEmitted() {
        String created = event("evt_c", "thing.created", 1_700_000_000L, "{\"id\":\"th_9\",\"object\":\"thing\"}");
        String updated = event("evt_u", "thing.updated", 1_700_000_000L,
                "{\"id\":\"th_9\",\"object\":\"thing\",\"name\":\"renamed\"}");
        driver.pipe(RAW, "th_9", created);
        driver.pipe(RAW, "th_9", updated);
        driver.pipe(RAW, "th_9", created);
        driver.pipe(RAW, "th_9", updated);

        assertThat(driver.canonical(OUT)).extracting(c -> c.value().get("title").toString())
                .containsExactly("untitled", "renamed");
        assertThat(driver.metrics().count("syncline.normalizer.dropped.duplicate", "test/thing")).isEqualTo(2.0);
        assertThat(driver.metrics().count("syncline.normalizer.dropped.stale", "test/thing")).isZero();
    }

    @Test
    void aRedeliveryOfAnOlderVersionIsDroppedAsStaleAndNeverEmittedAgain() {
        String first = event("evt_v1", "thing.updated", 1_700_000_100L, "{\"id\":\"th_8\",\"object\":\"thing\"}");
        driver.pipe(RAW, "th_8", first);
        driver.pipe(RAW, "th_8", event("evt_v2", "thing.updated", 1_700_000_200L,
                "{\"id\":\"th_8\",\"object\":\"thing\",\"name\":\"v2\"}"));
        driver.pipe(RAW, "th_8", first);

        assertThat(driver.canonical(OUT)).hasSize(2);
        assertThat(driver.metrics().count("syncline.normalizer.dropped.stale", "test/thing")).isEqualTo(1.0);
    }

    @Test
    void recordsWithoutAnEventIdAreNeverTakenForDuplicates() {
        String snapshot = "{\"id\":\"th_7\",\"object\":\"thing\",\"name\":\"polled\"}";
        driver.pipe(RAW, "th_7", snapshot, "syncline.received-at", "1700000000000");
        driver.pipe(RAW, "th_7", snapshot, "syncline.received-at", "1700000000000");

        assertThat(driver.canonical(OUT)).as("same version, no id: emitted both times, as before").hasSize(2);
        assertThat(driver.metrics().count("syncline.normalizer.dropped.duplicate", "test/thing")).isZero();
    }

    @Test
    void aVersionOlderThanTheLatestEmittedIsDroppedAndCounted() {
        driver.pipe(RAW, "th_3", event("evt_new", "thing.updated", 1_700_000_200L,
                "{\"id\":\"th_3\",\"object\":\"thing\",\"name\":\"new\"}"));
        driver.pipe(RAW, "th_3", event("evt_old", "thing.updated", 1_700_000_100L,
                "{\"id\":\"th_3\",\"object\":\"thing\",\"name\":\"old\"}"));
        driver.pipe(RAW, "th_3", event("evt_same", "thing.updated", 1_700_000_200L,
                "{\"id\":\"th_3\",\"object\":\"thing\",\"name\":\"same second\"}"));

        assertThat(driver.canonical(OUT)).extracting(c -> c.value().get("title").toString())
                .containsExactly("new", "same second");
        assertThat(driver.metrics().count("syncline.normalizer.dropped.stale", "test/thing")).isEqualTo(1.0);
    }

    @Test
    void aDeleteEmitsTheDeleteOperationThenATombstoneAndOlderUpdatesStayDropped() {
        driver.pipe(RAW, "th_4", event("evt_a", "thing.created", 1_700_000_000L,
                "{\"id\":\"th_4\",\"object\":\"thing\",\"name\":\"x\"}"));
        driver.pipe(RAW, "th_4", "{\"id\":\"th_4\",\"object\":\"thing\",\"deleted\":true}",
                "syncline.received-at", "1700000500000", "syncline.event-id", "snap-del");
        driver.pipe(RAW, "th_4", event("evt_late", "thing.updated", 1_700_000_300L,
                "{\"id\":\"th_4\",\"object\":\"thing\",\"name\":\"late retry\"}"));

        List<Canonical> out = driver.canonical(OUT);
        assertThat(out).hasSize(3);
        assertThat(((GenericRecord) out.get(1).value().get("metadata")).get("operation")).hasToString("DELETE");
        assertThat(out.get(1).value().get("title")).hasToString("untitled");
        assertThat(out.get(2).key()).isEqualTo("test:th_4");
        assertThat(out.get(2).value()).as("tombstone").isNull();
        assertThat(driver.metrics().count("syncline.normalizer.dropped.stale", "test/thing")).isEqualTo(1.0);
    }

    @Test
    void unparseableJsonGoesToTheDeadLetterTopicWithTheOriginalBytesAndHeaders() {
        driver.pipe(RAW, "th_5", "{\"id\": \"th_5\", \"name\": ", "syncline.event-id", "evt_broken",
                "syncline.source", "stripe");

        assertThat(driver.canonical(OUT)).isEmpty();
        assertThat(driver.deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.key()).isEqualTo("th_5");
            assertThat(d.value()).isEqualTo("{\"id\": \"th_5\", \"name\": ");
            assertThat(d.headers())
                    .containsEntry("syncline.event-id", "evt_broken")
                    .containsEntry("syncline.source", "stripe")
                    .containsEntry("syncline.error.reason", "parse")
                    .containsEntry("syncline.error.stage", "normalizer")
                    .containsEntry("syncline.source.topic", RAW)
                    .containsEntry("syncline.source.partition", "0")
                    .containsEntry("syncline.source.offset", "0")
                    .containsEntry("syncline.attempt", "1")
                    .containsKey("syncline.first-seen")
                    .doesNotContainKey("syncline.mapping.file");
            assertThat(d.headers().get("syncline.error.class")).contains("JsonEOFException");
            assertThat(d.headers().get("syncline.error.message")).startsWith("not valid JSON at line 1");
        });
        assertThat(driver.metrics().total("syncline.normalizer.dead.lettered")).isEqualTo(1.0);
    }

    @Test
    void aMappingFailureNamesTheMappingFileAndTheFieldAndIsNotRememberedAsSeen() {
        String bad = event("evt_6", "thing.created", 1_700_000_000L,
                "{\"id\":\"th_6\",\"object\":\"thing\",\"amount\":100,\"currency\":\"usdollar\"}");
        driver.pipe(RAW, "th_6", bad);
        driver.pipe(RAW, "th_6", bad, "syncline.attempt", "2", "syncline.first-seen", "2024-01-01T00:00:00Z",
                "syncline.error.message", "stale message from the first attempt");

        List<DeadLetter> dead = driver.deadLetters();
        assertThat(dead).hasSize(2);
        assertThat(dead.get(0).headers())
                .containsEntry("syncline.error.reason", "mapping")
                .containsEntry("syncline.error.class", "io.syncline.mapping.MappingException")
                .containsEntry("syncline.error.message", "currency: text \"usdollar\" is not an ISO-4217 currency code")
                .containsEntry("syncline.mapping.file", "mappings/test/thing.yaml");
        assertThat(dead.get(1).headers())
                .as("a replayed record keeps its first-seen time and counts its attempt")
                .containsEntry("syncline.attempt", "2")
                .containsEntry("syncline.first-seen", "2024-01-01T00:00:00Z")
                .containsEntry("syncline.error.message", "currency: text \"usdollar\" is not an ISO-4217 currency code");
        assertThat(driver.metrics().count("syncline.normalizer.dropped.duplicate", "test/thing")).isZero();
    }

    @Test
    void recordsNoMappingTakesAndWrongObjectTypesAreDeadLettered() {
        driver.pipe(RAW, "x", event("evt_7", "other.created", 1_700_000_000L, "{\"id\":\"o1\",\"object\":\"thing\"}"));
        driver.pipe(RAW, "x", "{\"id\":\"r1\",\"object\":\"refund\"}", "syncline.received-at", "1700000000");
        driver.pipe(RAW, "x", "[1, 2]");

        assertThat(driver.deadLetters()).extracting(d -> d.headers().get("syncline.error.message")).containsExactly(
                "no mapping takes events of type \"other.created\" of envelope test-event from raw.test.thing",
                "expected a thing object, got object \"refund\"",
                "expected a JSON object, got array");
    }
}
