package io.syncline.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.syncline.registry.server.StoreRecords.ConfigKey;
import io.syncline.registry.server.StoreRecords.DeleteSubjectKey;
import io.syncline.registry.server.StoreRecords.NoopKey;
import io.syncline.registry.server.StoreRecords.SchemaKey;
import io.syncline.registry.server.StoreRecords.SchemaValue;

class StoreRecordsTest {

    @Test
    void keysAreWrittenByteForByteInConfluentsFormat() {
        assertThat(text(StoreRecords.keyBytes(new SchemaKey("orders-value", 3))))
                .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"orders-value\",\"version\":3,\"magic\":1}");
        assertThat(text(StoreRecords.keyBytes(new ConfigKey("orders-value"))))
                .isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":\"orders-value\",\"magic\":0}");
        assertThat(text(StoreRecords.keyBytes(new ConfigKey(null))))
                .isEqualTo("{\"keytype\":\"CONFIG\",\"magic\":0}");
        assertThat(text(StoreRecords.keyBytes(new DeleteSubjectKey("orders-value"))))
                .isEqualTo("{\"keytype\":\"DELETE_SUBJECT\",\"subject\":\"orders-value\",\"magic\":0}");
        assertThat(text(StoreRecords.keyBytes(new NoopKey()))).isEqualTo("{\"keytype\":\"NOOP\",\"magic\":0}");
    }

    @Test
    void keysInAnotherFieldOrderStillParseToTheSameLogicalKey() {
        byte[] legacy = "{\"subject\":\"s\",\"version\":1,\"magic\":0,\"keytype\":\"SCHEMA\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(StoreRecords.parseKey(legacy)).isEqualTo(new SchemaKey("s", 1));
    }

    @Test
    void anUnknownKeyTypeIsRejectedWithItsName() {
        assertThatThrownBy(() -> StoreRecords.parseKey("{\"keytype\":\"KEK\",\"magic\":0}".getBytes()))
                .hasMessageContaining("unknown keytype 'KEK'");
    }

    @Test
    void schemaValuesRoundTripAndOmitTheTypeForAvro() {
        SchemaValue value = new SchemaValue("s", 2, 7, null, null, null, null, "\"string\"", false, 5L);
        byte[] bytes = StoreRecords.schemaValueBytes(value);
        assertThat(text(bytes)).isEqualTo(
                "{\"subject\":\"s\",\"version\":2,\"id\":7,\"schema\":\"\\\"string\\\"\",\"deleted\":false}");
        assertThat(StoreRecords.parseSchemaValue(new SchemaKey("s", 2), bytes, 5L)).isEqualTo(value);
    }

    @Test
    void aConfluentValueWithSchemaTypeAvroAndExtraFieldsIsRead() {
        byte[] bytes = ("{\"subject\":\"s\",\"version\":1,\"id\":4,\"md5\":\"abc\",\"schemaType\":\"AVRO\","
                + "\"references\":[],\"schema\":\"\\\"int\\\"\",\"deleted\":true}").getBytes(StandardCharsets.UTF_8);
        assertThat(StoreRecords.parseSchemaValue(new SchemaKey("s", 1), bytes, 9L))
                .isEqualTo(new SchemaValue("s", 1, 4, null, null, null, null, "\"int\"", true, 9L));
    }

    @Test
    void configDeleteSubjectAndNoopValuesRoundTrip() {
        assertThat(StoreRecords.parseConfigValue(StoreRecords.configValueBytes(RegistryStateTest.level(
                CompatibilityLevel.FULL_TRANSITIVE))).path("compatibilityLevel").asText()).isEqualTo("FULL_TRANSITIVE");
        assertThat(StoreRecords.parseDeleteSubjectValue(StoreRecords.deleteSubjectValueBytes("s", 4))).isEqualTo(4);
        assertThat(StoreRecords.parseNoopValue(StoreRecords.noopValueBytes(Map.of(".", 12, ".ctx", 3))))
                .isEqualTo(Map.of(".", 12, ".ctx", 3));
        assertThat(StoreRecords.parseNoopValue(null)).isEmpty();
        assertThat(StoreRecords.parseModeValue(StoreRecords.modeValueBytes("s", "IMPORT"))).isEqualTo("IMPORT");
    }

    @Test
    void modeAndContextKeysHaveConfluentsForm() {
        assertThat(text(StoreRecords.keyBytes(new StoreRecords.ModeKey("s"))))
                .isEqualTo("{\"keytype\":\"MODE\",\"subject\":\"s\",\"magic\":0}");
        assertThat(text(StoreRecords.keyBytes(new StoreRecords.ContextKey(".ctx"))))
                .isEqualTo("{\"keytype\":\"CONTEXT\",\"tenant\":\"default\",\"context\":\".ctx\",\"magic\":0}");
        assertThat(StoreRecords.parseKey(StoreRecords.keyBytes(new StoreRecords.ModeKey(null))))
                .isEqualTo(new StoreRecords.ModeKey(null));
    }

    @Test
    void contractsAndReferencesRoundTripNormalised() {
        com.fasterxml.jackson.databind.node.ObjectNode metadata = Contracts.metadata(json(
                "{\"properties\":{\"owner\":\"team-b\",\"a\":\"1\"},\"sensitive\":[\"ssn\"]}"), "metadata");
        com.fasterxml.jackson.databind.node.ObjectNode ruleSet = Contracts.ruleSet(json(
                "{\"domainRules\":[{\"name\":\"checkLen\",\"type\":\"CEL\",\"expr\":\"size(message.f) < 10\"}]}"),
                "ruleSet");
        SchemaValue value = new SchemaValue("s", 1, 2, "JSON",
                List.of(new RegistryState.Reference("other.json", "other", 1)), metadata, ruleSet, "{}", false, 0L);
        byte[] bytes = StoreRecords.schemaValueBytes(value);
        assertThat(text(bytes)).isEqualTo("{\"subject\":\"s\",\"version\":1,\"id\":2,\"schemaType\":\"JSON\","
                + "\"references\":[{\"name\":\"other.json\",\"subject\":\"other\",\"version\":1}],"
                + "\"metadata\":{\"properties\":{\"a\":\"1\",\"owner\":\"team-b\"},\"sensitive\":[\"ssn\"]},"
                + "\"ruleSet\":{\"domainRules\":[{\"name\":\"checkLen\",\"kind\":\"TRANSFORM\",\"mode\":\"WRITEREAD\","
                + "\"type\":\"CEL\",\"expr\":\"size(message.f) < 10\",\"disabled\":false}]},"
                + "\"schema\":\"{}\",\"deleted\":false}");
        assertThat(StoreRecords.parseSchemaValue(new SchemaKey("s", 1), bytes, 0L)).isEqualTo(value);
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) {
        try {
            return StoreRecords.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
