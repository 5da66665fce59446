package io.syncline.normalizer.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.mapping.PrunedJsonReader;
import org.junit.jupiter.api.Test;

/** The parser builds only what the mappings read, and still rejects malformed JSON anywhere. */
class PrunedJsonReaderTest {

    private static final MappingSet SHIPPED = MappingSet.load(Path.of("../../mappings"), TargetCatalog.canonical());

    private static JsonNode read(String topic, String json) throws Exception {
        return PrunedJsonReader.read(json.getBytes(StandardCharsets.UTF_8), SHIPPED.parsePaths(topic));
    }

    @Test
    void keepsWhatTheChargeMappingReadsAndSkipsTheRest() throws Exception {
        JsonNode root = read("raw.stripe.charge", """
                {"id":"evt_1","object":"event","type":"charge.succeeded","created":1,"api_version":"2024-06-20",
                 "request":{"id":"req_1"},
                 "data":{"object":{"id":"ch_1","object":"charge","amount":5,"outcome":{"risk_level":"normal"},
                   "billing_details":{"address":{"city":"Köln","country":"de"},"email":"a@b.c"},
                   "metadata":{"k":"v","n":{"deep":[1,2]}},"payment_method_details":{"card":{"brand":"visa",
                   "exp_year":2030},"type":"card"}},"previous_attributes":{"amount":4}}}
                """);
        JsonNode charge = root.path("data").path("object");
        assertThat(root.path("id").asText()).isEqualTo("evt_1");
        assertThat(root.has("api_version")).isFalse();
        assertThat(root.has("request")).isFalse();
        // The version rank reads previous_attributes.amount_refunded (a reverted refund); nothing else of it is kept.
        assertThat(root.path("data").path("previous_attributes").has("amount")).isFalse();
        assertThat(charge.path("amount").asLong()).isEqualTo(5);
        assertThat(charge.has("outcome")).isFalse();
        assertThat(charge.path("billing_details").path("address").path("city").asText()).isEqualTo("Köln");
        assertThat(charge.path("metadata").path("n").toString()).isEqualTo("{\"deep\":[1,2]}");
        assertThat(charge.path("payment_method_details").path("card").has("exp_year")).isFalse();
        assertThat(charge.path("payment_method_details").path("card").path("brand").asText()).isEqualTo("visa");
    }

    @Test
    void keepsEveryInvoiceLineButOnlyTheMembersTheLineMappingReads() throws Exception {
        JsonNode root = read("raw.stripe.invoice", """
                {"id":"in_1","object":"invoice","lines":{"object":"list","has_more":false,"data":[
                  {"id":"il_1","amount":1,"discounts":[{"x":1}],"price":{"id":"p1","product":"prod_1","unit_amount":1}},
                  {"id":"il_2","amount":2,"price":{"id":"p2","product":{"id":"prod_2","name":"Seat"}}}]}}
                """);
        JsonNode lines = root.path("lines").path("data");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).has("discounts")).isFalse();
        assertThat(lines.get(1).path("price").path("product").path("id").asText()).isEqualTo("prod_2");
        assertThat(root.path("lines").has("has_more")).isFalse();
    }

    @Test
    void malformedJsonInASkippedPartIsStillAnError() {
        assertThatThrownBy(() -> read("raw.stripe.charge", "{\"id\":\"ch_1\",\"outcome\":{\"a\":[1,}}"))
                .isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> read("raw.stripe.charge", "{\"id\":\"ch_1\"} trailing"))
                .isInstanceOf(JsonProcessingException.class);
    }
}
