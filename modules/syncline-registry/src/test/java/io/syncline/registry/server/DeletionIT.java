package io.syncline.registry.server;

import static io.syncline.registry.server.RegistryClient.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.syncline.registry.server.RegistryClient.Answer;

/** Soft and permanent deletion of subjects and versions, with Confluent's error codes. */
class DeletionIT extends OneRegistryPerClass {

    @Test
    void aSoftDeletedSubjectIsHiddenButItsSchemasStayReadableById() {
        String subject = "soft-subject";
        int id1 = client.register(subject, record("S", "a:string"));
        int id2 = client.register(subject, record("S", "a:string", "b:string=\"x\""));

        Answer deleted = client.delete("/subjects/" + subject);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().toString()).isEqualTo("[1,2]");

        assertThat(client.get("/subjects").json().toString()).doesNotContain(subject);
        assertThat(client.get("/subjects?deleted=true").json().toString()).contains(subject);
        assertThat(client.get("/subjects/" + subject + "/versions").errorCode()).isEqualTo(40401);
        assertThat(client.get("/subjects/" + subject + "/versions?deleted=true").json().toString()).isEqualTo("[1,2]");
        assertThat(client.get("/subjects/" + subject + "/versions/1").errorCode()).isEqualTo(40401);
        assertThat(client.get("/subjects/" + subject + "/versions/1?deleted=true").json().get("id").asInt())
                .isEqualTo(id1);
        assertThat(client.get("/schemas/ids/" + id2).status()).isEqualTo(200);
        assertThat(client.get("/schemas/ids/" + id2 + "/versions").json().toString()).isEqualTo("[]");
        assertThat(client.get("/schemas/ids/" + id2 + "/versions?deleted=true").json().toString())
                .isEqualTo("[{\"subject\":\"soft-subject\",\"version\":2}]");

