package io.syncline.delivery.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.delivery.testing.Canonical;
import io.syncline.mapping.MappingContext;
import io.syncline.schemas.finance.PaymentStatus;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** A sink configuration's expressions in the mapping language, over the JSON view of canonical records. */
class SinkMappingsTest {

    private static final Canonical CANONICAL = new Canonical("mock://sink-mappings-test");
    private static final Instant T = Instant.parse("2024-05-01T12:30:00Z");

    private static SinkRecord customer(String name) {
        return CANONICAL.sinkRecord(Canonical.CUSTOMER_TOPIC, 2, 41, "stripe:cus_1",
                Canonical.customer("cus_1", "Ada@Example.COM", name, "evt_1", T));
    }

    private static SinkRecord payment(long amount, String currency) {
        return CANONICAL.sinkRecord(Canonical.PAYMENT_TOPIC, 0, 7, "stripe:ch_1",
                Canonical.payment("ch_1", "cus_1", amount, currency, PaymentStatus.SUCCEEDED, "evt_9", T));
    }

    @Test
    void aBodyMappingInTheMappingLanguage() {
        JsonNode json = Compiled.apply("{email: {email: /email}, name: {record: {first: {given-name: /name}, last:"
                + " {family-name: /name}}}, source: {const: syncline}, event: /metadata/event_id, id: $record/key,"
                + " offset: $record/offset, day: {date: /metadata/source_updated_at}, ms: {epoch-millis:"
                + " /metadata/source_updated_at}, label: {concat: [/name, {const: ' <'}, {email: /email},"
                + " {const: '>'}]}, nothing: /description}", true, customer("Jane van Dyke"));
        assertThat(json.toString()).isEqualTo("{\"email\":\"ada@example.com\",\"name\":{\"first\":\"Jane\","
                + "\"last\":\"van Dyke\"},\"source\":\"syncline\",\"event\":\"evt_1\",\"id\":\"stripe:cus_1\","
                + "\"offset\":41,\"day\":\"2024-05-01\",\"ms\":1714566600000,"
                + "\"label\":\"Jane van Dyke <ada@example.com>\"}");
    }

    @Test
    void theOldFormAndItsConversionProduceTheSameBody() {
        String old = "email=email|lower,name.first=name|given_name,amount=amount|money,at=created_at|datetime";
        String converted = LegacyMapping.flow(LegacyMapping.entries(old));
        assertThat(Compiled.apply(old, true, payment(1999, "USD")))
                .isEqualTo(Compiled.apply(converted, true, payment(1999, "USD")));
        // A nested object whose members all have no value is left out, as the old form left out its parent.
        assertThat(Compiled.apply(old, true, payment(1999, "USD")).has("name")).isFalse();
        assertThat(Compiled.apply(old, false, payment(1999, "USD")).get("name").toString())
                .isEqualTo("{\"first\":null}");
    }

    @Test
    void valuesAcceptPathsExpressionsAndTheOldDottedForm() {
        Compiled c = new Compiled();
        SinkMappings.Value pointer = c.mappings.value("delivery.idempotency.key.field", "/metadata/event_id");
        SinkMappings.Value dotted = c.mappings.value("delivery.idempotency.key.field", "metadata.event_id");
        SinkMappings.Value key = c.mappings.value("delivery.ordering.key", "$key");
        SinkMappings.Value concat = c.mappings.value("delivery.ordering.key", "{concat: [$record/key, {const: '@'},"
                + " /metadata/source_id]}");
        SinkMappings.Value version = c.mappings.value("delivery.version.field", "/metadata/source_updated_at");
        assertThat(c.mappings.value("delivery.version.field", " ")).isNull();
        assertThat(c.problems).isEmpty();
        MappingContext ctx = c.view(customer("Ada"));
        assertThat(pointer.text(ctx)).isEqualTo("evt_1");
        assertThat(dotted.text(ctx)).isEqualTo("evt_1");
        assertThat(key.text(ctx)).isEqualTo("stripe:cus_1");
        assertThat(concat.text(ctx)).isEqualTo("stripe:cus_1@cus_1");
        assertThat(version.text(ctx)).isEqualTo("2024-05-01T12:30:00Z");
    }

    @Test
    void everyProblemIsReportedOnItsKey() {
        Compiled c = new Compiled();
        c.mappings.value("delivery.ordering.key", "meta..id");
        c.mappings.value("delivery.version.field", "{timestamp: /x}");
        c.mappings.object("body.mapping", "{email: {shout: /email}, n: name}", true, true);
        c.mappings.object("crm.customer.properties", "firstname=name|shout", true, false);
        c.mappings.object("crm.payment.properties", "{a: [", true, false);
        c.mappings.template("http.url", "https://api.example.com/{/a~2}");
        assertThat(c.problems).containsOnlyKeys("delivery.ordering.key", "delivery.version.field", "body.mapping",
                "crm.customer.properties", "crm.payment.properties", "http.url");
        assertThat(c.problems.get("delivery.ordering.key")).containsExactly("'meta..id' is not a field path"
                + " (expected names joined by dots, e.g. metadata.event_id)");
        assertThat(c.problems.get("delivery.version.field")).containsExactly("timestamp needs from: unix-seconds,"
                + " unix-millis, iso-8601 or auto");
        assertThat(c.problems.get("body.mapping")).hasSize(2);
        assertThat(c.problems.get("body.mapping").get(0)).startsWith("email: unknown transform {shout}; expected one"
                + " of const, coalesce");
        assertThat(c.problems.get("body.mapping").get(1)).isEqualTo("n: \"name\" is neither a source path nor a"
                + " constant: write /name for a field of the source object, or {const: name} for a constant");
        assertThat(c.problems.get("crm.customer.properties")).containsExactly("mapping entry 'firstname=name|shout':"
                + " unknown transform 'shout' (expected one of lower, upper, trim, given_name, family_name, date,"
                + " datetime, epoch_millis, money, string)");
        assertThat(c.problems.get("crm.payment.properties").get(0)).startsWith("'{a: [' is not a YAML expression");
        assertThat(c.problems.get("http.url")).containsExactly("'https://api.example.com/{/a~2}' has an invalid"
                + " placeholder {/a~2}: invalid escape in JSON Pointer \"/a~2\": only ~0 (~) and ~1 (/) are allowed");
    }

    @Test
    void theViewConvertsOnlyWhatTheExpressionsRead() {
        Compiled c = new Compiled();
        c.mappings.object("crm.payment.properties", "{amount: {major-units: /amount}, status: /status}", true, false);
        c.mappings.value("delivery.version.field", "/metadata/source_updated_at");
        MappingContext ctx = c.view(payment(1999, "USD"));
        List<String> members = new ArrayList<>();
        ctx.object().fieldNames().forEachRemaining(members::add);
        assertThat(members).containsExactlyInAnyOrder("status", "amount", "metadata");
        assertThat(ctx.object().get("amount").toString()).isEqualTo("{\"amount\":1999,\"currency\":\"USD\"}");
        assertThat(ctx.object().get("metadata").toString()).isEqualTo("{\"source_updated_at\":\"2024-05-01T12:30:00Z\"}");
        Compiled whole = new Compiled();
        whole.mappings.object("body.mapping", "", true, true);
        assertThat(whole.view(payment(1999, "USD")).object().get("customer_id").asText()).isEqualTo("stripe:cus_1");
    }
}
