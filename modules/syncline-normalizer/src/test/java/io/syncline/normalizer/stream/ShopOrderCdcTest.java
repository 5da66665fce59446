package io.syncline.normalizer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
 * The shop's orders and its outbox events → canonical records: mappings/shop/order.yaml (table capture of
 * cdc.shop.orders), outbox-order.yaml and outbox-customer.yaml (Debezium's outbox event router,
 * cdc.shop.outbox.&lt;aggregate&gt;, whole-aggregate payloads), all as the demo's connector writes them: Avro in the
 * registry's wire format, the outbox payload a string whose Connect type says it holds JSON.
 */
class ShopOrderCdcTest {

    private static final String ORDERS = "cdc.shop.orders";
    private static final String CUSTOMERS = "cdc.shop.customers";
    private static final String ORDER_EVENTS = "cdc.shop.outbox.order";
    private static final String CUSTOMER_EVENTS = "cdc.shop.outbox.customer";
    private static final String ORDER_TOPIC = "canonical.finance.order.v1";
    private static final String CUSTOMER_TOPIC = "canonical.finance.customer.v1";

    private static final Schema ORDER_ROW = SchemaBuilder.record("Value").namespace("cdc.shop.orders").fields()
            .requiredLong("id").requiredLong("customer_id").requiredString("status").requiredLong("amount_minor")
            .requiredString("currency")
            .name("created_at").type(zoned()).noDefault()
            .name("updated_at").type(zoned()).noDefault()
            .requiredInt("version").endRecord();
    private static final Schema CUSTOMER_ROW = SchemaBuilder.record("Value").namespace("cdc.shop.customers").fields()
            .requiredLong("id").requiredString("email").requiredString("name").requiredString("country")
            .name("created_at").type(zoned()).noDefault()
            .name("updated_at").type(zoned()).noDefault()
            .requiredInt("version").endRecord();
    private static final Schema SOURCE = SchemaBuilder.record("Source").namespace("io.debezium.connector.postgresql")
            .fields().requiredString("version").requiredString("connector").requiredString("name")
            .requiredLong("ts_ms").optionalString("snapshot").requiredString("db").requiredString("schema")
            .requiredString("table").optionalLong("txId").optionalLong("lsn").endRecord();
    /** The outbox router's value: the payload column, {@code jsonb}, which Debezium types as a JSON string. */
    private static final Schema PAYLOAD = json();

    /** Row times near the driver's record timestamps, so the mappings' checks hold. */
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path stateDir;
    NormalizerDriver driver;
    long lsn = 1000;

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

    private static Schema json() {
        Schema s = Schema.create(Schema.Type.STRING);
        s.addProp("connect.name", "io.debezium.data.Json");
        return s;
    }

    /** An order as the table holds it at {@code version}; the trigger sets updated_at with every version. */
    private static GenericRecord order(long id, String status, long amount, int version) {
        GenericRecord r = new GenericData.Record(ORDER_ROW);
        r.put("id", id);
        r.put("customer_id", 1L);
        r.put("status", status);
        r.put("amount_minor", amount);
        r.put("currency", "EUR");
        r.put("created_at", Instant.ofEpochMilli(T0 + 1).toString());
        r.put("updated_at", Instant.ofEpochMilli(T0 + version).toString());
        r.put("version", version);
        return r;
    }

    private static GenericRecord customer(long id, String email, int version) {
        GenericRecord r = new GenericData.Record(CUSTOMER_ROW);
        r.put("id", id);
        r.put("email", email);
        r.put("name", "Ada Lovelace");
        r.put("country", "DE");
        r.put("created_at", Instant.ofEpochMilli(T0 + 1).toString());
        r.put("updated_at", Instant.ofEpochMilli(T0 + version).toString());
        r.put("version", version);
        return r;
    }