        Answer lookup = client.post("/subjects/" + subject, Map.of("schema", record("S", "a:string")));
        assertThat(lookup.errorCode()).isEqualTo(40401);
        assertThat(client.post("/subjects/" + subject + "?deleted=true", Map.of("schema", record("S", "a:string")))
                .json().get("version").asInt()).isEqualTo(1);
    }

    @Test
    void softDeletingASubjectTwiceIs40404AndPermanentlyDeletingALiveOneIs40405() {
        String subject = "twice-subject";
        client.register(subject, record("T", "a:string"));

        Answer notSoftDeleted = client.delete("/subjects/" + subject + "?permanent=true");
        assertThat(notSoftDeleted.status()).isEqualTo(404);
        assertThat(notSoftDeleted.errorCode()).isEqualTo(40405);
        assertThat(notSoftDeleted.message()).isEqualTo("Subject '" + subject + "' was not deleted first before being"
                + " permanently deleted");

        assertThat(client.delete("/subjects/" + subject).status()).isEqualTo(200);
        Answer again = client.delete("/subjects/" + subject);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.errorCode()).isEqualTo(40404);
        assertThat(again.message()).isEqualTo("Subject '" + subject + "' was soft deleted.Set permanent=true to"
                + " delete permanently");

        assertThat(client.delete("/subjects/never-registered").errorCode()).isEqualTo(40401);
    }

    @Test
    void aPermanentlyDeletedSubjectIsGoneAndItsIdsAreNeverReused() {
        String subject = "hard-subject";
        String schema = record("H", "a:string");
        int id = client.register(subject, schema);
        client.put("/config/" + subject, Map.of("compatibility", "FULL"));

        assertThat(client.delete("/subjects/" + subject).status()).isEqualTo(200);
        Answer permanent = client.delete("/subjects/" + subject + "?permanent=true");
        assertThat(permanent.status()).isEqualTo(200);
        assertThat(permanent.json().toString()).isEqualTo("[1]");

        assertThat(client.get("/subjects?deleted=true").json().toString()).doesNotContain(subject);
        assertThat(client.get("/subjects/" + subject + "/versions?deleted=true").errorCode()).isEqualTo(40401);
        assertThat(client.get("/schemas/ids/" + id).errorCode()).isEqualTo(40403);
        assertThat(client.get("/config/" + subject).errorCode()).isEqualTo(40408);
        assertThat(client.delete("/subjects/" + subject + "?permanent=true").errorCode()).isEqualTo(40401);

        int again = client.register(subject, schema);
        assertThat(again).isGreaterThan(id);
        assertThat(client.get("/subjects/" + subject + "/versions").json().toString()).isEqualTo("[1]");
    }

    @Test
    void aVersionIsSoftDeletedThenPermanentlyDeleted() {
        String subject = "version-subject";
        client.register(subject, record("V", "a:string"));
        int id2 = client.register(subject, record("V", "a:string", "b:string=\"x\""));
        client.register(subject, record("V", "a:string", "b:string=\"x\"", "c:string=\"y\""));

        Answer permanentFirst = client.delete("/subjects/" + subject + "/versions/2?permanent=true");
        assertThat(permanentFirst.status()).isEqualTo(404);
        assertThat(permanentFirst.errorCode()).isEqualTo(40407);
        assertThat(permanentFirst.message()).isEqualTo("Subject '" + subject + "' Version 2 was not deleted first"
                + " before being permanently deleted");

        Answer soft = client.delete("/subjects/" + subject + "/versions/2");
        assertThat(soft.status()).isEqualTo(200);
        assertThat(soft.json().asInt()).isEqualTo(2);
        assertThat(client.get("/subjects/" + subject + "/versions").json().toString()).isEqualTo("[1,3]");
        assertThat(client.get("/subjects/" + subject + "/versions?deleted=true").json().toString()).isEqualTo("[1,2,3]");
        assertThat(client.get("/subjects/" + subject + "/versions/2").errorCode()).isEqualTo(40402);
        assertThat(client.get("/subjects/" + subject + "/versions/2?deleted=true").json().get("id").asInt())
                .isEqualTo(id2);
        assertThat(client.get("/schemas/ids/" + id2).status()).isEqualTo(200);

        Answer softAgain = client.delete("/subjects/" + subject + "/versions/2");
        assertThat(softAgain.status()).isEqualTo(404);
        assertThat(softAgain.errorCode()).isEqualTo(40406);
        assertThat(softAgain.message()).isEqualTo("Subject '" + subject + "' Version 2 was soft deleted.Set"
                + " permanent=true to delete permanently");

        assertThat(client.delete("/subjects/" + subject + "/versions/2?permanent=true").json().asInt()).isEqualTo(2);
        assertThat(client.get("/subjects/" + subject + "/versions?deleted=true").json().toString()).isEqualTo("[1,3]");
        assertThat(client.get("/schemas/ids/" + id2).errorCode()).isEqualTo(40403);
        assertThat(client.delete("/subjects/" + subject + "/versions/2").errorCode()).isEqualTo(40402);
        assertThat(client.delete("/subjects/" + subject + "/versions/nine").errorCode()).isEqualTo(42202);
        assertThat(client.delete("/subjects/nobody-here/versions/1").errorCode()).isEqualTo(40401);
    }

    @Test
    void deletingTheLatestVersionDeletesTheHighestLiveOne() {
        String subject = "latest-subject";
        client.register(subject, record("L", "a:string"));
        client.register(subject, record("L", "a:string", "b:string=\"x\""));

        assertThat(client.delete("/subjects/" + subject + "/versions/latest").json().asInt()).isEqualTo(2);
        assertThat(client.get("/subjects/" + subject + "/versions/latest").json().get("version").asInt()).isEqualTo(1);
        assertThat(client.delete("/subjects/" + subject + "/versions/latest").json().asInt()).isEqualTo(1);
        assertThat(client.delete("/subjects/" + subject + "/versions/latest").errorCode()).isEqualTo(40406);
    }

    @Test
    void reRegisteringASoftDeletedSchemaGivesANewVersionWithTheSameId() {
        String subject = "revived-subject";
        String schema = record("R", "a:string");
        int id = client.register(subject, schema);
        client.delete("/subjects/" + subject + "/versions/1");

        assertThat(client.register(subject, schema)).isEqualTo(id);
        assertThat(client.get("/subjects/" + subject + "/versions").json().toString()).isEqualTo("[2]");
        // As Confluent does, the superseded soft-deleted version is removed for good.
        assertThat(client.get("/subjects/" + subject + "/versions?deleted=true").json().toString()).isEqualTo("[2]");
    }

    @Test
    void theLastPermanentlyDeletedVersionTakesTheSubjectsConfigWithIt() {
        String subject = "config-goes";
        client.register(subject, record("C", "a:string"));
        client.put("/config/" + subject, Map.of("compatibility", "NONE"));
        client.delete("/subjects/" + subject + "/versions/1");
        assertThat(client.get("/config/" + subject).status()).isEqualTo(200);

        client.delete("/subjects/" + subject + "/versions/1?permanent=true");
        assertThat(client.get("/config/" + subject).errorCode()).isEqualTo(40408);
        assertThat(client.get("/subjects?deleted=true").json().toString()).doesNotContain(subject);
    }
}
