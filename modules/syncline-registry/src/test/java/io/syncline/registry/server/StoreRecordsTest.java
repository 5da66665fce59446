package io.syncline.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

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
        assertThatThrownBy(() -> StoreRecords.parseKey("{\"keytype\":\"MODE\",\"magic\":0}".getBytes()))
                .hasMessageContaining("unknown keytype 'MODE'");
    }

    @Test
    void schemaValuesRoundTripAndOmitTheTypeForAvro() {
        SchemaValue value = new SchemaValue("s", 2, 7, null, null, "\"string\"", false);
        byte[] bytes = StoreRecords.schemaValueBytes(value);
        assertThat(text(bytes)).isEqualTo(
                "{\"subject\":\"s\",\"version\":2,\"id\":7,\"schema\":\"\\\"string\\\"\",\"deleted\":false}");
        assertThat(StoreRecords.parseSchemaValue(new SchemaKey("s", 2), bytes)).isEqualTo(value);
    }

    @Test
    void aConfluentValueWithSchemaTypeAvroAndExtraFieldsIsRead() {
        byte[] bytes = ("{\"subject\":\"s\",\"version\":1,\"id\":4,\"md5\":\"abc\",\"schemaType\":\"AVRO\","
                + "\"references\":[],\"schema\":\"\\\"int\\\"\",\"deleted\":true}").getBytes(StandardCharsets.UTF_8);
        assertThat(StoreRecords.parseSchemaValue(new SchemaKey("s", 1), bytes))
                .isEqualTo(new SchemaValue("s", 1, 4, null, null, "\"int\"", true));
    }

    @Test
    void configDeleteSubjectAndNoopValuesRoundTrip() {
        assertThat(StoreRecords.parseConfigValue(StoreRecords.configValueBytes(CompatibilityLevel.FULL_TRANSITIVE)))
                .contains(CompatibilityLevel.FULL_TRANSITIVE);
        assertThat(StoreRecords.parseDeleteSubjectValue(StoreRecords.deleteSubjectValueBytes("s", 4))).isEqualTo(4);
        assertThat(StoreRecords.parseNoopValue(StoreRecords.noopValueBytes(12))).isEqualTo(12);
        assertThat(StoreRecords.parseNoopValue(null)).isZero();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
