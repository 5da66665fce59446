package io.syncline.connect.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExportOffsetTest {

    @Test
    void roundTripsEveryShapeConnectStores() {
        for (ExportOffset o : List.of(
                ExportOffset.at(new ExportOffset.Cursor("MTcx")),
                ExportOffset.at(new ExportOffset.Start(1714564800L, List.of("1", "2"))),
                ExportOffset.at(new ExportOffset.Start(0, List.of())),
                new ExportOffset(new ExportOffset.Cursor("c"), 250, "4711"),
                new ExportOffset(new ExportOffset.Start(5, List.of("9")), 3, "sha256:ab"))) {
            // Connect may give numbers back as another integral type.
            Map<String, Object> stored = new HashMap<>(o.toMap());
            stored.replaceAll((k, v) -> v instanceof Integer i ? Long.valueOf(i) : v);
            ZendeskObject object = o.request() instanceof ExportOffset.Cursor ? ZendeskObject.TICKET
                    : ZendeskObject.ORGANIZATION;
            assertThat(ExportOffset.fromMap(object, stored)).isEqualTo(o);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "another version|{\"v\":2,\"cursor\":\"c\"}|v is not 1",
        "no request|{\"v\":1}|start_time is not a number",
        "an empty seen id|{\"v\":1,\"start_time\":1,\"seen\":\"a,,b\"}|seen holds an empty id",
        "done without last|{\"v\":1,\"cursor\":\"c\",\"done\":3}|done without last",
        "a cursor for a time-based export|{\"v\":1,\"cursor\":\"c\"}|a cursor for organizations",
    })
    void refusesAnOffsetItDidNotWriteNamingTheObjectAndHowToReset(String what, String json, String problem)
            throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> offset = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
                json.getBytes(StandardCharsets.UTF_8), Map.class);
        ZendeskObject object = what.startsWith("a cursor") ? ZendeskObject.ORGANIZATION : ZendeskObject.TICKET;
        assertThatThrownBy(() -> ExportOffset.fromMap(object, offset)).as(what).isInstanceOf(ConnectException.class)
                .hasMessageContaining("the stored offset of " + object.apiName() + " is not one this connector wrote ("
                        + problem).hasMessageContaining("DELETE /connectors/<name>/offsets");
    }

    @Test
    void keepsTheNewestIdsOfASecondWhenThereAreTooManyForAnOffset() {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < ExportOffset.MAX_SEEN_IN_OFFSET + 10; i++) {
            ids.add(Integer.toString(i));
        }
        String seen = (String) ExportOffset.at(new ExportOffset.Start(1, ids)).toMap().get("seen");
        assertThat(seen.split(",")).hasSize(ExportOffset.MAX_SEEN_IN_OFFSET).startsWith("10");
    }
}
