package io.syncline.registry.server;

import static io.syncline.registry.server.RegistryClient.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.syncline.registry.server.RegistryClient.Answer;

/** Compatibility levels, the compatibility endpoints and the config endpoints, over real HTTP. */
class CompatibilityIT extends OneRegistryPerClass {

    static final AtomicInteger subjects = new AtomicInteger();

    /**
     * For each level: the history registered first (under NONE), a change the level accepts and one it rejects.
     * The transitive cases are built so that the rejected schema is compatible with the latest version and only
     * incompatible with an earlier one.
     */
    static Stream<Arguments> levels() {
        return Stream.of(
                Arguments.of("BACKWARD", List.of(record("R", "a:string")),
                        record("R", "a:string", "b:string=\"x\""), // new field with a default: readable
                        record("R", "a:string", "b:string")),      // new field without one: old data unreadable
                Arguments.of("FORWARD", List.of(record("R", "a:string", "c:string")),
                        record("R", "a:string", "c:string", "b:string"), // old readers ignore an added field
                        record("R", "a:string")),                        // old readers need c, which has no default
                Arguments.of("FULL", List.of(record("R", "a:string")),
                        record("R", "a:string", "b:string=\"x\""),
                        record("R", "a:string", "b:string")),
                Arguments.of("BACKWARD_TRANSITIVE",
                        List.of(record("R", "a:string"), record("R", "b:string=\"x\"")),
                        record("R", "b:string=\"x\"", "c:string=\"z\""),
                        record("R", "b:string")),                   // fine against v2, v1 data lacks b
                Arguments.of("FORWARD_TRANSITIVE",
                        List.of(record("R", "a:string"), record("R", "a:string=\"x\"")),
                        record("R", "a:string=\"x\"", "d:string=\"q\""),
                        record("R", "d:string=\"q\"")),             // v2 readers default a, v1 readers cannot
                Arguments.of("FULL_TRANSITIVE",
                        List.of(record("R", "a:string"), record("R", "a:string=\"x\"")),
                        record("R", "a:string=\"x\"", "b:string=\"y\""),
                        record("R", "b:string=\"y\"")));
    }

    @ParameterizedTest(name = "{0} accepts a compatible change and rejects an incompatible one")
    @MethodSource("levels")
    void eachLevelAcceptsACompatibleChangeAndRejectsAnIncompatibleOne(String level, List<String> history,
            String accepted, String rejected) {
        String subject = "level-" + level.toLowerCase() + "-" + subjects.incrementAndGet();
        assertThat(client.put("/config/" + subject, Map.of("compatibility", "NONE")).status()).isEqualTo(200);
        history.forEach(schema -> client.register(subject, schema));
        assertThat(client.put("/config/" + subject, Map.of("compatibility", level)).json().toString())
                .isEqualTo("{\"compatibility\":\"" + level + "\"}");

        Answer check = client.post("/compatibility/subjects/" + subject + "/versions?verbose=true",
                Map.of("schema", rejected));
        assertThat(check.json().get("is_compatible").asBoolean()).isFalse();
        assertThat(check.json().get("messages").toString()).contains("compatibility: '" + level + "'}");

        Answer refused = client.post("/subjects/" + subject + "/versions", Map.of("schema", rejected));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo(40901);
        assertThat(refused.message()).startsWith("Schema being registered is incompatible with an earlier schema for"
                + " subject \"" + subject + "\", details: [{errorType:'");
        assertThat(client.get("/subjects/" + subject + "/versions").json()).hasSize(history.size());

        assertThat(client.post("/compatibility/subjects/" + subject + "/versions", Map.of("schema", accepted))
                .json().toString()).isEqualTo("{\"is_compatible\":true}");
        Answer registered = client.post("/subjects/" + subject + "/versions", Map.of("schema", accepted));
        assertThat(registered.status()).isEqualTo(200);
        assertThat(client.get("/subjects/" + subject + "/versions/latest").json().get("version").asInt())
                .isEqualTo(history.size() + 1);
    }

