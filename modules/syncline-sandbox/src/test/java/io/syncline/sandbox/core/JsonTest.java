package io.syncline.sandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

class JsonTest {

    @Test
    void previousAttributesHoldOldValuesOfChangedFieldsOnly() {
        ObjectNode before = (ObjectNode) Json.read(
                "{\"id\":\"cus_1\",\"email\":\"a@x\",\"name\":null,\"metadata\":{\"plan\":\"pro\",\"old\":\"1\"},"
                        + "\"address\":null}");
        ObjectNode after = (ObjectNode) Json.read(
                "{\"id\":\"cus_1\",\"email\":\"b@x\",\"name\":null,\"metadata\":{\"plan\":\"pro\",\"seats\":\"3\"},"
                        + "\"address\":{\"city\":\"Berlin\"}}");
        assertThat(Json.previousAttributes(before, after)).isEqualTo(Json.read(
                "{\"email\":\"a@x\",\"metadata\":{\"seats\":null,\"old\":\"1\"},\"address\":null}"));
    }
}
