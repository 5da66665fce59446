package io.syncline.sandbox.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.syncline.sandbox.core.WriteRecord;
import io.syncline.sandbox.testing.HttpTestClient;
import io.syncline.sandbox.testing.HttpTestClient.Response;

/** Batch endpoints with 207 partial failures, the write log sink tests rely on, and sandbox-only idempotency keys. */
class CrmBatchAndWritesIT {

    private static CrmSandbox crm;
    private static HttpTestClient api;

    @BeforeAll
    static void start() {
        crm = CrmSandbox.builder().seed(17).tenSecondlyLimit(0).build().start();
        api = new HttpTestClient(crm.url()).bearer(crm.privateAppToken());
    }

    @AfterAll
    static void stop() {
        crm.close();
    }

    @BeforeEach
    void clearWrites() {
        crm.writeLog().clear();
    }

    private static Response batch(String type, String op, String json) throws Exception {
        return api.postJson("/crm/v3/objects/" + type + "/batch/" + op, json);
    }

    @Test
    void batchCreateAppliesValidInputsAndReports207ForTheRest() throws Exception {
        api.postJson("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"taken@example.com\"}}");
        Response r = batch("contacts", "create", "{\"inputs\":["
                + "{\"properties\":{\"email\":\"b1@example.com\",\"firstname\":\"B1\"}},"
                + "{\"properties\":{\"email\":\"taken@example.com\"}},"
                + "{\"properties\":{\"shoe_size\":\"44\"}},"
                + "{\"properties\":{\"email\":\"b2@example.com\"}}]}");
        assertThat(r.status()).as(r.raw()).isEqualTo(207);
        JsonNode body = r.json();
        assertThat(body.get("status").asText()).isEqualTo("COMPLETE");
        assertThat(body.get("results")).hasSize(2);
        assertThat(body.get("numErrors").asInt()).isEqualTo(2);
        assertThat(body.get("errors").get(0).get("category").asText()).isEqualTo("CONFLICT");
        assertThat(body.get("errors").get(1).get("category").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(body.get("errors").get(1).get("context").get("inputs").get(0).asInt()).isEqualTo(2);
        assertThat(body.has("startedAt") && body.has("completedAt")).isTrue();
        assertThat(crm.writes()).extracting(WriteRecord::operation).containsExactly("CREATE", "CREATE", "CREATE");
        Response all = batch("contacts", "create", "{\"inputs\":[{\"properties\":{\"email\":\"b3@example.com\"}}]}");
        assertThat(all.status()).isEqualTo(201);
        assertThat(all.json().has("errors")).isFalse();
    }

    @Test
    void batchReadUpdateAndUpsertByEmail() throws Exception {
        String a = api.postJson("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"u1@example.com\"}}")
                .json().get("id").asText();
        Response read = batch("contacts", "read", "{\"properties\":[\"email\"],\"inputs\":[{\"id\":\"" + a
                + "\"},{\"id\":\"424242424\"}]}");
        assertThat(read.status()).isEqualTo(207);
        assertThat(read.json().get("results").get(0).get("properties").get("email").asText())
                .isEqualTo("u1@example.com");
        assertThat(read.json().get("errors").get(0).get("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(read.json().get("errors").get(0).get("context").get("ids").get(0).asText()).isEqualTo("424242424");
        Response byEmail = batch("contacts", "read", "{\"idProperty\":\"email\",\"inputs\":[{\"id\":\"U1@example.com\"}]}");
        assertThat(byEmail.status()).isEqualTo(200);
        assertThat(byEmail.json().get("results").get(0).get("id").asText()).isEqualTo(a);

        Response update = batch("contacts", "update", "{\"inputs\":[{\"id\":\"" + a + "\",\"properties\":"
                + "{\"lifecyclestage\":\"customer\"}},{\"id\":\"424242424\",\"properties\":{\"firstname\":\"X\"}}]}");
        assertThat(update.status()).isEqualTo(207);
        assertThat(update.json().get("results").get(0).get("id").asText()).isEqualTo(a);
        assertThat(crm.object("contacts", a).get("properties").get("lifecyclestage").asText()).isEqualTo("customer");

        Response upsert = batch("contacts", "upsert", "{\"inputs\":["
                + "{\"idProperty\":\"email\",\"id\":\"u1@example.com\",\"properties\":{\"firstname\":\"Known\"}},"
                + "{\"idProperty\":\"email\",\"id\":\"fresh@example.com\",\"properties\":{\"firstname\":\"Fresh\"}}]}");
        assertThat(upsert.status()).as(upsert.raw()).isEqualTo(200);
        JsonNode results = upsert.json().get("results");
        assertThat(results.get(0).get("new").asBoolean()).isFalse();
        assertThat(results.get(0).get("id").asText()).isEqualTo(a);
        assertThat(results.get(1).get("new").asBoolean()).isTrue();
        assertThat(results.get(1).get("properties").get("email").asText()).isEqualTo("fresh@example.com");
        assertThat(crm.writes()).extracting(WriteRecord::operation).containsExactly("CREATE", "UPDATE", "UPDATE",
                "CREATE");
    }

    @Test
    void batchInputLimitsAndDuplicatesFailTheWholeBatch() throws Exception {
        StringBuilder many = new StringBuilder("{\"inputs\":[");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("{\"properties\":{\"firstname\":\"x\"}}");
        }
        Response tooMany = batch("contacts", "create", many + "]}");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().get("message").asText()).contains("101");
        Response dups = batch("contacts", "update", "{\"inputs\":[{\"id\":\"1\",\"properties\":{}},"
                + "{\"id\":\"1\",\"properties\":{}}]}");
        assertThat(dups.status()).isEqualTo(400);
        assertThat(dups.json().get("message").asText()).contains("Duplicate IDs");
        assertThat(batch("deals", "upsert", "{\"inputs\":[{\"idProperty\":\"dealname\",\"id\":\"x\",\"properties\":{}}]}")
                .status()).isEqualTo(400);
        assertThat(batch("contacts", "create", "{\"inputs\":[]}").status()).isEqualTo(400);
        assertThat(crm.writes()).isEmpty();
    }

    @Test
    void theWriteLogRecordsEveryClientWriteInOrderWithItsKey() throws Exception {
        String id = api.postJson("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"order@example.com\"}}")
                .json().get("id").asText();
        crm.generator().runSteps(30); // generated activity is not a client write
        for (int i = 1; i <= 5; i++) {
            Response r = api.sendJson("PATCH", "/crm/v3/objects/contacts/" + id,
                    "{\"properties\":{\"jobtitle\":\"v" + i + "\"}}", Map.of("Idempotency-Key", "order-" + i));
            assertThat(r.status()).isEqualTo(200);
        }
        List<WriteRecord> writes = crm.writes();
        assertThat(writes).hasSize(6).allMatch(w -> w.objectType().equals("contacts") && w.objectId().equals(id));
        assertThat(writes.get(0).operation()).isEqualTo("CREATE");
        assertThat(writes.get(0).method()).isEqualTo("POST");
        List<String> titles = new ArrayList<>();
        writes.subList(1, 6).forEach(w -> titles.add(w.properties().get("jobtitle")));
        assertThat(titles).containsExactly("v1", "v2", "v3", "v4", "v5");
        assertThat(writes.subList(1, 6)).extracting(WriteRecord::idempotencyKey)
                .containsExactly("order-1", "order-2", "order-3", "order-4", "order-5");
        assertThat(writes.get(1).method()).isEqualTo("PATCH");
        assertThat(writes.get(1).path()).isEqualTo("/crm/v3/objects/contacts/" + id);
        assertThat(writes.get(1).at()).isNotNull();
        assertThat(writes.get(1).requestId()).isNotBlank();
    }

    @Test
    void aRepeatedIdempotencyKeyIsNotAppliedTwice() throws Exception {
        Map<String, String> key = Map.of("Idempotency-Key", "sink-record-7");
        String body = "{\"properties\":{\"email\":\"once@example.com\",\"firstname\":\"Once\"}}";
        Response first = api.sendJson("POST", "/crm/v3/objects/contacts", body, key);
        Response retry = api.sendJson("POST", "/crm/v3/objects/contacts", body, key);
        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.json()).isEqualTo(first.json());
        assertThat(crm.writes()).hasSize(1);
        Response other = api.sendJson("POST", "/crm/v3/objects/contacts",
                "{\"properties\":{\"email\":\"other@example.com\"}}", key);
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.json().get("message").asText()).contains("sink-record-7");

