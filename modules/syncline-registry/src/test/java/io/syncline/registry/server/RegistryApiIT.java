package io.syncline.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.syncline.registry.server.RegistryClient.Answer;

/** Conformance of the read and register endpoints with Confluent Schema Registry's REST API, over real HTTP. */
class RegistryApiIT extends OneRegistryPerClass {

    // ---------------------------------------------------------------- register and read back

    @Test
    void registersASchemaAndServesItByIdAndAsTheLatestVersion() {
        String schema = RegistryClient.record("Payment", "id:string", "amount:long");
        Answer registered = client.post("/subjects/payments-value/versions", Map.of("schema", schema));
        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.json().fieldNames()).toIterable().containsExactly("id", "version", "guid", "schema");
        int id = registered.json().get("id").asInt();

        Answer byId = client.get("/schemas/ids/" + id);
        assertThat(byId.status()).isEqualTo(200);
        assertThat(byId.contentType()).startsWith(RegistryClient.V1);
        assertThat(byId.json().fieldNames()).toIterable().containsExactly("guid", "schema");
        assertThat(byId.json().get("schema").asText()).isEqualTo(schema);

        for (String latest : List.of("latest", "-1", "1")) {
            Answer version = client.get("/subjects/payments-value/versions/" + latest);
            assertThat(version.status()).isEqualTo(200);
            assertThat(version.json().fieldNames()).toIterable()
                    .containsExactly("subject", "version", "id", "guid", "schema");
            assertThat(version.json().get("subject").asText()).isEqualTo("payments-value");
            assertThat(version.json().get("version").asInt()).isEqualTo(1);
            assertThat(version.json().get("id").asInt()).isEqualTo(id);
            assertThat(version.json().get("schema").asText()).isEqualTo(schema);
        }
    }

    @Test
    void theRawSchemaEndpointsReturnTheSchemaItself() {
        String schema = RegistryClient.record("Raw", "x:int");
        int id = client.register("raw-value", schema);
        assertThat(client.get("/schemas/ids/" + id + "/schema").body()).isEqualTo(schema);
        assertThat(client.get("/subjects/raw-value/versions/latest/schema").body()).isEqualTo(schema);
        assertThat(client.get("/subjects/raw-value/versions/1/schema").body()).isEqualTo(schema);
    }

    @Test
    void theSameSchemaGetsTheSameIdAgainAndUnderAnotherSubject() {
        String schema = RegistryClient.record("Contact", "email:string");
        int first = client.register("contacts-value", schema);
        int again = client.register("contacts-value", "  " + schema.replace(",", " , ") + "\n");
        int elsewhere = client.register("contacts-copy-value", schema);

        assertThat(again).isEqualTo(first);
        assertThat(elsewhere).isEqualTo(first);
        assertThat(client.get("/subjects/contacts-value/versions").json().toString()).isEqualTo("[1]");
        assertThat(client.get("/subjects/contacts-copy-value/versions/1").json().get("id").asInt()).isEqualTo(first);
        assertThat(client.get("/schemas/ids/" + first + "/versions").json().toString()).isEqualTo(
                "[{\"subject\":\"contacts-copy-value\",\"version\":1},{\"subject\":\"contacts-value\",\"version\":1}]");
        assertThat(client.get("/schemas/ids/" + first + "/subjects").json().toString())
                .isEqualTo("[\"contacts-copy-value\",\"contacts-value\"]");
    }

    @Test
    void differentSchemasGetDifferentIdsAndTheSubjectGetsTheNextVersion() {
        int v1 = client.register("evolving-value", RegistryClient.record("Evolving", "a:string"));
        int v2 = client.register("evolving-value", RegistryClient.record("Evolving", "a:string", "b:string=\"x\""));
        int other = client.register("other-value", RegistryClient.record("Other", "a:string"));

        assertThat(List.of(v1, v2, other)).doesNotHaveDuplicates();
        assertThat(client.get("/subjects/evolving-value/versions").json().toString()).isEqualTo("[1,2]");
        assertThat(client.get("/subjects/evolving-value/versions/latest").json().get("id").asInt()).isEqualTo(v2);
        assertThat(client.get("/subjects/evolving-value/versions/1").json().get("id").asInt()).isEqualTo(v1);
    }

    @Test
    void schemasAreComparedByTheirCanonicalFormNotTheirText() {
        int id = client.register("canonical-value",
                "{\"type\":\"record\",\"name\":\"Canon\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");
        String reordered = "{ \"fields\": [ { \"type\": \"string\", \"name\": \"a\" } ],\n \"name\": \"Canon\","
                + " \"type\": \"record\" }";
        assertThat(client.register("canonical-value", reordered)).isEqualTo(id);
        assertThat(client.get("/subjects/canonical-value/versions").json().toString()).isEqualTo("[1]");
        assertThat(client.get("/schemas/ids/" + id).json().get("schema").asText())
                .isEqualTo("{\"type\":\"record\",\"name\":\"Canon\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");

        String documented = "{\"type\":\"record\",\"name\":\"Canon\",\"doc\":\"now with a doc\","
                + "\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}";
        assertThat(client.register("canonical-value", documented)).isNotEqualTo(id);
    }

    @Test
    void primitiveSchemasAndAnExplicitAvroTypeAndEmptyReferencesAreAccepted() {
        Answer a = client.post("/subjects/key-value/versions",
                Map.of("schema", "\"string\"", "schemaType", "AVRO", "references", List.of()));
        assertThat(a.status()).isEqualTo(200);
        assertThat(client.get("/schemas/ids/" + a.json().get("id").asInt()).json().get("schema").asText())
                .isEqualTo("\"string\"");
    }

    // ---------------------------------------------------------------- lookup

    @Test
    void lookingUpASchemaUnderASubjectReturnsItsSubjectIdVersionAndSchema() {
        String v1 = RegistryClient.record("Lookup", "a:string");
        String v2 = RegistryClient.record("Lookup", "a:string", "b:int=1");
        int id1 = client.register("lookup-value", v1);
        int id2 = client.register("lookup-value", v2);

        Answer found = client.post("/subjects/lookup-value", Map.of("schema", v1));
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().fieldNames()).toIterable()
                .containsExactly("subject", "version", "id", "guid", "schema");
        assertThat(found.json().get("subject").asText()).isEqualTo("lookup-value");
        assertThat(found.json().get("version").asInt()).isEqualTo(1);
        assertThat(found.json().get("id").asInt()).isEqualTo(id1);
        assertThat(found.json().get("schema").asText()).isEqualTo(v1);
        assertThat(client.post("/subjects/lookup-value", Map.of("schema", v2)).json().get("id").asInt())
                .isEqualTo(id2);

        Answer unknownSubject = client.post("/subjects/no-such-subject", Map.of("schema", v1));
        assertThat(unknownSubject.status()).isEqualTo(404);
        assertThat(unknownSubject.errorCode()).isEqualTo(40401);
        assertThat(unknownSubject.message()).isEqualTo("Subject 'no-such-subject' not found.");

        Answer unknownSchema = client.post("/subjects/lookup-value",
                Map.of("schema", RegistryClient.record("Lookup", "z:string")));
        assertThat(unknownSchema.status()).isEqualTo(404);
        assertThat(unknownSchema.errorCode()).isEqualTo(40403);
        assertThat(unknownSchema.message()).isEqualTo("Schema not found");

        assertThat(client.post("/subjects/lookup-value", Map.of("schema", "{nope")).errorCode()).isEqualTo(42201);
    }

    // ---------------------------------------------------------------- listing

    @Test
    void subjectsAndVersionsAreListedInOrder() {
        client.register("list-b", "\"int\"");
        client.register("list-a", "\"long\"");
        List<String> subjects = new java.util.ArrayList<>();
        client.get("/subjects").json().forEach(n -> subjects.add(n.asText()));
        assertThat(subjects).contains("list-a", "list-b").isSorted();

        Answer unknown = client.get("/subjects/list-none/versions");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo(40401);
    }

    @Test
    void schemaTypesAreJsonProtobufAndAvroInConfluentsOrder() {
        assertThat(client.get("/schemas/types").json().toString()).isEqualTo("[\"JSON\",\"PROTOBUF\",\"AVRO\"]");
    }

    // ---------------------------------------------------------------- errors

    @Test
    void anUnknownSchemaIdIs40403() {
        Answer a = client.get("/schemas/ids/999999");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.errorCode()).isEqualTo(40403);
        assertThat(a.message()).isEqualTo("Schema 999999 not found");
        assertThat(client.get("/schemas/ids/999999/schema").errorCode()).isEqualTo(40403);
        assertThat(client.get("/schemas/ids/999999/versions").errorCode()).isEqualTo(40403);
        Answer notANumber = client.get("/schemas/ids/abc");
        assertThat(notANumber.status()).isEqualTo(404);
        assertThat(notANumber.errorCode()).isEqualTo(404);
    }

    @Test
    void anUnknownSubjectOrVersionIs40401Or40402() {
        Answer subject = client.get("/subjects/nobody/versions/latest");
        assertThat(subject.status()).isEqualTo(404);
        assertThat(subject.errorCode()).isEqualTo(40401);
        assertThat(subject.message()).isEqualTo("Subject 'nobody' not found.");

        client.register("versions-value", "\"bytes\"");
        Answer version = client.get("/subjects/versions-value/versions/7");
        assertThat(version.status()).isEqualTo(404);
        assertThat(version.errorCode()).isEqualTo(40402);
        assertThat(version.message()).isEqualTo("Version 7 not found.");
    }

    @Test
    void anInvalidVersionIs42202() {
        client.register("invalid-version-value", "\"double\"");
        for (String bad : List.of("0", "-2", "first", "2147483648")) {
            Answer a = client.get("/subjects/invalid-version-value/versions/" + bad);
            assertThat(a.status()).as(bad).isEqualTo(422);
            assertThat(a.errorCode()).as(bad).isEqualTo(42202);
            assertThat(a.message()).isEqualTo("The specified version '" + bad + "' is not a valid version id."
                    + " Allowed values are between [1, 2^31-1] and the string \"latest\"");
        }
    }

    @Test
    void anInvalidSchemaIs42201WithTheReason() {
        Answer broken = client.post("/subjects/bad-value/versions", Map.of("schema", "{\"type\":\"record\"}"));
        assertThat(broken.status()).isEqualTo(422);
        assertThat(broken.errorCode()).isEqualTo(42201);
        assertThat(broken.message()).startsWith("Invalid schema of type AVRO, details: ");

        Answer badDefault = client.post("/subjects/bad-value/versions",
                Map.of("schema", RegistryClient.record("Bad", "n:int=\"seven\"")));
        assertThat(badDefault.errorCode()).isEqualTo(42201);

        Answer empty = client.post("/subjects/bad-value/versions", Map.of("schemaType", "AVRO"));
        assertThat(empty.errorCode()).isEqualTo(42201);
        assertThat(empty.message()).isEqualTo("Empty schema");

        Answer notAString = client.post("/subjects/bad-value/versions", "{\"schema\":{\"type\":\"string\"}}");
        assertThat(notAString.errorCode()).isEqualTo(42201);
        assertThat(notAString.message()).contains("must be a string");
        assertThat(client.get("/subjects/bad-value/versions").errorCode()).isEqualTo(40401);
    }

    @Test
    void anUnknownSchemaTypeAndAReferenceToNothingAreRejectedWithAClearReason() {
        Answer xml = client.post("/subjects/typed-value/versions",
                Map.of("schema", "<schema/>", "schemaType", "XSD"));
        assertThat(xml.status()).isEqualTo(422);
        assertThat(xml.errorCode()).isEqualTo(42201);
        assertThat(xml.message()).isEqualTo("Invalid schema type XSD; this registry serves [JSON, PROTOBUF, AVRO]");

        Answer referencing = client.post("/subjects/typed-value/versions", Map.of(
                "schema", RegistryClient.record("Order", "customer:com.example.Customer"),
                "references", List.of(Map.of("name", "com.example.Customer", "subject", "customer", "version", 1))));
        assertThat(referencing.errorCode()).isEqualTo(42201);
        assertThat(referencing.message()).isEqualTo("Invalid schema: no schema reference found for subject"
                + " \"customer\" and version 1 (reference 'com.example.Customer')");
    }

    @Test
    void choosingTheIdIsNotPermittedOutsideImportMode() {
        Answer a = client.post("/subjects/import-value/versions", Map.of("schema", "\"float\"", "id", 100));
        assertThat(a.status()).isEqualTo(422);
        assertThat(a.errorCode()).isEqualTo(42205);
    }

    @Test
    void malformedJsonIs400() {
        Answer a = client.post("/subjects/json-value/versions", "{\"schema\": ");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.errorCode()).isEqualTo(400);
        assertThat(a.message()).startsWith("The request body is not valid JSON");
    }

    // ---------------------------------------------------------------- HTTP conventions

    @Test
    void plainJsonIsAcceptedAndAnsweredWhenAskedFor() {
        Answer a = client.send("POST", "/subjects/plain-value/versions",
                RegistryClient.toJson(Map.of("schema", "\"boolean\"")), "application/json", "application/json");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.contentType()).startsWith("application/json");

        Answer noHeaders = client.send("GET", "/subjects/plain-value/versions", null, null, null);
        assertThat(noHeaders.status()).isEqualTo(200);
        assertThat(noHeaders.contentType()).startsWith(RegistryClient.V1);
    }

    @Test
    void anUnsupportedContentTypeIs415AndAnUnacceptableAcceptIs406() {
        Answer text = client.send("POST", "/subjects/media-value/versions", "\"string\"", "text/plain", null);
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.errorCode()).isEqualTo(415);
        assertThat(text.message()).isEqualTo("HTTP 415 Unsupported Media Type");

        Answer html = client.send("GET", "/subjects", null, null, "text/html");
        assertThat(html.status()).isEqualTo(406);
        assertThat(html.errorCode()).isEqualTo(406);
    }

    @Test
    void unknownRoutesAre404AndWrongMethodsAre405InConfluentsStyle() {
        Answer unknown = client.get("/nothing/here");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().toString()).isEqualTo("{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}");

        Answer wrongMethod = client.send("PATCH", "/subjects", "{}", RegistryClient.V1, RegistryClient.V1);
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.errorCode()).isEqualTo(405);
        assertThat(wrongMethod.message()).isEqualTo("HTTP 405 Method Not Allowed");
    }

    @Test
    void rootAndHealthAnswer() {
        assertThat(client.get("/").json().toString()).isEqualTo("{}");
        Answer health = client.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.contentType()).startsWith("application/json");
        assertThat(health.json().get("status").asText()).isEqualTo("UP");
        assertThat(health.json().get("topic").asText()).isEqualTo("_schemas");
    }

    @Test
    void metricsCountRequestsByMethodAndStatusAndTheSchemasHeld() {
        client.get("/subjects");
        client.get("/schemas/ids/999999");
        Answer metrics = client.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body())
                .containsPattern("syncline_registry_requests_total\\{method=\"GET\",status=\"200\"} [1-9]")
                .containsPattern("syncline_registry_requests_total\\{method=\"GET\",status=\"404\"} [1-9]")
                .containsPattern("syncline_registry_request_latency_seconds_count\\{method=\"GET\"} [1-9]")
                .containsPattern("syncline_registry_schemas \\d+")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void theServerListensWhereItSaysAndStopsOnClose() {
        SchemaRegistryServer second = SchemaRegistryServer.builder(broker.bootstrapServers()).port(0).build();
        second.start();
        String url = second.url();
        assertThat(url).isEqualTo("http://localhost:" + second.port());
        assertThat(new RegistryClient(url).get("/subjects").status()).isEqualTo(200);
        second.close();
        second.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RegistryClient(url).get("/subjects"))
                .isInstanceOf(java.io.UncheckedIOException.class);
    }
}
