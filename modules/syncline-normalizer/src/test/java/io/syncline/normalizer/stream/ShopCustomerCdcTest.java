package io.syncline.normalizer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.syncline.normalizer.mapping.MappingSet;
import io.syncline.normalizer.mapping.TargetCatalog;
import io.syncline.normalizer.stream.NormalizerDriver.Canonical;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * mappings/shop/customer.yaml: Debezium's change events of the shop's customers table (cdc.shop.customers, Avro in
 * the registry's wire format as Syncline's converter writes them) → canonical.finance.customer.v1, through the
 * declared debezium-change envelope: snapshot reads, inserts, updates, deletes with their tombstones, redeliveries.
 * The row's own clock and version (kept by a trigger) version its changes and name them ({@code <id>@<version>}),
 * because the same customers also arrive as outbox events without an LSN ({@link ShopOrderCdcTest}).
 */
class ShopCustomerCdcTest {

    private static final String RAW = "cdc.shop.customers";
    private static final String TOPIC = "canonical.finance.customer.v1";
    private static final String MAPPING = "shop/customer";

    /** A row as Debezium's PostgreSQL connector describes customers (timestamptz is a ZonedTimestamp string). */
    private static final Schema ROW = SchemaBuilder.record("Value").namespace("cdc.shop.customers").fields()
            .requiredLong("id").requiredString("email").requiredString("name").requiredString("country")
            .name("created_at").type(zoned()).noDefault()
            .name("updated_at").type(zoned()).noDefault()
            .requiredInt("version").endRecord();
    private static final Schema SOURCE = SchemaBuilder.record("Source").namespace("io.debezium.connector.postgresql")
            .fields().requiredString("version").requiredString("connector").requiredString("name")
            .requiredLong("ts_ms").optionalString("snapshot").requiredString("db").requiredString("schema")
            .requiredString("table").optionalLong("txId").optionalLong("lsn").endRecord();
    private static final Schema ENVELOPE = SchemaBuilder.record("Envelope").namespace("cdc.shop.customers").fields()
            .name("before").type().optional().type(ROW)
            .name("after").type().optional().type(ROW)
            .name("source").type(SOURCE).noDefault()
            .requiredString("op").optionalLong("ts_ms").endRecord();

    /**
     * Commit times near the driver's record timestamps (Debezium stamps its records when it reads the change), so
     * the mapping's checks (updated-at at most a day after receipt) hold.
     */
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path stateDir;
    NormalizerDriver driver;