    @Test
    void noneAcceptsAnyChangeEvenOfAFieldsType() {
        String subject = "level-none";
        client.put("/config/" + subject, Map.of("compatibility", "NONE"));
        client.register(subject, record("R", "a:string"));
        assertThat(client.post("/subjects/" + subject + "/versions", Map.of("schema", record("R", "a:int")))
                .status()).isEqualTo(200);
        assertThat(client.post("/subjects/" + subject + "/versions", Map.of("schema", "\"string\"")).status())
                .isEqualTo(200);
    }

    @Test
    void theDefaultLevelIsBackward() {
        String subject = "default-level";
        client.register(subject, record("R", "a:string"));
        Answer refused = client.post("/subjects/" + subject + "/versions",
                Map.of("schema", record("R", "a:string", "b:string")));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.message()).contains("READER_FIELD_MISSING_DEFAULT_VALUE").contains("'b'")
                .contains("{oldSchemaVersion: 1}").contains("{validateFields: 'false', compatibility: 'BACKWARD'}");
    }

    @Test
    void transitiveLevelsIgnoreSoftDeletedVersions() {
        String subject = "transitive-deleted";
        client.put("/config/" + subject, Map.of("compatibility", "NONE"));
        client.register(subject, record("R", "a:string"));
        client.register(subject, record("R", "b:string=\"x\""));
        client.put("/config/" + subject, Map.of("compatibility", "BACKWARD_TRANSITIVE"));
        assertThat(client.post("/subjects/" + subject + "/versions", Map.of("schema", record("R", "b:string")))
                .status()).isEqualTo(409);

        assertThat(client.delete("/subjects/" + subject + "/versions/1").status()).isEqualTo(200);
        assertThat(client.post("/subjects/" + subject + "/versions", Map.of("schema", record("R", "b:string")))
                .status()).isEqualTo(200);
    }

    @Test
    void checkingAgainstOneVersionUsesOnlyThatVersion() {
        String subject = "against-version";
        client.put("/config/" + subject, Map.of("compatibility", "NONE"));
        client.register(subject, record("R", "a:string"));
        client.register(subject, record("R", "b:string=\"x\""));
        client.put("/config/" + subject, Map.of("compatibility", "BACKWARD_TRANSITIVE"));
        Map<String, String> candidate = Map.of("schema", record("R", "b:string"));

        assertThat(client.post("/compatibility/subjects/" + subject + "/versions/latest", candidate).json()
                .get("is_compatible").asBoolean()).isTrue();
        assertThat(client.post("/compatibility/subjects/" + subject + "/versions/2", candidate).json()
                .get("is_compatible").asBoolean()).isTrue();
        Answer againstV1 = client.post("/compatibility/subjects/" + subject + "/versions/1?verbose=true", candidate);
        assertThat(againstV1.json().get("is_compatible").asBoolean()).isFalse();
        assertThat(againstV1.json().get("messages").get(0).asText())
                .startsWith("{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'");
        assertThat(client.post("/compatibility/subjects/" + subject + "/versions", candidate).json()
                .get("is_compatible").asBoolean()).isFalse();
    }

    @Test
    void compatibilityCheckErrorsFollowConfluent() {
        Map<String, String> candidate = Map.of("schema", "\"string\"");
        assertThat(client.post("/compatibility/subjects/nothing-here/versions/latest", candidate).json().toString())
                .isEqualTo("{\"is_compatible\":true}");
        assertThat(client.post("/compatibility/subjects/nothing-here/versions/latest?verbose=true", candidate).json()
                .toString()).isEqualTo("{\"is_compatible\":true,\"messages\":[]}");

        Answer missingVersion = client.post("/compatibility/subjects/nothing-here/versions/3", candidate);
        assertThat(missingVersion.status()).isEqualTo(404);
        assertThat(missingVersion.errorCode()).isEqualTo(40402);
        assertThat(client.post("/compatibility/subjects/nothing-here/versions/zero", candidate).errorCode())
                .isEqualTo(42202);

        Answer invalid = client.post("/compatibility/subjects/nothing-here/versions/latest", Map.of("schema", "{"));
        assertThat(invalid.errorCode()).isEqualTo(42201);
        Answer invalidVerbose = client.post("/compatibility/subjects/nothing-here/versions/latest?verbose=true",
                Map.of("schema", "{"));
        assertThat(invalidVerbose.status()).isEqualTo(200);
        assertThat(invalidVerbose.json().get("is_compatible").asBoolean()).isFalse();
        assertThat(invalidVerbose.json().get("messages").get(0).asText()).startsWith("Invalid schema");
    }

    // ---------------------------------------------------------------- config

    @Test
    void subjectConfigIsItsOwnFallsBackToGlobalOnRequestAndCanBeDeleted() {
        String subject = "configured-subject";
        Answer none = client.get("/config/" + subject);
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.errorCode()).isEqualTo(40408);
        assertThat(none.message()).isEqualTo("Subject '" + subject + "' does not have subject-level compatibility"
                + " configured");
        assertThat(client.get("/config/" + subject + "?defaultToGlobal=true").json().toString())
                .isEqualTo("{\"compatibilityLevel\":\"" + client.get("/config").json().get("compatibilityLevel")
                        .asText() + "\"}");

        assertThat(client.put("/config/" + subject, Map.of("compatibility", "forward_transitive")).json().toString())
                .isEqualTo("{\"compatibility\":\"FORWARD_TRANSITIVE\"}");
        assertThat(client.get("/config/" + subject).json().toString())
                .isEqualTo("{\"compatibilityLevel\":\"FORWARD_TRANSITIVE\"}");

        assertThat(client.delete("/config/" + subject).json().toString())
                .isEqualTo("{\"compatibilityLevel\":\"FORWARD_TRANSITIVE\"}");
        assertThat(client.get("/config/" + subject).errorCode()).isEqualTo(40408);
        Answer again = client.delete("/config/" + subject);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.errorCode()).isEqualTo(40401);
    }

    @Test
    void anInvalidLevelIs42203() {
        Answer a = client.put("/config", Map.of("compatibility", "SIDEWAYS"));
        assertThat(a.status()).isEqualTo(422);
        assertThat(a.errorCode()).isEqualTo(42203);
        assertThat(a.message()).startsWith("Invalid compatibility level. Valid values are none, backward, forward,"
                + " full, backward_transitive, forward_transitive, and full_transitive");
        assertThat(client.put("/config/x", Map.of("compatibilityLevel", "FULL")).errorCode()).isEqualTo(42203);
    }

    @Test
    void theGlobalLevelDefaultsToBackwardAppliesToSubjectsWithoutTheirOwnAndCanBeReset() {
        try {
            assertThat(client.get("/config").json().toString()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
            assertThat(client.put("/config", Map.of("compatibility", "NONE")).json().toString())
                    .isEqualTo("{\"compatibility\":\"NONE\"}");
            assertThat(client.get("/config").json().toString()).isEqualTo("{\"compatibilityLevel\":\"NONE\"}");

            String subject = "global-none";
            client.register(subject, record("R", "a:string"));
            assertThat(client.post("/subjects/" + subject + "/versions", Map.of("schema", record("R", "a:long")))
                    .status()).isEqualTo(200);
            assertThat(client.get("/config/" + subject + "?defaultToGlobal=true").json().toString())
                    .isEqualTo("{\"compatibilityLevel\":\"NONE\"}");
        } finally {
            assertThat(client.delete("/config").json().toString()).isEqualTo("{\"compatibilityLevel\":\"NONE\"}");
        }
        assertThat(client.get("/config").json().toString()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
    }
}
