package io.syncline.registry.server;

import static io.syncline.registry.server.RegistryClient.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.syncline.registry.server.RegistryClient.Answer;

/**
 * Schema references (Avro, JSON Schema, Protobuf), {@code referencedby}, 42206, and JSON Schema and Protobuf
 * registration, canonical identity and compatibility at every level, over real HTTP.
 */
class ReferencesAndTypesIT extends OneRegistryPerClass {

    static final String CUSTOMER = "{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\"com.example\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";

    // ---------------------------------------------------------------- Avro references

    @Test
    void anAvroSchemaReferencesANamedTypeOfAnotherSubjectAndIsCheckedWithIt() {
        int customerId = client.register("ref-customer", CUSTOMER);
        List<Map<String, Object>> refs = List.of(Map.of("name", "com.example.Customer", "subject", "ref-customer",
                "version", 1));
        String order = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"com.example\",\"fields\":["
                + "{\"name\":\"customer\",\"type\":\"com.example.Customer\"}]}";
        Answer registered = client.post("/subjects/ref-order/versions", Map.of("schema", order, "references", refs));
        assertThat(registered.status()).isEqualTo(200);
        int orderId = registered.json().get("id").asInt();
        // Stored as Avro prints it (the referenced type by its name relative to the namespace), references alongside.
        Answer byId = client.get("/schemas/ids/" + orderId);
        assertThat(byId.json().get("schema").asText()).isEqualTo(order.replace("com.example.Customer", "Customer"));
        assertThat(byId.json().get("references").toString())
                .isEqualTo("[{\"name\":\"com.example.Customer\",\"subject\":\"ref-customer\",\"version\":1}]");
        // format=resolved inlines the referenced type for clients without reference support.
        assertThat(client.get("/schemas/ids/" + orderId + "/schema?format=resolved").body())
                .contains("\"name\":\"Customer\"");
        assertThat(client.get("/subjects/ref-customer/versions/1/referencedby").json().toString())
                .isEqualTo("[" + orderId + "]");

        // A serializer from a generated class sends the whole schema inlined, without references: same version.
        String inlined = client.get("/schemas/ids/" + orderId + "/schema?format=resolved").body();
        Answer lookup = client.post("/subjects/ref-order", Map.of("schema", inlined));
        assertThat(lookup.status()).isEqualTo(200);
        assertThat(lookup.json().get("id").asInt()).isEqualTo(orderId);

        // Compatibility is checked with the references resolved: a new field without a default breaks BACKWARD.
        String broken = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"com.example\",\"fields\":["
                + "{\"name\":\"customer\",\"type\":\"com.example.Customer\"},{\"name\":\"n\",\"type\":\"int\"}]}";
        Answer refused = client.post("/subjects/ref-order/versions", Map.of("schema", broken, "references", refs));
        assertThat(refused.status()).isEqualTo(409);

        // A referenced version cannot be deleted while referenced: 42206, soft or permanent, version or subject.
        Answer deleteVersion = client.delete("/subjects/ref-customer/versions/1");
        assertThat(deleteVersion.status()).isEqualTo(422);
        assertThat(deleteVersion.errorCode()).isEqualTo(42206);
        assertThat(deleteVersion.message()).isEqualTo("One or more references exist to the schema"
                + " {magic=1,keytype=SCHEMA,subject=ref-customer,version=1}.");
        assertThat(client.delete("/subjects/ref-customer").errorCode()).isEqualTo(42206);
        assertThat(customerId).isPositive();

        // Once the referrer is gone (soft), a soft delete of the referenced version is allowed again.
        assertThat(client.delete("/subjects/ref-order").status()).isEqualTo(200);
        assertThat(client.get("/subjects/ref-customer/versions/1/referencedby").json().toString()).isEqualTo("[]");
        assertThat(client.get("/subjects/ref-customer/versions/1/referencedby?deleted=true").json().toString())
                .isEqualTo("[" + orderId + "]");
        assertThat(client.delete("/subjects/ref-customer/versions/1").status()).isEqualTo(200);
        // But not a permanent one while a soft-deleted schema still references it (it may be restored).
        assertThat(client.delete("/subjects/ref-customer/versions/1?permanent=true").errorCode()).isEqualTo(42206);
    }

