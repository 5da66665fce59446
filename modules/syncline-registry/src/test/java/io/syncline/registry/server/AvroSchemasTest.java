package io.syncline.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class AvroSchemasTest {

    private static final String V1 = RegistryClient.record("R", "a:string");

    @Test
    void formattingAndKeyOrderDoNotChangeTheCanonicalFormButDocsDo() {
        String reordered = "{ \"fields\" : [ {\"type\":\"string\", \"name\":\"a\"} ], \"name\":\"R\", \"type\":\"record\" }";
        assertThat(AvroSchemas.parse(reordered).canonical()).isEqualTo(AvroSchemas.parse(V1).canonical());
        String documented = "{\"type\":\"record\",\"name\":\"R\",\"doc\":\"x\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}";
        assertThat(AvroSchemas.parse(documented).canonical()).isNotEqualTo(AvroSchemas.parse(V1).canonical());
    }

    @Test
    void invalidSchemasAre42201WithTheParsersReason() {
        assertThatThrownBy(() -> AvroSchemas.parse("{\"type\":\"record\",\"name\":\"R\"}"))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(42201);
                    assertThat(e.getMessage()).startsWith("Invalid schema of type AVRO, details: ").contains("fields");
                });
        assertThatThrownBy(() -> AvroSchemas.parse(RegistryClient.record("R", "a:int=\"text\"")))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(42201));
        assertThatThrownBy(() -> AvroSchemas.parse(" ")).hasMessage("Empty schema");
    }

    @Test
    void aBackwardFailureExplainsTheFieldTheVersionAndTheLevel() {
        List<String> messages = AvroSchemas.check(CompatibilityLevel.BACKWARD,
                AvroSchemas.parse(RegistryClient.record("R", "a:string", "b:string")),
                List.of(new SchemaTypes.Previous(1, AvroSchemas.parse(V1))));
        assertThat(messages).hasSize(4);
        assertThat(messages.get(0)).isEqualTo("{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The"
                + " field 'b' at path '/fields/1' in the new schema has no default value and is missing in the old"
                + " schema', additionalInfo:'b'}");
        assertThat(messages.get(1)).isEqualTo("{oldSchemaVersion: 1}");
        assertThat(messages.get(2)).startsWith("{oldSchema: '{\"type\":\"record\"");
        assertThat(messages.get(3)).isEqualTo("{compatibility: 'BACKWARD'}");
    }

    @Test
    void nonTransitiveLevelsOnlyLookAtTheLatestVersion() {
        List<SchemaTypes.Previous> history = List.of(
                new SchemaTypes.Previous(1, AvroSchemas.parse(V1)),
                new SchemaTypes.Previous(2, AvroSchemas.parse(RegistryClient.record("R", "b:string=\"x\""))));
        SchemaTypes.Parsed candidate = AvroSchemas.parse(RegistryClient.record("R", "b:string"));
        assertThat(AvroSchemas.check(CompatibilityLevel.BACKWARD, candidate, history)).isEmpty();
        assertThat(AvroSchemas.check(CompatibilityLevel.BACKWARD_TRANSITIVE, candidate, history))
                .contains("{oldSchemaVersion: 1}");
        assertThat(AvroSchemas.check(CompatibilityLevel.NONE, AvroSchemas.parse("\"int\""), history)).isEmpty();
    }

    @Test
    void levelsParseInAnyCase() {
        assertThat(CompatibilityLevel.parse("full_transitive")).contains(CompatibilityLevel.FULL_TRANSITIVE);
        assertThat(CompatibilityLevel.parse("sideways")).isEmpty();
        assertThat(CompatibilityLevel.parse(null)).isEmpty();
    }

    @Test
    void versionsAreLatestMinusOneOrPositive() {
        assertThat(RegistryService.parseVersion("latest")).isEqualTo(-1);
        assertThat(RegistryService.parseVersion("-1")).isEqualTo(-1);
        assertThat(RegistryService.parseVersion("7")).isEqualTo(7);
        for (String bad : List.of("0", "-2", "one", "", "2147483648")) {
            assertThatThrownBy(() -> RegistryService.parseVersion(bad))
                    .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(42202));
        }
    }

    @Test
    void acceptHeadersChooseTheResponseTypeAsJerseyWould() {
        assertThat(RegistryHttpApi.acceptedType(null)).isEqualTo(RegistryHttpApi.V1_JSON);
        assertThat(RegistryHttpApi.acceptedType("*/*")).isEqualTo(RegistryHttpApi.V1_JSON);
        assertThat(RegistryHttpApi.acceptedType("application/json")).isEqualTo(RegistryHttpApi.JSON);
        assertThat(RegistryHttpApi.acceptedType("application/vnd.schemaregistry.v1+json, application/json;q=0.9"))
                .isEqualTo(RegistryHttpApi.V1_JSON);
        assertThat(RegistryHttpApi.acceptedType("text/html")).isNull();
    }
}
