package io.syncline.normalizer.mapping;

import static io.syncline.normalizer.mapping.TestTargets.compile;
import static io.syncline.normalizer.mapping.TestTargets.mapping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.syncline.config.ConfigException;
import io.syncline.config.ConfigProblem;
import org.junit.jupiter.api.Test;

/** A mapping that cannot work is refused at start, naming the file, the line and what is wrong. */
class MappingCompilerTest {

    private static List<ConfigProblem> problems(String yaml) {
        try {
            compile(yaml);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected the mapping to be refused");
    }

    @Test
    void compilesAMappingThatUsesEveryTransform() {
        CompiledMapping m = compile(mapping("""
                  title: {coalesce: [{trim: /name}, {const: untitled}]}
                  count: /count
                  ratio: /ratio
                  small: /small
                  active: /active
                  status: {enum: /status, values: {open: OPEN, closed: CLOSED}, default: UNKNOWN}
                  price: {money: /amount, currency: /currency}
                  created_at: {timestamp: /created, from: unix-seconds}
                  day: {timestamp: /day, from: iso-8601}
                  email: {email: /email}
                  address: {record: {line1: /line1, country: {upper: /country}}, from: /address}
                  tags: {each: /tags, value: $item}
                  items: {each: /items/data, record: {sku: /sku, amount: {money: /amount, currency: $object/currency}, parent_id: {ref: $object/id}}}
                  properties: {map: /metadata}
                  kind: {when: {exists: /kind}, then: {lower: /kind}, else: {const: thing}}
                """));
        assertThat(m.name()).isEqualTo("test/thing");
        assertThat(m.topic()).isEqualTo("raw.test.thing");
        assertThat(m.target().topic()).isEqualTo("canonical.demo.thing.v1");
    }

    @Test
    void anUnknownCanonicalFieldIsNamedWithItsLineAndTheFieldsThatExist() {
        List<ConfigProblem> problems = problems(mapping("""
                  title: /name
                  Created_At: {timestamp: /created, from: unix-seconds}
                """));
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo("mappings/test/thing.yaml");
            assertThat(p.line()).isEqualTo(12);
            assertThat(p.key()).isEqualTo("fields.Created_At");
            assertThat(p.message()).contains("no field \"Created_At\" in io.syncline.test.demo.Thing",
                    "did you mean created_at?", "its fields are id, metadata, title");
        });
    }

    @Test
    void aRequiredFieldLeftUnmappedIsReported() {
        List<ConfigProblem> problems = problems(mapping("""
                  count: /count
                """));
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(10);
            assertThat(p.message()).isEqualTo("required field title (string) of io.syncline.test.demo.Thing is not"
                    + " mapped");
        });
    }

    @Test
    void aValueThatCanNeverConvertToTheFieldTypeIsReportedWithAHint() {
        List<ConfigProblem> problems = problems(mapping("""
                  title: /name
                  created_at: /created
                  count: {timestamp: /created, from: unix-seconds}
                  status: /status
                """));
        assertThat(problems).extracting(ConfigProblem::line).containsExactly(12, 13, 14);
        assertThat(problems.get(0).message()).startsWith("cannot convert a JSON value to field created_at of type long"
                + " (timestamp-millis); use {timestamp: <expr>, from:");
        assertThat(problems.get(1).message()).startsWith("cannot convert a timestamp to field count of type long");
        assertThat(problems.get(2).message()).contains("{enum: <expr>, values: {…}, default: <symbol>}",
                "UNKNOWN, OPEN, CLOSED");
    }

    @Test
    void anUnknownTransformListsTheKnownOnes() {
        List<ConfigProblem> problems = problems(mapping("""
                  title: {uppercase: /name}
                """));
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(11);
            assertThat(p.key()).isEqualTo("fields.title");
            assertThat(p.message()).startsWith("unknown transform {uppercase}; expected one of const, coalesce,");
        });
    }

    @Test
    void anUnknownOptionOfAKnownTransformIsReported() {
        List<ConfigProblem> problems = problems(mapping("""
                  title: /name
                  created_at: {timestamp: /created, format: unix-seconds}
                """));
        assertThat(problems).extracting(ConfigProblem::message).containsExactly(
                "unknown option \"format\" for timestamp; expected from");
    }

    @Test
    void findNeedsAConditionAndAnArray() {
        List<ConfigProblem> problems = problems(mapping("""
                  title: {find: /events, value: /body}
                  email: {find: {const: x}, where: {exists: /body}}
                """));
        assertThat(problems).extracting(ConfigProblem::key, ConfigProblem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("fields.title", "find needs where: <condition>, e.g. {find:"
                        + " /events, where: {equals: [/type, {const: Comment}]}}"),
                org.assertj.core.groups.Tuple.tuple("fields.email.find", "find needs a path to a JSON array"));
    }

    @Test
    void anEnumNeedsAnExplicitDefaultAndKnownSymbols() {
        List<ConfigProblem> problems = problems(mapping("""
                  title: /name
                  status:
                    enum: /status
                    values:
                      open: OPEN
                      shut: SHUT
                """));
        assertThat(problems).extracting(ConfigProblem::line, ConfigProblem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(16, "\"SHUT\" is not a symbol of Status; expected one of UNKNOWN,"
                        + " OPEN, CLOSED"),
                org.assertj.core.groups.Tuple.tuple(12, "enum needs an explicit default (a symbol of Status, or null"
                        + " for an optional field): the source may send values nobody listed"));
    }

    @Test
    void plainTextIsNeitherAPathNorAConstant() {
        List<ConfigProblem> problems = problems(mapping("""
                  title: name
                """));
        assertThat(problems).extracting(ConfigProblem::message).containsExactly("\"name\" is neither a source path"
                + " nor a constant: write /name for a field of the source object, or {const: name} for a constant");
    }

    @Test
    void topLevelMistakesAreAllReportedAtOnce() {
        List<ConfigProblem> problems = problems("""
                source: {topic: raw.test.thing}
                target: demo.Thingy
                system: Test
                updated: /updated
                fields: {}
                """);
        assertThat(problems).extracting(ConfigProblem::line, ConfigProblem::message).contains(
                org.assertj.core.groups.Tuple.tuple(4, "unknown key \"updated\"; expected one of description, source,"
                        + " target, system, source-id, key, updated-at, version, event-id, trace-id, delete-when, fields,"
                        + " checks, dedupe"),
                org.assertj.core.groups.Tuple.tuple(2, "unknown canonical entity \"demo.Thingy\"; expected one of"
                        + " demo.Thing"),
                org.assertj.core.groups.Tuple.tuple(3, "expected the source system in lower case, e.g. stripe, got"
                        + " \"Test\""),
                org.assertj.core.groups.Tuple.tuple(0, "missing source-id: the source id, e.g. source-id: /id"));
    }

    @Test
    void aVersionListThatCannotOrderVersionsIsRefusedEntryByEntry() {
        String shape = "expected {rank: <expr>, order: [<value>, [<values of the same rank>], …]} or {grows: <expr"
                + " of a whole number that only grows>}, got ";
        List<ConfigProblem> problems = problems(mapping("""
                  title: /name
                """).replace("fields:\n", """
                version:
                  - rank: $event/type
                  - rank: $event/type
                    order: [thing.created, [thing.updated, thing.created]]
                  - grows: /amount
                    extra: 1
                  - sorted: /x
                fields:
                """));
        assertThat(problems).extracting(ConfigProblem::key, ConfigProblem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("version[0]", shape + "{\"rank\":\"$event/type\"}"),
                org.assertj.core.groups.Tuple.tuple("version[1].order[1]", "\"thing.created\" is listed twice; each"
                        + " value has one rank"),
                org.assertj.core.groups.Tuple.tuple("version[2]", shape + "{\"grows\":\"/amount\",\"extra\":1}"),
                org.assertj.core.groups.Tuple.tuple("version[3]", shape + "{\"sorted\":\"/x\"}"));
    }

    @Test
    void theMetadataFieldIsTheNormalizersToFill() {
        List<ConfigProblem> problems = problems(mapping("""
                  title: /name
                  metadata: {record: {source_id: /id}}
                """));
        assertThat(problems).extracting(ConfigProblem::message).containsExactly("field metadata is filled by the"
                + " normalizer from source-id, updated-at, event-id, trace-id and delete-when; remove it from fields");
    }

    @Test
    void aJavaFunctionThatRefusesTheFieldStopsTheStart() {
        List<ConfigProblem> problems = problems(mapping("""
                  title: {java: io.syncline.normalizer.mapping.ReverseText, options: {mode: sideways}}
                  count: {java: io.syncline.normalizer.mapping.ReverseText}
                  email: {java: java.lang.String}
                  ratio: {java: com.example.Missing}
                """));
        assertThat(problems).extracting(ConfigProblem::message).containsExactly(
                "io.syncline.normalizer.mapping.ReverseText refuses field title: unknown mode sideways",
                "io.syncline.normalizer.mapping.ReverseText refuses field count: writes text fields only, not long",
                "java.lang.String does not implement io.syncline.mapping.spi.MappingFunction",
                "class com.example.Missing is not on the class path");
    }

    @Test
    void invalidYamlIsReportedWithItsLine() {
        assertThatThrownBy(() -> compile("source: {topic: raw.x\nfields: [\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("mappings/test/thing.yaml:")
                .hasMessageContaining("not valid YAML");
    }
}