    /** Debezium's change event of a row (table capture). */
    private void change(String topic, String op, GenericRecord before, GenericRecord after) {
        Schema row = (before != null ? before : after).getSchema();
        Schema envelope = SchemaBuilder.record("Envelope").namespace(row.getNamespace()).fields()
                .name("before").type().optional().type(row)
                .name("after").type().optional().type(row)
                .name("source").type(SOURCE).noDefault()
                .requiredString("op").optionalLong("ts_ms").endRecord();
        GenericRecord source = new GenericData.Record(SOURCE);
        long at = ++lsn;
        source.put("version", "3.6.3.Final");
        source.put("connector", "postgresql");
        source.put("name", "cdc.shop");
        source.put("ts_ms", T0 + 5_000 + at);
        source.put("db", "shop");
        source.put("schema", "public");
        source.put("table", row.getNamespace().substring("cdc.shop.".length()));
        source.put("lsn", at);
        GenericRecord e = new GenericData.Record(envelope);
        e.put("before", before);
        e.put("after", after);
        e.put("source", source);
        e.put("op", op);
        GenericRecord key = (GenericRecord) (after != null ? after : before);
        driver.pipeAvro(topic, "{\"id\":" + key.get("id") + "}", e);
    }

    /**
     * An outbox event as the router writes it: key the aggregate id, value the payload (the row as PostgreSQL's
     * {@code to_jsonb} writes it, times with the session's offset), headers the outbox row's id and its type.
     */
    private void event(String topic, String type, GenericRecord row) {
        StringBuilder json = new StringBuilder("{");
        for (Schema.Field f : row.getSchema().getFields()) {
            Object v = row.get(f.name());
            if (f.schema().getProp("connect.name") != null) {
                v = OffsetDateTime.ofInstant(Instant.parse(v.toString()), ZoneOffset.ofHours(1)).toString();
            }
            json.append(json.length() > 1 ? ", " : "").append('"').append(f.name()).append("\": ")
                    .append(v instanceof String ? "\"" + v + "\"" : v);
        }
        String eventId = "8f3c1e2a-0000-4000-8000-" + String.format("%012d", ++lsn);
        driver.pipeAvro(topic, row.get("id").toString(), PAYLOAD, json.append('}').toString(), "id", eventId,
                "eventType", type);
    }

    private static GenericRecord meta(GenericRecord c) {
        return (GenericRecord) c.get("metadata");
    }

    private static String summary(Canonical c) {
        if (c.value() == null) {
            return c.key() + " tombstone";
        }
        return c.key() + " " + meta(c.value()).get("operation") + " " + meta(c.value()).get("source_event_type")
                + " " + c.value().get("status") + " " + meta(c.value()).get("event_id");
    }

    private static String customerSummary(Canonical c) {
        if (c.value() == null) {
            return c.key() + " tombstone";
        }
        return c.key() + " " + meta(c.value()).get("operation") + " " + meta(c.value()).get("source_event_type")
                + " " + c.value().get("email") + " " + meta(c.value()).get("event_id");
    }

    private double dropped(String reason, String mapping) {
        return driver.metrics().count("syncline.normalizer.dropped." + reason, mapping);
    }

    @Test
    void theOrdersTablesChangesBecomeOrdersWithTheirCustomerAmountAndStatus() {
        change(ORDERS, "c", null, order(10, "pending", 2500, 1));
        change(ORDERS, "u", order(10, "pending", 2500, 1), order(10, "paid", 2500, 2));
        change(ORDERS, "d", order(10, "paid", 2500, 2), null);
        driver.pipe(ORDERS, "{\"id\":10}", (byte[]) null);

        List<Canonical> out = driver.canonical(ORDER_TOPIC);
        assertThat(out).extracting(ShopOrderCdcTest::summary).containsExactly(
                "shop:10 UPSERT c PENDING 10@1",
                "shop:10 UPSERT u PAID 10@2",
                "shop:10 DELETE d PAID 10@2/deleted",
                "shop:10 tombstone");
        GenericRecord paid = out.get(1).value();
        assertThat(paid.get("customer_id").toString()).isEqualTo("shop:1");
        assertThat(paid.get("source_status").toString()).isEqualTo("paid");
        assertThat(paid.get("source_version")).isEqualTo(2L);
        GenericRecord amount = (GenericRecord) paid.get("amount");
        assertThat(amount.get("amount")).isEqualTo(2500L);
        assertThat(amount.get("currency").toString()).isEqualTo("EUR");
        assertThat(paid.get("created_at")).isEqualTo(T0 + 1);
        assertThat(paid.get("updated_at")).isEqualTo(T0 + 2);
        assertThat(meta(paid).get("source_updated_at")).as("the row's clock is the version").isEqualTo(T0 + 2);
        assertThat(meta(paid).get("source_system").toString()).isEqualTo("shop");
        assertThat(driver.deadLetters()).isEmpty();
    }