        Response batchFirst = api.sendJson("POST", "/crm/v3/objects/contacts/batch/upsert", "{\"inputs\":[{\"idProperty\":"
                + "\"email\",\"id\":\"up@example.com\",\"properties\":{\"firstname\":\"Up\"}}]}",
                Map.of("Idempotency-Key", "batch-1"));
        Response batchRetry = api.sendJson("POST", "/crm/v3/objects/contacts/batch/upsert", "{\"inputs\":[{\"idProperty\":"
                + "\"email\",\"id\":\"up@example.com\",\"properties\":{\"firstname\":\"Up\"}}]}",
                Map.of("Idempotency-Key", "batch-1"));
        assertThat(batchRetry.json()).isEqualTo(batchFirst.json());
        Set<String> keys = new HashSet<>();
        for (WriteRecord w : crm.writes()) {
            assertThat(keys.add(w.idempotencyKey() + "/" + w.objectId())).as("applied twice: " + w).isTrue();
        }
        assertThat(crm.writes()).hasSize(2);
        JsonNode admin = new HttpTestClient(crm.url()).get("/_sandbox/writes").json();
        assertThat(admin.get("writes")).hasSize(2);
        assertThat(admin.get("writes").get(1).get("idempotencyKey").asText()).isEqualTo("batch-1");
    }

    @Test
    void aRepeatedObjectWriteTraceIdIsEchoedAndNotAppliedAgainInAnyBatch() throws Exception {
        String upsert = "{\"inputs\":[{\"idProperty\":\"email\",\"id\":\"traced@example.com\",\"objectWriteTraceId\":"
                + "\"stripe:cus_1:1\",\"properties\":{\"firstname\":\"One\"}},{\"idProperty\":\"email\",\"id\":"
                + "\"second@example.com\",\"objectWriteTraceId\":\"stripe:cus_2:1\",\"properties\":{}}]}";
        Response first = batch("contacts", "upsert", upsert);
        assertThat(first.status()).as(first.raw()).isEqualTo(200);
        assertThat(first.json().get("results")).extracting(r -> r.get("objectWriteTraceId").asText())
                .containsExactlyInAnyOrder("stripe:cus_1:1", "stripe:cus_2:1");

        // The same changes rebuilt into another batch (no Idempotency-Key, another neighbour), as after a restart.
        Response rebuilt = batch("contacts", "upsert", "{\"inputs\":[{\"idProperty\":\"email\",\"id\":"
                + "\"traced@example.com\",\"objectWriteTraceId\":\"stripe:cus_1:1\",\"properties\":{\"firstname\":"
                + "\"One\"}},{\"idProperty\":\"email\",\"id\":\"traced@example.com\",\"objectWriteTraceId\":"
                + "\"stripe:cus_1:2\",\"properties\":{\"firstname\":\"Two\"}}]}");
        assertThat(rebuilt.status()).as(rebuilt.raw()).isEqualTo(400); // HubSpot refuses the same id twice per batch
        Response again = batch("contacts", "upsert", "{\"inputs\":[{\"idProperty\":\"email\",\"id\":"
                + "\"traced@example.com\",\"objectWriteTraceId\":\"stripe:cus_1:1\",\"properties\":{\"firstname\":"
                + "\"One\"}},{\"idProperty\":\"email\",\"id\":\"third@example.com\",\"objectWriteTraceId\":"
                + "\"stripe:cus_3:1\",\"properties\":{}}]}");
        assertThat(again.status()).as(again.raw()).isEqualTo(200);
        assertThat(again.json().get("results").get(0).get("objectWriteTraceId").asText()).isEqualTo("stripe:cus_1:1");

        assertThat(crm.writes()).extracting(WriteRecord::objectWriteTraceId)
                .containsExactly("stripe:cus_1:1", "stripe:cus_2:1", "stripe:cus_3:1");
        JsonNode admin = new HttpTestClient(crm.url()).get("/_sandbox/writes").json();
        assertThat(admin.get("repeatedWriteTraceIds").asLong()).isEqualTo(1);
        assertThat(admin.get("writes").get(0).get("objectWriteTraceId").asText()).isEqualTo("stripe:cus_1:1");

        Response next = batch("contacts", "update", "{\"inputs\":[{\"idProperty\":\"email\",\"id\":"
                + "\"traced@example.com\",\"objectWriteTraceId\":\"stripe:cus_1:2\",\"properties\":{\"firstname\":"
                + "\"Two\"}}]}");
        assertThat(next.json().get("results").get(0).get("properties").get("firstname").asText()).isEqualTo("Two");
        assertThat(crm.writes()).hasSize(4);
    }
}