    @Test
    void aReferenceToTheLatestVersionIsResolvedAtRegistration() {
        client.register("latest-ref-customer", CUSTOMER.replace("Customer", "Buyer"));
        Answer registered = client.post("/subjects/latest-ref-order/versions", Map.of(
                "schema", record("Cart", "buyer:com.example.Buyer"),
                "references", List.of(Map.of("name", "com.example.Buyer", "subject", "latest-ref-customer",
                        "version", -1))));
        assertThat(registered.status()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- JSON Schema

    @Test
    void jsonSchemasAreValidatedAndIdentifiedByTheirCanonicalForm() {
        String schema = "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}},\"required\":[\"id\"]}";
        Answer registered = client.post("/subjects/json-value/versions", Map.of("schema", schema,
                "schemaType", "JSON"));
        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.json().get("schemaType").asText()).isEqualTo("JSON");
        int id = registered.json().get("id").asInt();
        Answer spaced = client.post("/subjects/json-value/versions", Map.of("schema",
                "{ \"type\": \"object\",\n \"properties\": {\"id\": {\"type\": \"string\"}}, \"required\": [\"id\"] }",
                "schemaType", "JSON"));
        assertThat(spaced.json().get("id").asInt()).isEqualTo(id);
        Answer byId = client.get("/schemas/ids/" + id);
        assertThat(byId.json().get("schemaType").asText()).isEqualTo("JSON");
        assertThat(byId.json().get("schema").asText()).isEqualTo(schema);

        Answer invalid = client.post("/subjects/json-bad/versions", Map.of("schema",
                "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"strin\"}}}", "schemaType", "JSON"));
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.errorCode()).isEqualTo(42201);
        assertThat(invalid.message()).startsWith("Invalid schema of type JSON, details: the schema does not conform"
                + " to http://json-schema.org/draft-07/schema#");

        Answer remote = client.post("/subjects/json-bad/versions", Map.of("schema",
                "{\"$ref\":\"https://example.com/evil.json\"}", "schemaType", "JSON"));
        assertThat(remote.errorCode()).isEqualTo(42201);
        assertThat(remote.message()).contains("remote schemas are not fetched");
    }

    @Test
    void aJsonSchemaReferencesAnotherSubjectByRef() {
        client.post("/subjects/json-address/versions", Map.of("schemaType", "JSON", "schema",
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"));
        Answer registered = client.post("/subjects/json-person/versions", Map.of("schemaType", "JSON",
                "schema", "{\"type\":\"object\",\"properties\":{\"address\":{\"$ref\":\"address.json\"}}}",
                "references", List.of(Map.of("name", "address.json", "subject", "json-address", "version", 1))));
        assertThat(registered.status()).isEqualTo(200);
        assertThat(client.get("/subjects/json-address/versions/1/referencedby").json().size()).isEqualTo(1);
    }

    static Stream<Arguments> jsonChanges() {
        String open = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}";
        String closed = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},"
                + "\"additionalProperties\":false}";
        return Stream.of(
                // level, old, new, compatible
                Arguments.of("BACKWARD", closed, closed.replace("}},", "},\"b\":{\"type\":\"integer\"}},"), true),
                Arguments.of("BACKWARD", open, open.replace("}}}", "},\"b\":{\"type\":\"integer\"}}}"), false),
                Arguments.of("BACKWARD", open, open.replace("\"string\"", "[\"string\",\"null\"]"), true),
                Arguments.of("BACKWARD", open, open.replace("\"string\"", "\"integer\""), false),
                Arguments.of("FORWARD", open, open.replace("\"string\"", "[\"string\",\"null\"]"), false),
                Arguments.of("FULL", open, open.replace("}}}", "}},\"required\":[\"a\"]}"), false),
                Arguments.of("BACKWARD", "{\"type\":\"string\",\"maxLength\":5}", "{\"type\":\"string\",\"maxLength\":9}",
                        true),
                Arguments.of("BACKWARD", "{\"type\":\"string\",\"maxLength\":9}", "{\"type\":\"string\",\"maxLength\":5}",
                        false),
                Arguments.of("FORWARD", "{\"enum\":[\"A\",\"B\"]}", "{\"enum\":[\"A\",\"B\",\"C\"]}", false),
                Arguments.of("BACKWARD", "{\"enum\":[\"A\",\"B\"]}", "{\"enum\":[\"A\",\"B\",\"C\"]}", true),
                Arguments.of("NONE", open, "{\"type\":\"integer\"}", true));
    }

    @ParameterizedTest(name = "{0}: {1} -> {2} compatible={3}")
    @MethodSource("jsonChanges")
    void jsonSchemaCompatibilityFollowsConfluentsRules(String level, String old, String candidate, boolean compatible) {
        assertCompatibility("JSON", level, old, candidate, compatible);
    }

    // ---------------------------------------------------------------- Protobuf

    static final String PROTO = """
            syntax = "proto3";
            package com.example;

            // A customer.
            message Customer {
              string id = 1;
              int64 created = 2;
              Address address = 3;
            }
            message Address {
              string city = 1;
            }
            """;

