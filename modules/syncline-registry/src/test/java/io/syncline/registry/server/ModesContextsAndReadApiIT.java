package io.syncline.registry.server;

import static io.syncline.registry.server.RegistryClient.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import io.syncline.registry.server.RegistryClient.Answer;

/**
 * Modes (READWRITE, READONLY, IMPORT with given ids and versions), contexts ({@code :.ctx:subject}, ids per context)
 * and the rest of the read API ({@code GET /schemas}, prefixes, pagination, formats, normalize, GUIDs), over real
 * HTTP; and that the state survives a restart from {@code _schemas}.
 */
class ModesContextsAndReadApiIT extends OneRegistryPerClass {

    // ---------------------------------------------------------------- modes

    @Test
    void readOnlyRefusesWritesAndKeepsReads() {
        int id = client.register("ro-value", record("Ro", "a:string"));
        assertThat(client.put("/mode/ro-value", Map.of("mode", "READONLY")).json().toString())
                .isEqualTo("{\"mode\":\"READONLY\"}");
        assertThat(client.get("/mode/ro-value").json().get("mode").asText()).isEqualTo("READONLY");
        Answer refused = client.post("/subjects/ro-value/versions", Map.of("schema", record("Ro", "a:string",
                "b:int=0")));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.errorCode()).isEqualTo(42205);
        assertThat(refused.message()).isEqualTo("Subject ro-value in context . is in read-only mode");
        assertThat(client.delete("/subjects/ro-value").errorCode()).isEqualTo(42205);
        assertThat(client.get("/schemas/ids/" + id).status()).isEqualTo(200);
        assertThat(client.delete("/mode/ro-value").json().get("mode").asText()).isEqualTo("READONLY");
        assertThat(client.get("/mode/ro-value").errorCode()).isEqualTo(40409);
        assertThat(client.get("/mode/ro-value?defaultToGlobal=true").json().get("mode").asText())
                .isEqualTo("READWRITE");
        assertThat(client.put("/mode/ro-value", Map.of("mode", "SIDEWAYS")).errorCode()).isEqualTo(42204);
    }

    @Test
    void importModeRegistersWithTheGivenIdAndVersionAsMigrationsDo() {
        String subject = "imported-value";
        // IMPORT needs an empty scope: a live subject blocks it.
        client.register(subject, record("Existing", "a:string"));
        Answer blocked = client.put("/mode/" + subject, Map.of("mode", "IMPORT"));
        assertThat(blocked.errorCode()).isEqualTo(42205);
        assertThat(blocked.message()).isEqualTo("Cannot import since found existing subjects");
        client.delete("/subjects/" + subject);
        assertThat(client.put("/mode/" + subject, Map.of("mode", "IMPORT")).status()).isEqualTo(200);
        // The soft-deleted version was removed for good when the subject switched to IMPORT.
        assertThat(client.get("/subjects/" + subject + "/versions?deleted=true").errorCode()).isEqualTo(40401);

        Answer v5 = client.post("/subjects/" + subject + "/versions", Map.of("schema", record("Imported", "a:string"),
                "id", 1000, "version", 5));
        assertThat(v5.status()).as(v5.body()).isEqualTo(200);
        assertThat(v5.json().get("id").asInt()).isEqualTo(1000);
        assertThat(v5.json().get("version").asInt()).isEqualTo(5);
        // Versions and ids as the source registry had them; compatibility is not checked while importing.
        Answer v9 = client.post("/subjects/" + subject + "/versions", Map.of("schema", "\"int\"", "id", 1001,
                "version", 9));
        assertThat(v9.json().get("version").asInt()).isEqualTo(9);
        assertThat(client.get("/subjects/" + subject + "/versions").json().toString()).isEqualTo("[5,9]");
        // An id already bound to another schema cannot be overwritten.
        Answer clash = client.post("/subjects/" + subject + "/versions", Map.of("schema", "\"long\"", "id", 1000,
                "version", 10));
        assertThat(clash.errorCode()).isEqualTo(42205);
        assertThat(clash.message()).isEqualTo("Overwrite new schema with id 1000 in context . is not permitted.");
        // Outside IMPORT an id is refused, and new ids continue above the imported ones.
        client.put("/mode/" + subject, Map.of("mode", "READWRITE"));
        assertThat(client.post("/subjects/" + subject + "/versions", Map.of("schema", "\"string\"", "id", 2000))
                .errorCode()).isEqualTo(42205);
        assertThat(client.register("after-import-value", record("After", "x:string"))).isGreaterThan(1001);
    }

    // ---------------------------------------------------------------- contexts

    @Test
    void contextsHaveTheirOwnIdsAndTheDefaultContextPrefixIsTheSameSubject() {
        String schema = record("InContext", "a:string");
        int defaultId = client.register("ctx-subject", schema);
        assertThat(client.register(":.:ctx-subject", schema)).isEqualTo(defaultId);
        int contextId = client.register(":.staging:ctx-subject", schema);
        assertThat(client.get("/subjects?subjectPrefix=:.staging:").json().toString())
                .isEqualTo("[\":.staging:ctx-subject\"]");
        assertThat(client.get("/contexts").json().toString()).contains("\".\"").contains("\".staging\"");
        Answer inContext = client.get("/schemas/ids/" + contextId + "?subject=:.staging:");
        assertThat(inContext.status()).isEqualTo(200);
        assertThat(inContext.json().get("schema").asText()).isEqualTo(schema);
        assertThat(client.get("/subjects/:.staging:ctx-subject/versions/1").json().get("id").asInt())
                .isEqualTo(contextId);
        // A context-level config applies to its subjects.
        client.put("/config/:.staging:", Map.of("compatibility", "NONE"));
        assertThat(client.get("/config/:.staging:ctx-subject?defaultToGlobal=true").json().get("compatibilityLevel")
                .asText()).isEqualTo("NONE");
        assertThat(client.post("/subjects/:.staging:ctx-subject/versions", Map.of("schema", "\"int\"")).status())
                .isEqualTo(200);
    }

    // ---------------------------------------------------------------- read API

    @Test
    void getSchemasFiltersByPrefixDeletedLatestAndPages() {
        client.register("page-a-value", record("A", "a:string"));
        client.register("page-a-value", record("A", "a:string", "b:int=0"));
        client.register("page-b-value", record("B", "a:string"));
        client.delete("/subjects/page-b-value");

        JsonNode all = client.get("/schemas?subjectPrefix=page-").json();
        assertThat(all.size()).isEqualTo(2);
        assertThat(all.get(0).fieldNames()).toIterable().containsExactly("subject", "version", "id", "guid", "schema");
        assertThat(client.get("/schemas?subjectPrefix=page-&deleted=true").json().size()).isEqualTo(3);
        assertThat(client.get("/schemas?subjectPrefix=page-&latestOnly=true").json().size()).isEqualTo(1);
        JsonNode second = client.get("/schemas?subjectPrefix=page-&deleted=true&offset=1&limit=1").json();
        assertThat(second.size()).isEqualTo(1);
        assertThat(second.get(0).get("version").asInt()).isEqualTo(2);
        assertThat(client.get("/subjects?subjectPrefix=page-&deleted=true&offset=1").json().toString())
                .isEqualTo("[\"page-b-value\"]");
    }

    @Test
    void normalizeOnRegisterAndLookupMakesKeyOrderIrrelevantForJson() {
        String a = "{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"string\"}}}";
        String b = "{\"properties\":{\"x\":{\"type\":\"string\"}},\"type\":\"object\"}";
        int id = client.post("/subjects/norm-value/versions?normalize=true", Map.of("schema", a, "schemaType", "JSON"))
                .json().get("id").asInt();
        Answer found = client.post("/subjects/norm-value?normalize=true", Map.of("schema", b, "schemaType", "JSON"));
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().get("id").asInt()).isEqualTo(id);
        // Without normalize the text keeps its key order, which is not the stored (sorted) one.
        assertThat(client.post("/subjects/norm-value", Map.of("schema", a, "schemaType", "JSON")).errorCode())
                .isEqualTo(40403);
    }

    @Test
    void schemasAreServedByGuidAndIdsByGuid() {
        Answer registered = client.post("/subjects/guid-value/versions", Map.of("schema", record("G", "a:string")));
        String guid = registered.json().get("guid").asText();
        int id = registered.json().get("id").asInt();
        assertThat(client.get("/schemas/guids/" + guid).json().get("schema").asText())
                .isEqualTo(record("G", "a:string"));
        assertThat(client.get("/schemas/guids/" + guid + "/ids").json().toString())
                .isEqualTo("[{\"context\":\".\",\"id\":" + id + "}]");
        assertThat(client.get("/schemas/guids/00000000-0000-0000-0000-000000000000").errorCode()).isEqualTo(40403);
        assertThat(client.get("/schemas/ids/" + id + "?fetchMaxId=true").json().get("maxId").asInt())
                .isGreaterThanOrEqualTo(id);
    }

    @Test
    void stateSurvivesARestartFromTheTopic() {
        client.post("/subjects/restart-value/versions", Map.of("schema", record("R", "a:string"),
                "metadata", Map.of("properties", Map.of("owner", "x"))));
        client.put("/config/restart-value", Map.of("normalize", true));
        client.put("/mode/restart-other", Map.of("mode", "READONLY"));
        try (SchemaRegistryServer second = SchemaRegistryServer.builder(broker.bootstrapServers()).port(0).build()
                .start()) {
            RegistryClient other = new RegistryClient(second.url());
            assertThat(other.get("/subjects/restart-value/versions/1").json().get("metadata").toString())
                    .isEqualTo("{\"properties\":{\"owner\":\"x\"}}");
            assertThat(other.get("/config/restart-value").json().get("normalize").asBoolean()).isTrue();
            assertThat(other.get("/mode/restart-other").json().get("mode").asText()).isEqualTo("READONLY");
        }
    }
}
