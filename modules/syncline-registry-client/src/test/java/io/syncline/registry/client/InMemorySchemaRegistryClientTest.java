package io.syncline.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryClientTest {

    private static final Schema V1 = SchemaBuilder.record("Order").namespace("io.syncline.test").fields()
            .requiredString("id").endRecord();
    private static final Schema V2 = SchemaBuilder.record("Order").namespace("io.syncline.test").fields()
            .requiredString("id").name("channel").type().stringType().stringDefault("web").endRecord();
    private static final Schema BREAKING = SchemaBuilder.record("Order").namespace("io.syncline.test").fields()
            .requiredString("id").requiredInt("mandatory").endRecord();

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void theSameSchemaGetsOneIdAcrossSubjectsAndVersionsCountPerSubject() {
        int a = registry.register("a-value", V1);
        int b = registry.register("b-value", V1);
        int v2 = registry.register("a-value", V2);

        assertThat(b).isEqualTo(a);
        assertThat(v2).isNotEqualTo(a);
        assertThat(registry.register("a-value", V1)).isEqualTo(a);
        assertThat(registry.getAllVersions("a-value")).containsExactly(1, 2);
        assertThat(registry.getLatestSchemaMetadata("a-value").version()).isEqualTo(2);
        assertThat(registry.lookup("a-value", V1).version()).isEqualTo(1);
        assertThat(registry.getSchemaMetadata("a-value", 2).id()).isEqualTo(v2);
    }

    @Test
    void enforcesTheCompatibilityLevelLikeTheRegistry() {
        registry.register("a-value", V1);

        assertThat(registry.testCompatibility("a-value", BREAKING).compatible()).isFalse();
        assertThatThrownBy(() -> registry.register("a-value", BREAKING))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("mandatory");
                });

        registry.updateCompatibility("a-value", "none");
        assertThat(registry.getCompatibility("a-value")).isEqualTo("NONE");
        assertThat(registry.getCompatibility(null)).isEqualTo("BACKWARD");
        registry.register("a-value", BREAKING);
        assertThatThrownBy(() -> registry.updateCompatibility(null, "SOMETIMES"))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL));
    }

    @Test
    void answersMissingThingsWithConfluentsErrorCodes() {
        registry.register("a-value", V1);

        assertThatThrownBy(() -> registry.getSchemaById(999)).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.errorCode()).isEqualTo(40403));
        assertThatThrownBy(() -> registry.getLatestSchemaMetadata("b-value"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
        assertThatThrownBy(() -> registry.getSchemaMetadata("a-value", 5))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40402));
        assertThatThrownBy(() -> registry.lookup("a-value", V2))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
    }

    @Test
    void deletesSoftlyFirstThenPermanentlyAndKeepsIdsResolvable() {
        int id = registry.register("a-value", V1);

        assertThatThrownBy(() -> registry.deleteSubject("a-value", true))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40405));
        assertThat(registry.deleteSubject("a-value", false)).containsExactly(1);
        assertThat(registry.getAllSubjects()).isEmpty();
        assertThat(registry.getSchemaById(id)).isEqualTo(V1);
        assertThat(registry.deleteSubject("a-value", true)).containsExactly(1);
        assertThat(registry.register("a-value", V1)).isEqualTo(id);
        assertThat(registry.getLatestSchemaMetadata("a-value").version()).isEqualTo(1);
    }
}