    @Test
    void protobufSchemasAreValidatedAndIdentifiedWithoutCommentsOrLayout() {
        Answer registered = client.post("/subjects/proto-value/versions", Map.of("schema", PROTO,
                "schemaType", "PROTOBUF"));
        assertThat(registered.status()).isEqualTo(200);
        int id = registered.json().get("id").asInt();
        String reformatted = PROTO.replace("// A customer.\n", "").replace("  ", "    ");
        assertThat(client.post("/subjects/proto-value/versions", Map.of("schema", reformatted,
                "schemaType", "PROTOBUF")).json().get("id").asInt()).isEqualTo(id);
        assertThat(client.get("/schemas/ids/" + id).json().get("schema").asText())
                .contains("message Customer {").doesNotContain("//");

        Answer unknownType = client.post("/subjects/proto-bad/versions", Map.of("schemaType", "PROTOBUF",
                "schema", "syntax = \"proto3\";\nmessage A { Missing m = 1; }"));
        assertThat(unknownType.errorCode()).isEqualTo(42201);
        assertThat(unknownType.message()).contains("field 'm' of message A has type Missing");
        Answer syntax = client.post("/subjects/proto-bad/versions", Map.of("schemaType", "PROTOBUF",
                "schema", "message {"));
        assertThat(syntax.errorCode()).isEqualTo(42201);
    }

    @Test
    void aProtobufSchemaImportsAnotherSubject() {
        client.post("/subjects/proto-money/versions", Map.of("schemaType", "PROTOBUF", "schema",
                "syntax = \"proto3\";\npackage money;\nmessage Money { int64 minor = 1; string currency = 2; }"));
        Answer registered = client.post("/subjects/proto-price/versions", Map.of("schemaType", "PROTOBUF",
                "schema", "syntax = \"proto3\";\nimport \"money.proto\";\nmessage Price { money.Money amount = 1; }",
                "references", List.of(Map.of("name", "money.proto", "subject", "proto-money", "version", 1))));
        assertThat(registered.status()).isEqualTo(200);
        Answer unreferenced = client.post("/subjects/proto-price2/versions", Map.of("schemaType", "PROTOBUF",
                "schema", "syntax = \"proto3\";\nimport \"money.proto\";\nmessage Price { money.Money amount = 1; }"));
        assertThat(unreferenced.errorCode()).isEqualTo(42201);
        assertThat(unreferenced.message()).contains("import \"money.proto\" is not among the schema's references");
    }

    static Stream<Arguments> protobufChanges() {
        String v1 = "syntax = \"proto3\";\nmessage M { string a = 1; int32 n = 2; }\nmessage Other { string x = 1; }";
        return Stream.of(
                Arguments.of("BACKWARD", v1, v1.replace("int32 n = 2;", "int32 n = 2; bool b = 3;"), true),
                Arguments.of("BACKWARD", v1, v1.replace("int32 n = 2;", ""), true),
                Arguments.of("BACKWARD", v1, v1.replace("int32 n", "int64 n"), true),
                Arguments.of("BACKWARD", v1, v1.replace("int32 n", "string n"), false),
                Arguments.of("BACKWARD", v1, v1.replace("int32 n", "sint32 n"), false),
                Arguments.of("BACKWARD", v1, v1.replace("string a", "bytes a"), true),
                Arguments.of("BACKWARD", v1, v1.replace("\nmessage Other { string x = 1; }", ""), false),
                Arguments.of("FORWARD", v1, v1.replace("int32 n = 2;", "int32 n = 2; bool b = 3;"), true),
                Arguments.of("FULL_TRANSITIVE", v1, v1.replace("string a = 1;", "Other a = 1;"), false),
                Arguments.of("BACKWARD", "syntax = \"proto3\";\npackage p1;\nmessage M { string a = 1; }",
                        "syntax = \"proto3\";\npackage p2;\nmessage M { string a = 1; }", false));
    }

    @ParameterizedTest(name = "{0}: compatible={3}")
    @MethodSource("protobufChanges")
    void protobufCompatibilityFollowsConfluentsRules(String level, String old, String candidate, boolean compatible) {
        assertCompatibility("PROTOBUF", level, old, candidate, compatible);
    }

    // ---------------------------------------------------------------- helpers

    private static int counter;

    private static synchronized String nextSubject(String type) {
        return "compat-" + type.toLowerCase() + "-" + (++counter);
    }

    private static void assertCompatibility(String type, String level, String old, String candidate,
            boolean compatible) {
        String subject = nextSubject(type);
        assertThat(client.put("/config/" + subject, Map.of("compatibility", level)).status()).isEqualTo(200);
        Answer first = client.post("/subjects/" + subject + "/versions", Map.of("schema", old, "schemaType", type));
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        Answer check = client.post("/compatibility/subjects/" + subject + "/versions/latest?verbose=true",
                Map.of("schema", candidate, "schemaType", type));
        assertThat(check.json().get("is_compatible").asBoolean()).as(check.body()).isEqualTo(compatible);
        Answer second = client.post("/subjects/" + subject + "/versions", Map.of("schema", candidate,
                "schemaType", type));
        assertThat(second.status()).as(second.body()).isEqualTo(compatible ? 200 : 409);
        if (!compatible) {
            assertThat(second.errorCode()).isEqualTo(40901);
            assertThat(second.message()).contains("errorType").contains("compatibility: '" + level + "'");
        }
    }
}
