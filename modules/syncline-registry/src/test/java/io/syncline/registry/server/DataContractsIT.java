package io.syncline.registry.server;

import static io.syncline.registry.server.RegistryClient.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import io.syncline.registry.server.RegistryClient.Answer;

/**
 * Data contracts (schema {@code metadata} and {@code ruleSet}, config defaults and overrides) over real HTTP with the
 * state in {@code _schemas}: stored, returned on every read, part of a schema's identity, as Confluent's registry does.
 */
class DataContractsIT extends OneRegistryPerClass {

    static final AtomicInteger subjects = new AtomicInteger();

    static final Map<String, Object> METADATA = Map.of(
            "properties", Map.of("owner", "payments-team", "email", "payments@example.com"),
            "tags", Map.of("Payment.card", List.of("PII")),
            "sensitive", List.of("card"));
    static final Map<String, Object> RULES = Map.of("domainRules", List.of(Map.of(
            "name", "checkAmount", "type", "CEL", "mode", "WRITE", "expr", "message.amount > 0",
            "onFailure", "DLQ", "params", Map.of("dlq.topic", "bad-payments"))));

    static String subject() {
        return "contract-" + subjects.incrementAndGet() + "-value";
    }

    @Test
    void metadataAndRulesAreStoredNormalisedAndReturnedOnEveryRead() {
        String subject = subject();
        String schema = record("Payment", "card:string", "amount:long");
        Answer registered = client.post("/subjects/" + subject + "/versions",
                Map.of("schema", schema, "metadata", METADATA, "ruleSet", RULES));
        assertThat(registered.status()).isEqualTo(200);
        int id = registered.json().get("id").asInt();
        String expectedMetadata = "{\"tags\":{\"Payment.card\":[\"PII\"]},\"properties\":{\"email\":"
                + "\"payments@example.com\",\"owner\":\"payments-team\"},\"sensitive\":[\"card\"]}";
        // Defaults filled in and keys ordered as Confluent's Rule entity serialises them.
        String expectedRules = "{\"domainRules\":[{\"name\":\"checkAmount\",\"kind\":\"TRANSFORM\",\"mode\":\"WRITE\","
                + "\"type\":\"CEL\",\"params\":{\"dlq.topic\":\"bad-payments\"},\"expr\":\"message.amount > 0\","
                + "\"onFailure\":\"DLQ\",\"disabled\":false}]}";
        assertThat(registered.json().get("metadata").toString()).isEqualTo(expectedMetadata);
        assertThat(registered.json().get("ruleSet").toString()).isEqualTo(expectedRules);

        for (JsonNode read : List.of(client.get("/schemas/ids/" + id).json(),
                client.get("/subjects/" + subject + "/versions/1").json(),
                client.get("/subjects/" + subject + "/versions/latest").json(),
                client.post("/subjects/" + subject, Map.of("schema", schema, "metadata", METADATA, "ruleSet", RULES))
                        .json(),
                client.get("/schemas?subjectPrefix=" + subject).json().get(0))) {
            assertThat(read.get("metadata").toString()).isEqualTo(expectedMetadata);
            assertThat(read.get("ruleSet").toString()).isEqualTo(expectedRules);
            assertThat(read.get("guid").asText()).isEqualTo(registered.json().get("guid").asText());
        }
    }

    @Test
    void theContractIsPartOfTheSchemasIdentity() {
        String subject = subject();
        String schema = record("Identity", "a:string");
        int plain = client.register(subject, schema);
        Answer withMetadata = client.post("/subjects/" + subject + "/versions",
                Map.of("schema", schema, "metadata", Map.of("properties", Map.of("owner", "a"))));
        assertThat(withMetadata.json().get("id").asInt()).isNotEqualTo(plain);
        assertThat(withMetadata.json().get("version").asInt()).isEqualTo(2);

        // The same contract in another key order is the same schema: no new version.
        Answer again = client.post("/subjects/" + subject + "/versions", "{\"metadata\":{\"properties\":"
                + "{\"owner\":\"a\"}},\"schema\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(schema).toString() + "}");
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("id").asInt()).isEqualTo(withMetadata.json().get("id").asInt());
        assertThat(client.get("/subjects/" + subject + "/versions").json().toString()).isEqualTo("[1,2]");

