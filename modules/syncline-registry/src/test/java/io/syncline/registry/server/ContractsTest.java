package io.syncline.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Confluent's merge, validation and hashing rules for metadata and rule sets, and its qualified subject names. */
class ContractsTest {

    @Test
    void metadataMergesKeyByKeyWithTheNewerWinningAndSetsUnited() {
        ObjectNode older = metadata("{\"properties\":{\"a\":\"1\",\"b\":\"1\"},\"tags\":{\"f\":[\"X\"]},"
                + "\"sensitive\":[\"s1\"]}");
        ObjectNode newer = metadata("{\"properties\":{\"b\":\"2\",\"c\":\"2\"},\"sensitive\":[\"s2\"]}");
        assertThat(Contracts.mergeMetadata(older, newer).toString()).isEqualTo("{\"tags\":{\"f\":[\"X\"]},"
                + "\"properties\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"2\"},\"sensitive\":[\"s1\",\"s2\"]}");
        assertThat(Contracts.mergeMetadata(null, newer)).isSameAs(newer);
        assertThat(Contracts.mergeMetadata(older, null)).isSameAs(older);
    }

    @Test
    void ruleSetsMergeByRuleNameKeepingOlderRulesTheNewerDoNotReplace() {
        ObjectNode older = Contracts.ruleSet(json("{\"domainRules\":[{\"name\":\"a\",\"type\":\"CEL\",\"expr\":\"1\"},"
                + "{\"name\":\"b\",\"type\":\"CEL\",\"expr\":\"1\"}]}"), "ruleSet");
        ObjectNode newer = Contracts.ruleSet(json("{\"domainRules\":[{\"name\":\"b\",\"type\":\"CEL\",\"expr\":\"2\"}],"
                + "\"migrationRules\":[{\"name\":\"m\",\"type\":\"JSONATA\",\"mode\":\"UPGRADE\"}]}"), "ruleSet");
        ObjectNode merged = Contracts.mergeRuleSets(older, newer);
        assertThat(merged.path("domainRules").findValuesAsText("name")).containsExactly("a", "b");
        assertThat(merged.path("domainRules").get(1).path("expr").asText()).isEqualTo("2");
        assertThat(merged.path("migrationRules").size()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"domainRules\":[{\"type\":\"CEL\"}]}|Missing rule name",
            "{\"domainRules\":[{\"name\":\"\",\"type\":\"CEL\"}]}|Empty rule name",
            "{\"domainRules\":[{\"name\":\"9lives\",\"type\":\"CEL\"}]}|Illegal initial character in rule name: 9lives",
            "{\"domainRules\":[{\"name\":\"a b\",\"type\":\"CEL\"}]}|Illegal character in rule name: a b",
            "{\"domainRules\":[{\"name\":\"a\"}]}|Missing rule type in rule 'a'",
            "{\"domainRules\":[{\"name\":\"a\",\"type\":\"CEL\",\"mode\":\"WRITE\",\"onFailure\":\"DLQ,NONE\"}]}"
                    + "|Multiple actions only valid with WRITEREAD and UPDOWN (rule 'a')",
            "{\"domainRules\":[{\"name\":\"a\",\"type\":\"CEL\",\"mode\":\"UPGRADE\"}]}"
                    + "|Domain rules can only be WRITE, READ, WRITEREAD (rule 'a')",
            "{\"encodingRules\":[{\"name\":\"a\",\"type\":\"ENCRYPT\",\"mode\":\"UPDOWN\"}]}"
                    + "|Encoding rules can only be WRITE, READ, WRITEREAD (rule 'a')"})
    void invalidRuleSetsAre42210WithConfluentsMessage(String ruleSet, String message) {
        assertThatThrownBy(() -> Contracts.validateRuleSet(Contracts.ruleSet(json(ruleSet), "ruleSet")))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(42210);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @Test
    void anUnknownRuleKindOrModeIsRefusedNamingTheValidOnes() {
        assertThatThrownBy(() -> Contracts.ruleSet(json("{\"domainRules\":[{\"name\":\"a\",\"type\":\"CEL\","
                + "\"kind\":\"MAGIC\"}]}"), "ruleSet")).hasMessageContaining("Invalid rule kind 'MAGIC'")
                .hasMessageContaining("CONDITION");
    }

    @Test
    void theGuidDependsOnEveryPartOfTheContractButNotOnKeyOrder() {
        String schema = "\"string\"";
        ObjectNode m1 = metadata("{\"properties\":{\"a\":\"1\",\"b\":\"2\"}}");
        ObjectNode m2 = metadata("{\"properties\":{\"b\":\"2\",\"a\":\"1\"}}");
        String plain = Contracts.guid(schema, List.of(), null, null);
        assertThat(Contracts.guid(schema, List.of(), m1, null)).isEqualTo(Contracts.guid(schema, List.of(), m2, null))
                .isNotEqualTo(plain);
        assertThat(Contracts.guid(schema, List.of(new RegistryState.Reference("n", "s", 1)), null, null))
                .isNotEqualTo(plain);
        // An empty metadata object is a present one (Confluent hashes a marker byte for it).
        assertThat(Contracts.guid(schema, List.of(), metadata("{}"), null)).isNotEqualTo(plain);
        assertThat(plain).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    @Test
    void confluentVersionIsSetAndRemovedWithoutTouchingTheRest() {
        ObjectNode m = metadata("{\"properties\":{\"owner\":\"x\"}}");
        ObjectNode versioned = Contracts.withConfluentVersion(m, 3);
        assertThat(Contracts.confluentVersion(versioned)).isEqualTo("3");
        assertThat(Contracts.withoutConfluentVersion(versioned)).isEqualTo(m);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "orders-value, orders-value, ., orders-value",
            ":.:orders-value, orders-value, ., orders-value",
            ":.staging:orders-value, :.staging:orders-value, .staging, orders-value",
            ":.staging:, :.staging:, .staging, ''"})
    void qualifiedSubjectsNameTheirContext(String raw, String stored, String context, String name) {
        assertThat(Subjects.normalize(raw)).isEqualTo(stored);
        assertThat(Subjects.context(stored)).isEqualTo(context);
        assertThat(Subjects.unqualified(stored)).isEqualTo(name);
        assertThat(Subjects.isContextOnly(stored)).isEqualTo(name.isEmpty());
    }

    @Test
    void anUnqualifiedReferenceFromInsideAContextMeansASubjectOfThatContext() {
        assertThat(Subjects.resolveReference(":.staging:orders", "customer")).isEqualTo(":.staging:customer");
        assertThat(Subjects.resolveReference("orders", "customer")).isEqualTo("customer");
        assertThat(Subjects.resolveReference(":.staging:orders", ":.prod:customer")).isEqualTo(":.prod:customer");
    }

    private static ObjectNode metadata(String text) {
        return Contracts.metadata(json(text), "metadata");
    }

    private static JsonNode json(String text) {
        try {
            return StoreRecords.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