    @BeforeEach
    void start() {
        driver = new NormalizerDriver(MappingSet.load(Path.of("../../mappings"), TargetCatalog.canonical()),
                stateDir);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static Schema zoned() {
        Schema s = Schema.create(Schema.Type.STRING);
        s.addProp("connect.name", "io.debezium.time.ZonedTimestamp");
        return s;
    }

    private static GenericRecord row(long id, String email, String name, int version) {
        GenericRecord r = new GenericData.Record(ROW);
        r.put("id", id);
        r.put("email", email);
        r.put("name", name);
        r.put("country", "DE");
        r.put("created_at", Instant.ofEpochMilli(T0 - 60_000).toString());
        r.put("updated_at", Instant.ofEpochMilli(T0 + version).toString());
        r.put("version", version);
        return r;
    }

    private static GenericRecord change(String op, GenericRecord before, GenericRecord after, long lsn, long commit) {
        GenericRecord source = new GenericData.Record(SOURCE);
        source.put("version", "3.6.3.Final");
        source.put("connector", "postgresql");
        source.put("name", "cdc.shop");
        source.put("ts_ms", commit);
        source.put("snapshot", op.equals("r") ? "true" : "false");
        source.put("db", "shop");
        source.put("schema", "public");
        source.put("table", "customers");
        source.put("txId", 700L + lsn);
        source.put("lsn", lsn);
        GenericRecord e = new GenericData.Record(ENVELOPE);
        e.put("before", before);
        e.put("after", after);
        e.put("source", source);
        e.put("op", op);
        e.put("ts_ms", commit + 40);
        return e;
    }

    private void pipe(GenericRecord change) {
        GenericRecord row = (GenericRecord) (change.get("after") != null ? change.get("after") : change.get("before"));
        driver.pipeAvro(RAW, "{\"id\":" + row.get("id") + "}", change);
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static GenericRecord meta(GenericRecord c) {
        return (GenericRecord) c.get("metadata");
    }

    private static String summary(Canonical c) {
        if (c.value() == null) {
            return c.key() + " tombstone";
        }
        return c.key() + " " + meta(c.value()).get("operation") + " " + meta(c.value()).get("source_event_type")
                + " " + c.value().get("email") + " " + meta(c.value()).get("event_id");
    }

    @Test
    void snapshotReadsInsertsAndUpdatesAreUpsertsOfTheWholeRow() {
        pipe(change("r", null, row(1, "ada@example.com", "Ada Lovelace", 1), 100, T0));
        pipe(change("c", null, row(2, " Grace@Example.COM ", "  Grace Hopper ", 1), 200, T0 + 1000));
        pipe(change("u", row(2, "grace@example.com", "Grace Hopper", 1),
                row(2, "grace.hopper@example.com", "Grace Hopper", 2), 300, T0 + 2000));

        List<Canonical> out = driver.canonical(TOPIC);
        assertThat(out).extracting(ShopCustomerCdcTest::summary).containsExactly(
                "shop:1 UPSERT r ada@example.com 1@1",
                "shop:2 UPSERT c grace@example.com 2@1",
                "shop:2 UPSERT u grace.hopper@example.com 2@2");
        GenericRecord grace = out.get(1).value();
        assertThat(str(grace.get("name"))).isEqualTo("Grace Hopper");
        assertThat(str(((GenericRecord) grace.get("address")).get("country"))).isEqualTo("DE");
        assertThat(grace.get("created_at")).isEqualTo(T0 - 60_000);
        assertThat(grace.get("updated_at")).isEqualTo(T0 + 1);
        assertThat(str(meta(grace).get("source_system"))).isEqualTo("shop");
        assertThat(str(meta(grace).get("source_id"))).isEqualTo("2");
        assertThat(meta(grace).get("source_updated_at")).as("the row's updated_at is the version, not the commit time")
                .isEqualTo(T0 + 1);
        assertThat(driver.deadLetters()).isEmpty();
    }

    @Test
    void aDeletedRowIsADeleteFromItsBeforeImageAndDebeziumsTombstoneIsAnExpectedSkip() {
        GenericRecord ada = row(1, "ada@example.com", "Ada Lovelace", 1);
        pipe(change("c", null, ada, 100, T0));
        pipe(change("d", ada, null, 200, T0 + 1000));
        driver.pipe(RAW, "{\"id\":1}", (byte[]) null);

        assertThat(driver.canonical(TOPIC)).extracting(ShopCustomerCdcTest::summary).containsExactly(
                "shop:1 UPSERT c ada@example.com 1@1",
                "shop:1 DELETE d ada@example.com 1@1/deleted",
                "shop:1 tombstone");
        assertThat(driver.deadLetters()).isEmpty();
        assertThat(driver.metrics().total("syncline.normalizer.skipped")).isEqualTo(1.0);
    }

    @Test
    void aRedeliveredChangeIsDroppedAsDuplicateAndAnOlderOneAsStale() {
        GenericRecord insert = change("c", null, row(1, "ada@example.com", "Ada", 1), 100, T0);
        GenericRecord update = change("u", row(1, "ada@example.com", "Ada", 1),
                row(1, "ada@example.com", "Ada Lovelace", 2), 200, T0 + 1000);
        pipe(insert);
        pipe(update);
        // After a crash the task resumes from its last committed LSN: both come again, in order.
        pipe(insert);
        pipe(update);
        // A second change of the row in the same millisecond is a new one: its version grows.
        GenericRecord sameMillisecond = row(1, "ada@example.com", "A. Lovelace", 3);
        sameMillisecond.put("updated_at", Instant.ofEpochMilli(T0 + 2).toString());
        pipe(change("u", row(1, "ada@example.com", "Ada Lovelace", 2), sameMillisecond, 201, T0 + 1000));

        assertThat(driver.canonical(TOPIC)).extracting(c -> str(c.value().get("name")))
                .containsExactly("Ada", "Ada Lovelace", "A. Lovelace");
        assertThat(driver.metrics().count("syncline.normalizer.dropped.duplicate", MAPPING)).isEqualTo(1.0);
        assertThat(driver.metrics().count("syncline.normalizer.dropped.stale", MAPPING)).isEqualTo(1.0);
    }

    @Test
    void aRowThatBreaksTheCanonicalSchemaIsDeadLetteredAndTheTablesOtherChangesGoOn() {
        pipe(change("c", null, row(1, "", "No Mail", 1), 100, T0));
        pipe(change("c", null, row(2, "grace@example.com", "Grace", 1), 200, T0 + 1000));

        assertThat(driver.canonical(TOPIC)).extracting(c -> c.key()).containsExactly("shop:2");
        List<NormalizerDriver.DeadLetter> dlq = driver.deadLetters();
        assertThat(dlq).singleElement().satisfies(d -> {
            assertThat(d.headers()).containsEntry(DeadLetterHeaders.ERROR_REASON, "check")
                    .hasEntrySatisfying(DeadLetterHeaders.MAPPING_FILE,
                            f -> assertThat(f).endsWith("mappings/shop/customer.yaml"))
                    .containsEntry(DeadLetterHeaders.SOURCE_TOPIC, RAW);
            assertThat(d.headers().get(DeadLetterHeaders.ERROR_MESSAGE)).contains("email");
        });
    }

    /** The same envelope reads Debezium's JSON converter without schemas, where the change event is the value. */
    @ParameterizedTest
    @ValueSource(strings = {"c", "r"})
    void theSameEnvelopeReadsDebeziumsSchemalessJson(String op) {
        String json = "{\"before\":null,\"after\":{\"id\":5,\"email\":\"ada@example.com\",\"name\":\"Ada\","
                + "\"country\":\"de\",\"created_at\":\"" + Instant.ofEpochMilli(T0) + "\",\"updated_at\":\""
                + Instant.ofEpochMilli(T0) + "\",\"version\":1},\"source\":{\"connector\":\"postgresql\","
                + "\"db\":\"shop\",\"table\":\"customers\",\"lsn\":42,\"ts_ms\":" + T0 + "},\"op\":\"" + op + "\"}";
        driver.pipe(RAW, "{\"id\":5}", json.getBytes(StandardCharsets.UTF_8));

        assertThat(driver.canonical(TOPIC)).extracting(ShopCustomerCdcTest::summary)
                .containsExactly("shop:5 UPSERT " + op + " ada@example.com 5@1");
    }
}