        // The plain text again is the plain schema: version 1, as Confluent answers from its lookup.
        Answer plainAgain = client.post("/subjects/" + subject + "/versions", Map.of("schema", schema));
        assertThat(plainAgain.json().get("version").asInt()).isEqualTo(1);
        // A new schema without a contract inherits the latest version's contract.
        Answer inherited = client.post("/subjects/" + subject + "/versions",
                Map.of("schema", record("Identity", "a:string", "b:int=0")));
        assertThat(inherited.json().get("version").asInt()).isEqualTo(3);
        assertThat(inherited.json().get("metadata").toString()).isEqualTo("{\"properties\":{\"owner\":\"a\"}}");
    }

    @Test
    void aVersionAskedForIsRecordedAsConfluentVersionAndLookupsWithoutItStillFindIt() {
        String subject = subject();
        String schema = record("Versioned", "a:string");
        Answer registered = client.post("/subjects/" + subject + "/versions", Map.of("schema", schema, "version", 1));
        assertThat(registered.json().get("metadata").toString())
                .isEqualTo("{\"properties\":{\"confluent:version\":\"1\"}}");
        Answer found = client.post("/subjects/" + subject, Map.of("schema", schema));
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().get("version").asInt()).isEqualTo(1);
        // A serializer that sends what it read back (with confluent:version) gets the same id.
        Answer same = client.post("/subjects/" + subject + "/versions", Map.of("schema", schema,
                "metadata", Map.of("properties", Map.of("confluent:version", "1"))));
        assertThat(same.json().get("id").asInt()).isEqualTo(registered.json().get("id").asInt());
    }

    @Test
    void configDefaultsAndOverridesShapeRegisteredContractsAndGetConfigAnswersEveryField() {
        String subject = subject();
        Answer put = client.put("/config/" + subject, Map.of(
                "compatibility", "FULL",
                "normalize", true,
                "validateFields", false,
                "compatibilityGroup", "application.major.version",
                "defaultMetadata", Map.of("properties", Map.of("owner", "default-team", "tier", "gold")),
                "overrideMetadata", Map.of("properties", Map.of("tier", "platinum")),
                "defaultRuleSet", Map.of("domainRules", List.of(Map.of("name", "d", "type", "CEL", "expr", "true"))),
                "overrideRuleSet", Map.of("domainRules", List.of(Map.of("name", "o", "type", "CEL", "expr", "true")))));
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().fieldNames()).toIterable().containsExactly("normalize", "validateFields",
                "compatibility", "compatibilityGroup", "defaultMetadata", "overrideMetadata", "defaultRuleSet",
                "overrideRuleSet");

        JsonNode config = client.get("/config/" + subject).json();
        assertThat(config.get("compatibilityLevel").asText()).isEqualTo("FULL");
        assertThat(config.get("normalize").asBoolean()).isTrue();
        assertThat(config.get("validateFields").asBoolean()).isFalse();
        assertThat(config.get("compatibilityGroup").asText()).isEqualTo("application.major.version");
        assertThat(config.get("defaultMetadata").toString()).contains("default-team");
        assertThat(config.get("overrideRuleSet").toString()).contains("\"name\":\"o\"");

        // A partial update changes only what it names; null clears a field.
        client.put("/config/" + subject, "{\"normalize\":null,\"compatibility\":\"BACKWARD\"}");
        JsonNode after = client.get("/config/" + subject).json();
        assertThat(after.has("normalize")).isFalse();
        assertThat(after.get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
        assertThat(after.get("compatibilityGroup").asText()).isEqualTo("application.major.version");

        Answer registered = client.post("/subjects/" + subject + "/versions", Map.of(
                "schema", record("Configured", "a:string"),
                "metadata", Map.of("properties", Map.of("owner", "my-team", "tier", "bronze"))));
        JsonNode metadata = registered.json().get("metadata").get("properties");
        assertThat(metadata.get("owner").asText()).isEqualTo("my-team");     // request beats the default
        assertThat(metadata.get("tier").asText()).isEqualTo("platinum");     // the override beats the request
        assertThat(registered.json().get("ruleSet").toString()).contains("\"name\":\"d\"").contains("\"name\":\"o\"");
    }

    @Test
    void theGlobalConfigAnswersEveryFieldItHasAndOnlyTheLevelByDefault() {
        assertThat(client.get("/config").json().toString()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
        try {
            client.put("/config", Map.of("normalize", true, "validateRules", true));
            JsonNode config = client.get("/config").json();
            assertThat(config.get("normalize").asBoolean()).isTrue();
            assertThat(config.get("validateRules").asBoolean()).isTrue();
            assertThat(config.get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
            // A subject without its own config reports the one in force with defaultToGlobal.
            assertThat(client.get("/config/unset-subject?defaultToGlobal=true").json().get("normalize").asBoolean())
                    .isTrue();
            assertThat(client.get("/config/unset-subject").errorCode()).isEqualTo(40408);
        } finally {
            client.delete("/config");
        }
    }

    @Test
    void compatibilityGroupsCheckOnlyVersionsOfTheSameGroup() {
        String subject = subject();
        client.put("/config/" + subject, Map.of("compatibility", "BACKWARD",
                "compatibilityGroup", "application.major.version"));
        client.post("/subjects/" + subject + "/versions", Map.of("schema", record("G", "a:string"),
                "metadata", Map.of("properties", Map.of("application.major.version", "1"))));
        // Breaking, but in a new group: accepted.
        Answer v2 = client.post("/subjects/" + subject + "/versions", Map.of("schema", record("G", "b:int"),
                "metadata", Map.of("properties", Map.of("application.major.version", "2"))));
        assertThat(v2.status()).isEqualTo(200);
        // Breaking within group 2: refused.
        Answer v3 = client.post("/subjects/" + subject + "/versions", Map.of("schema", record("G", "c:int"),
                "metadata", Map.of("properties", Map.of("application.major.version", "2"))));
        assertThat(v3.status()).isEqualTo(409);
        assertThat(v3.errorCode()).isEqualTo(40901);
    }

    @Test
    void theLatestVersionWithGivenMetadataIsServedByMetadataQuery() {
        String subject = subject();
        client.post("/subjects/" + subject + "/versions", Map.of("schema", record("M", "a:string"),
                "metadata", Map.of("properties", Map.of("major", "1", "env", "prod"))));
        client.post("/subjects/" + subject + "/versions", Map.of("schema", record("M", "a:string", "b:int=0"),
                "metadata", Map.of("properties", Map.of("major", "1", "env", "prod"))));
        client.post("/subjects/" + subject + "/versions", Map.of("schema", record("M", "a:string", "c:int=0"),
                "metadata", Map.of("properties", Map.of("major", "2"))));
        Answer major1 = client.get("/subjects/" + subject + "/metadata?key=major&value=1&key=env&value=prod");
        assertThat(major1.status()).isEqualTo(200);
        assertThat(major1.json().get("version").asInt()).isEqualTo(2);
        assertThat(client.get("/subjects/" + subject + "/metadata?key=major&value=2").json().get("version").asInt())
                .isEqualTo(3);
        Answer none = client.get("/subjects/" + subject + "/metadata?key=major&value=3");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.errorCode()).isEqualTo(40403);
        assertThat(client.get("/subjects/nobody/metadata?key=major&value=3").errorCode()).isEqualTo(40401);
    }

    @Test
    void anInvalidRuleSetIs42210WithConfluentsReason() {
        Answer duplicate = client.post("/subjects/" + subject() + "/versions", Map.of("schema", "\"string\"",
                "ruleSet", Map.of("domainRules", List.of(Map.of("name", "r", "type", "CEL"),
                        Map.of("name", "r", "type", "CEL")))));
        assertThat(duplicate.status()).isEqualTo(422);
        assertThat(duplicate.errorCode()).isEqualTo(42210);
        assertThat(duplicate.message()).isEqualTo("Found rule with duplicate name 'r'");

        Answer wrongMode = client.post("/subjects/" + subject() + "/versions", Map.of("schema", "\"string\"",
                "ruleSet", Map.of("migrationRules", List.of(Map.of("name", "m", "type", "JSONATA", "mode", "WRITE")))));
        assertThat(wrongMode.errorCode()).isEqualTo(42210);
        assertThat(wrongMode.message()).startsWith("Migration rules can only be UPGRADE, DOWNGRADE, UPDOWN");

        Answer badConfig = client.put("/config/" + subject(), Map.of("defaultRuleSet",
                Map.of("domainRules", List.of(Map.of("name", "1bad", "type", "CEL")))));
        assertThat(badConfig.errorCode()).isEqualTo(42210);
    }

    @Test
    void latestOnlyAndDeletedOnlySelectWhatConfluentSelects() {
        String subject = subject();
        client.register(subject, record("L", "a:string"));
        client.register(subject, record("L", "a:string", "b:int=0"));
        client.register(subject, record("L", "a:string", "b:int=0", "c:int=0"));
        assertThat(client.get("/schemas?subjectPrefix=" + subject + "&latestOnly=true").json())
                .singleElement().satisfies(s -> assertThat(s.get("version").asInt()).isEqualTo(3));
        client.delete("/subjects/" + subject + "/versions/1");
        assertThat(client.get("/subjects/" + subject + "/versions?deletedOnly=true").json().toString())
                .isEqualTo("[1]");
        assertThat(client.get("/subjects/" + subject + "/versions?deletedAsNegative=true").json().toString())
                .isEqualTo("[-1,2,3]");
        String gone = subject();
        client.register(gone, record("Gone", "a:string"));
        client.delete("/subjects/" + gone);
        assertThat(client.get("/subjects?deletedOnly=true").json().toString()).contains("\"" + gone + "\"")
                .doesNotContain("\"" + subject + "\"");
        assertThat(client.get("/subjects?subjectPrefix=" + subject).json().toString())
                .isEqualTo("[\"" + subject + "\"]");
    }
}
