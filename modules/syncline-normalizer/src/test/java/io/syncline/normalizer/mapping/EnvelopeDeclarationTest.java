package io.syncline.normalizer.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.syncline.config.ConfigException;
import io.syncline.config.ConfigProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Envelopes are declared beside the mappings and checked at start: an unknown envelope, a mapping naming one, or a
 * declaration that cannot work stops the start naming file, line and what is valid.
 */
class EnvelopeDeclarationTest {

    @TempDir
    Path dir;

    private static final String MAPPING = """
            source:
              topic: raw.test.thing
              envelopes: [%s]
            target: demo.Thing
            system: test
            source-id: /id
            updated-at: {coalesce: [$envelope/time, $record/timestamp]}
            fields:
              title: {const: t}
            """;

    private void write(String rel, String text) throws IOException {
        Path f = dir.resolve("mappings").resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }

    private List<ConfigProblem> problems() {
        try {
            MappingSet.load(dir.resolve("mappings"), TestTargets.CATALOG);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected the mappings to be refused");
    }

    @Test
    void theShippedEnvelopesAreDeclaredAsDataAndCompile() {
        MappingSet shipped = MappingSet.load(Path.of("../../mappings"), TargetCatalog.canonical());
        assertThat(shipped.envelopes().names()).contains("stripe-event", "stripe-object", "hubspot-object",
                "hubspot-webhook-event", "zendesk-event", "debezium-change");
        assertThat(shipped.plan("raw.stripe.charge").envelopes()).extracting(e -> e.name())
                .containsExactly("stripe-event", "stripe-object");
    }

    @Test
    void aMappingThatNamesAnUnknownEnvelopeIsRefusedWithFileLineAndTheDeclaredOnes() throws IOException {
        write("test/envelopes.yaml", TestEnvelopes.TEXT);
        write("test/thing.yaml", MAPPING.formatted("test-event, stripe-evnt"));

        assertThat(problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo("mappings/test/thing.yaml");
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.key()).isEqualTo("source.envelopes[1]");
            assertThat(p.message()).isEqualTo("unknown envelope \"stripe-evnt\"; declared: test-event, test-object");
        });
    }

    @Test
    void anUnknownKeyInAnEnvelopeIsRefusedWithItsLine() throws IOException {
        write("test/envelopes.yaml", """
                envelopes:
                  test-event:
                    when: {equals: [/object, {const: event}]}
                    objects: /data/object
                """);
        write("test/thing.yaml", MAPPING.formatted("test-event"));

        assertThat(problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo("mappings/test/envelopes.yaml");
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.message()).startsWith("unknown key \"objects\"; expected one of description, when, object,");
        });
    }

    @Test
    void envelopeMistakesAreAllReportedAtOnce() throws IOException {
        write("a/envelopes.yaml", """
                envelopes:
                  twice: {}
                  Bad_Name: {}
                  partial:
                    when: {exists: /propertyName}
                    change: {property: /propertyName, value: /propertyValue}
                  reads-itself:
                    type: $envelope/type
                    time: /occurredAt
                  gzip: {null-value: maybe}
                """);
        write("b/envelopes.yaml", """
                envelopes:
                  twice: {}
                """);
        write("a/thing.yaml", MAPPING.formatted("twice"));

        assertThat(problems()).extracting(p -> p.source() + ":" + p.line() + " " + p.key() + ": " + p.message())
                .containsExactlyInAnyOrder(
                        "mappings/a/envelopes.yaml:3 envelopes.Bad_Name: expected an envelope name of lower-case"
                                + " letters, digits, - and _, got \"Bad_Name\"",
                        "mappings/a/envelopes.yaml:6 envelopes.partial.change: missing into; a change says which"
                                + " property (property), its new value (value) and where the object keeps its"
                                + " properties (into)",
                        "mappings/a/envelopes.yaml:6 envelopes.partial.change: an envelope whose records change one"
                                + " property must say which object they change: add object-id, e.g. object-id:"
                                + " /objectId",
                        "mappings/a/envelopes.yaml:6 envelopes.partial.change: an envelope whose records change one"
                                + " property must say when: add time, e.g. time: {timestamp: /occurredAt, from:"
                                + " unix-millis}; the newest change of a property wins",
                        "mappings/a/envelopes.yaml:8 envelopes.reads-itself.type: envelope expressions read the raw"
                                + " value with plain paths (e.g. /type); $envelope is what the envelope itself defines,"
                                + " got \"$envelope/type\"",
                        "mappings/a/envelopes.yaml:9 envelopes.reads-itself.time: cannot convert a JSON value to"
                                + " field time of type long (timestamp-millis); use {timestamp: <expr>, from:"
                                + " unix-seconds|unix-millis|iso-8601|auto} to say how the source writes time",
                        "mappings/a/envelopes.yaml:10 envelopes.gzip.null-value: expected skip (a null value is an"
                                + " expected tombstone, counted as a deliberate skip) or dead-letter (the default), got"
                                + " \"maybe\"",
                        "mappings/b/envelopes.yaml:2 envelopes.twice: envelope \"twice\" is already declared in"
                                + " mappings/a/envelopes.yaml; envelope names are unique across the mappings"
                                + " directory");
    }

    @Test
    void twoEnvelopesThatBothTakeEveryRecordCannotShareATopic() throws IOException {
        write("test/envelopes.yaml", """
                envelopes:
                  one: {object-type: /object}
                  two: {object: /data}
                """);
        write("test/thing.yaml", MAPPING.formatted("one, two"));

        assertThat(problems()).extracting(ConfigProblem::message).containsExactly("envelopes [one, two] have no"
                + " when, so each takes every record; at most one may (it is tried last)");
    }

    @Test
    void aMappingThatMergesPropertyChangesNeedsObjectIdsAndTimesFromEveryEnvelope() throws IOException {
        write("test/envelopes.yaml", """
                envelopes:
                  change:
                    when: {exists: /propertyName}
                    object-id: /objectId
                    time: {timestamp: /occurredAt, from: unix-millis}
                    change: {property: /propertyName, value: /propertyValue, into: /properties}
                  full: {object-type: /object}
                """);
        write("test/thing.yaml", MAPPING.formatted("change, full") + "dedupe: {ignore: [updated]}\n");

        assertThat(problems()).extracting(p -> p.line() + " " + p.key() + ": " + p.message()).containsExactly(
                "3 source.envelopes: envelope full must declare object-id and time: this mapping merges single"
                        + " property changes into the latest full version of each object, so every record it takes"
                        + " must say which object and which version it is",
                "10 dedupe.ignore[0]: no field \"updated\" in io.syncline.test.demo.Thing");
    }

    @Test
    void aTopicCannotBeBothMappedAndIgnored() throws IOException {
        write("test/envelopes.yaml", TestEnvelopes.TEXT + """
                ignore:
                  - {topic: raw.test.thing, reason: not needed}
                  - {topic: raw.test.other}
                """);
        write("test/thing.yaml", MAPPING.formatted("test-event"));

        assertThat(problems()).extracting(p -> p.key() + ": " + p.message()).containsExactlyInAnyOrder(
                "ignore[1].reason: say why raw.test.other is read without a mapping (status and the docs show it),"
                        + " e.g. reason: invoice items arrive inside invoices",
                "ignore: raw.test.thing is read by mappings/test/thing.yaml; a topic is either mapped or ignored");
    }

    @Test
    void valueChecksNameFieldsThatExistAndFitTheCheck() {
        String yaml = TestTargets.mapping("""
                  title: /name
                  price: {money: /amount, currency: /currency}
                """).replace("fields:\n", """
                checks:
                  price: {min: 0}
                  price.amount: {min: zero}
                  title: {within: {after: P1D}}
                  created_at: {within: {after: 1 day}}
                  nope: {required: true}
                  count: {maximum: 3}
                fields:
                """);
        assertThatThrownBy(() -> TestTargets.compile(yaml)).isInstanceOfSatisfying(ConfigException.class, e ->
                assertThat(e.problems()).extracting(p -> p.key() + ": " + p.message()).containsExactly(
                        "checks.price.min: min checks number fields; this one is record Money (for money, check its"
                                + " amount: <field>.amount)",
                        "checks.price.amount.min: expected a number, got \"zero\"",
                        "checks.title.within: within checks timestamp fields; title is string",
                        "checks.created_at.within.after: expected an ISO-8601 duration in days or less, e.g. P3650D"
                                + " or PT1H, got \"1 day\"",
                        "checks.nope: no field \"nope\" in io.syncline.test.demo.Thing; its fields are id, metadata,"
                                + " title, count, ratio, small, active, status, price, created_at, day, email, address,"
                                + " tags, items, properties, kind (or check updated-at, the mapping's version time)",
                        "checks.count.maximum: unknown check \"maximum\"; expected one of required, min, max,"
                                + " within"));
    }
}
