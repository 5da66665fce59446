package io.syncline.normalizer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.syncline.normalizer.mapping.EnvelopeCatalog;
import io.syncline.normalizer.mapping.MappingCompiler;
import io.syncline.normalizer.mapping.MappingSet;
import io.syncline.normalizer.mapping.TargetCatalog;
import io.syncline.normalizer.stream.NormalizerDriver.Canonical;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The envelopes shipped for the later providers work as declared, with a test entity standing in for their
 * mappings: a Debezium change event (after/before, op d a delete, tombstones skipped) and a Zendesk webhook.
 */
class DeclaredEnvelopesTest {

    @TempDir
    Path stateDir;
    NormalizerDriver driver;

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    private void start(String provider, String topic, String envelopes) throws IOException {
        Schema thing;
        try (InputStream in = getClass().getResourceAsStream("/test-schemas/Thing.avsc")) {
            thing = new Schema.Parser().parse(in);
        }
        EnvelopeCatalog catalog = EnvelopeCatalog.compile(Map.of("mappings/" + provider + "/envelopes.yaml",
                Map.entry(provider, Files.readString(Path.of("../../mappings/" + provider + "/envelopes.yaml")))));
        String mapping = """
                source: {topic: %s, envelopes: [%s]}
                target: demo.Thing
                system: test
                source-id: {text: /id}
                updated-at: $envelope/time
                event-id: $envelope/id
                fields:
                  title: {coalesce: [/name, /subject, {const: untitled}]}
                """.formatted(topic, envelopes);
        driver = new NormalizerDriver(MappingSet.of(List.of(MappingCompiler.compile(mapping, provider + "/thing",
                "mappings/" + provider + "/thing.yaml", TargetCatalog.ofSchemas(List.of(thing)), catalog)), catalog),
                stateDir);
    }

    private static String debezium(String op, String before, String after, long lsn) {
        return "{\"before\":" + before + ",\"after\":" + after + ",\"source\":{\"connector\":\"postgresql\","
                + "\"db\":\"shop\",\"table\":\"customers\",\"lsn\":" + lsn + ",\"ts_ms\":1717171717000},"
                + "\"op\":\"" + op + "\",\"ts_ms\":1717171717123}";
    }

    @Test
    void aDebeziumChangeEventIsReadFromAfterOrBeforeAndItsTombstoneIsAnExpectedSkip() throws IOException {
        start("shop", "cdc.shop.customers", "debezium-change");
        driver.pipe("cdc.shop.customers", "{\"id\":7}", debezium("r", "null", "{\"id\":7,\"name\":\"snap\"}", 10));
        driver.pipe("cdc.shop.customers", "{\"id\":7}", debezium("u", "{\"id\":7,\"name\":\"snap\"}",
                "{\"id\":7,\"name\":\"Ada\"}", 20));
        driver.pipe("cdc.shop.customers", "{\"id\":7}", debezium("d", "{\"id\":7,\"name\":\"Ada\"}", "null", 30));
        driver.pipe("cdc.shop.customers", "{\"id\":7}", (String) null);

        List<Canonical> out = driver.canonical("canonical.demo.thing.v1");
        assertThat(out).extracting(c -> c.value() == null ? "tombstone" : c.value().get("title") + " "
                + ((GenericRecord) c.value().get("metadata")).get("operation") + " "
                + ((GenericRecord) c.value().get("metadata")).get("source_event_type"))
                .containsExactly("snap UPSERT r", "Ada UPSERT u", "Ada DELETE d", "tombstone");
        assertThat(driver.deadLetters()).isEmpty();
        assertThat(driver.metrics().registry().find("syncline.normalizer.skipped").tag("reason", "null-value")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void aZendeskWebhookCarriesTheObjectAfterTheChangeInDetail() throws IOException {
        start("zendesk", "raw.zendesk.ticket", "zendesk-event, zendesk-object");
        driver.pipe("raw.zendesk.ticket", "35436", """
                {"account_id":1,"detail":{"id":"35436","subject":"Printer on fire","status":"open"},
                 "event":{"current":"open","previous":"new"},"id":"cbe4028c-7239-495d-b020-f22348516046",
                 "subject":"zen:ticket:35436","time":"2024-05-31T10:00:00Z",
                 "type":"zen:event-type:ticket.status_changed","zendesk_event_version":"2022-11-06"}
                """);
        driver.pipe("raw.zendesk.ticket", "35436", """
                {"id":35436,"subject":"Printer still on fire","updated_at":"2024-05-31T10:05:00Z"}
                """);

        assertThat(driver.canonical("canonical.demo.thing.v1")).extracting(c -> c.value().get("title") + " "
                + ((GenericRecord) c.value().get("metadata")).get("event_id")).containsExactly(
                "Printer on fire cbe4028c-7239-495d-b020-f22348516046", "Printer still on fire test:35436@1717149900000");
    }
}