    @Test
    void outboxOrderEventsCarryTheWholeOrderAndBecomeTheSameRecords() {
        event(ORDER_EVENTS, "OrderPlaced", order(11, "pending", 990, 1));
        event(ORDER_EVENTS, "OrderPaid", order(11, "paid", 990, 2));
        event(ORDER_EVENTS, "OrderShipped", order(11, "shipped", 990, 3));
        event(ORDER_EVENTS, "OrderErased", order(11, "shipped", 990, 3));

        List<Canonical> out = driver.canonical(ORDER_TOPIC);
        assertThat(out).extracting(ShopOrderCdcTest::summary).containsExactly(
                "shop:11 UPSERT OrderPlaced PENDING 11@1",
                "shop:11 UPSERT OrderPaid PAID 11@2",
                "shop:11 UPSERT OrderShipped SHIPPED 11@3",
                "shop:11 DELETE OrderErased SHIPPED 11@3/deleted",
                "shop:11 tombstone");
        assertThat(out.get(2).value().get("updated_at")).as("+01:00 in the payload, the same instant")
                .isEqualTo(T0 + 3);
        assertThat(((GenericRecord) out.get(0).value().get("amount")).get("amount")).isEqualTo(990L);
        assertThat(driver.deadLetters()).isEmpty();
    }

    /**
     * The demo publishes every change both ways; whichever copy comes second has the same updated-at, version and
     * event id, and is dropped as a duplicate, so each change is one canonical record.
     */
    @ParameterizedTest(name = "{0} first")
    @ValueSource(strings = {"table capture", "outbox event"})
    void aChangeArrivingByTableCaptureAndAsAnOutboxEventIsOneRecord(String first) {
        boolean tableFirst = first.equals("table capture");
        Runnable[] placed = {() -> change(ORDERS, "c", null, order(12, "pending", 700, 1)),
            () -> event(ORDER_EVENTS, "OrderPlaced", order(12, "pending", 700, 1))};
        Runnable[] paid = {() -> change(ORDERS, "u", order(12, "pending", 700, 1), order(12, "paid", 700, 2)),
            () -> event(ORDER_EVENTS, "OrderPaid", order(12, "paid", 700, 2))};
        Runnable[] erased = {() -> event(ORDER_EVENTS, "OrderErased", order(12, "paid", 700, 2)),
            () -> change(ORDERS, "d", order(12, "paid", 700, 2), null)};
        for (Runnable[] pair : List.of(placed, paid, erased)) {
            pair[tableFirst ? 0 : 1].run();
            pair[tableFirst ? 1 : 0].run();
        }

        assertThat(driver.canonical(ORDER_TOPIC)).extracting(c -> c.value() == null ? "tombstone"
                : meta(c.value()).get("operation") + " " + c.value().get("status") + " "
                + meta(c.value()).get("event_id"))
                .containsExactly("UPSERT PENDING 12@1", "UPSERT PAID 12@2", "DELETE PAID 12@2/deleted", "tombstone");
        assertThat(dropped("duplicate", "shop/order") + dropped("duplicate", "shop/outbox-order")).isEqualTo(3.0);
        assertThat(dropped("stale", "shop/order") + dropped("stale", "shop/outbox-order")).isZero();
    }

    @Test
    void customerEventsAndCustomerRowsConvergeOnTheSameCanonicalCustomer() {
        change(CUSTOMERS, "c", null, customer(3, "ada@example.com", 1));
        event(CUSTOMER_EVENTS, "CustomerRegistered", customer(3, "ada@example.com", 1));
        event(CUSTOMER_EVENTS, "CustomerUpdated", customer(3, "ada.lovelace@example.com", 2));
        change(CUSTOMERS, "u", customer(3, "ada@example.com", 1), customer(3, "ada.lovelace@example.com", 2));
        event(CUSTOMER_EVENTS, "CustomerErased", customer(3, "ada.lovelace@example.com", 2));
        change(CUSTOMERS, "d", customer(3, "ada.lovelace@example.com", 2), null);

        assertThat(driver.canonical(CUSTOMER_TOPIC)).extracting(ShopOrderCdcTest::customerSummary).containsExactly(
                "shop:3 UPSERT c ada@example.com 3@1",
                "shop:3 UPSERT CustomerUpdated ada.lovelace@example.com 3@2",
                "shop:3 DELETE CustomerErased ada.lovelace@example.com 3@2/deleted",
                "shop:3 tombstone");
        assertThat(dropped("duplicate", "shop/customer") + dropped("duplicate", "shop/outbox-customer"))
                .isEqualTo(3.0);
    }

    /** Ids are unique per table only: customer 7 at version 5 must not make order 7 at version 1 look stale. */
    @Test
    void aCustomerAndAnOrderWithTheSameIdAreVersionedApart() {
        change(CUSTOMERS, "c", null, customer(7, "grace@example.com", 5));
        change(ORDERS, "c", null, order(7, "pending", 100, 1));

        assertThat(driver.canonical(CUSTOMER_TOPIC)).extracting(Canonical::key).containsExactly("shop:7");
        assertThat(driver.canonical(ORDER_TOPIC)).extracting(Canonical::key).containsExactly("shop:7");
        assertThat(dropped("stale", "shop/order")).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"shop/order", "shop/outbox-order"})
    void aNegativeAmountIsDeadLetteredAndTheOtherChangesGoOn(String mapping) {
        boolean table = mapping.equals("shop/order");
        if (table) {
            change(ORDERS, "c", null, order(20, "pending", -5, 1));
            change(ORDERS, "c", null, order(21, "pending", 500, 1));
        } else {
            event(ORDER_EVENTS, "OrderPlaced", order(20, "pending", -5, 1));
            event(ORDER_EVENTS, "OrderPlaced", order(21, "pending", 500, 1));
        }

        assertThat(driver.canonical(ORDER_TOPIC)).extracting(Canonical::key).containsExactly("shop:21");
        assertThat(driver.deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.headers()).containsEntry(DeadLetterHeaders.ERROR_REASON, "check")
                    .containsEntry(DeadLetterHeaders.SOURCE_TOPIC, table ? ORDERS : ORDER_EVENTS)
                    .hasEntrySatisfying(DeadLetterHeaders.MAPPING_FILE,
                            f -> assertThat(f).endsWith("mappings/" + mapping + ".yaml"));
            assertThat(d.headers().get(DeadLetterHeaders.ERROR_MESSAGE)).contains("amount.amount").contains("-5");
        });
    }

    @Test
    void anOutboxRecordWithoutItsEventTypeIsDeadLetteredNamingTheEnvelope() {
        driver.pipeAvro(ORDER_EVENTS, "30", PAYLOAD, "{\"id\": 30}", "id", "8f3c1e2a-0000-4000-8000-000000000030");

        assertThat(driver.canonical(ORDER_TOPIC)).isEmpty();
        assertThat(driver.deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.headers()).containsEntry(DeadLetterHeaders.ERROR_REASON, "envelope");
            assertThat(d.headers().get(DeadLetterHeaders.ERROR_MESSAGE)).contains("outbox-event");
        });
    }
}
