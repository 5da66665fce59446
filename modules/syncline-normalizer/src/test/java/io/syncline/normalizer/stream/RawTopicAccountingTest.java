package io.syncline.normalizer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import io.syncline.normalizer.mapping.TopicPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every raw record is accounted for: the gateway's fallback topic and raw topics no mapping reads are read too, so
 * what lands there ends in dlq.normalizer with its reason, or is counted as skipped where a topic is declared
 * ignored (mappings/stripe/envelopes.yaml), never left unread.
 */
class RawTopicAccountingTest extends StripeMappingTestSupport {

    private static final String FALLBACK = "raw.stripe.event";
    private static final String EVENT = "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"charge.succeeded\","
            + "\"created\":1717171717,\"data\":{\"object\":{\"id\":\"ch_1\",\"object\":\"charge\"}}}";

    static Stream<Arguments> authenticButUnreadableBodies() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(EVENT.getBytes(StandardCharsets.UTF_8));
        }
        byte[] latin1 = "{\"id\":\"evt_2\",\"name\":\"Jürgen\"}".getBytes(StandardCharsets.ISO_8859_1);
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        return Stream.of(
                Arguments.of("truncated JSON", EVENT.substring(0, 60).getBytes(StandardCharsets.UTF_8),
                        "not valid JSON"),
                Arguments.of("a gzip body", gz.toByteArray(), "not valid JSON at line 1, column 2"),
                Arguments.of("invalid UTF-8", latin1, "Invalid UTF-8"),
                Arguments.of("100k-deep nesting", deep.getBytes(StandardCharsets.UTF_8), "nesting depth"),
                Arguments.of("an empty body", new byte[0], "expected a JSON object, got no value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("authenticButUnreadableBodies")
    void whatTheGatewayCouldNotRouteEndsInTheDlqWithTheReason(String scenario, byte[] body, String message) {
        driver.pipe(FALLBACK, "sha256:abc", body, "syncline.source", "stripe-webhook:stripe");

        assertThat(driver.deadLetters()).as(scenario).singleElement().satisfies(d -> {
            assertThat(d.headers()).containsEntry("syncline.error.reason", "parse")
                    .containsEntry("syncline.source.topic", FALLBACK)
                    .containsEntry("syncline.source", "stripe-webhook:stripe")
                    .doesNotContainKey("syncline.mapping.file");
            assertThat(d.headers().get("syncline.error.message")).contains(message);
        });
        assertThat(driver.metrics().perTopic().get(FALLBACK).deadLettered()).isEqualTo(1);
    }

    @Test
    void validJsonOnTheFallbackTopicIsDeadLetteredAsUnmappedNamingTheTopicAndWhatToDo() {
        driver.pipe(FALLBACK, "attacker_1", EVENT.replace("\"object\":\"charge\"", "\"object\":\"attacker_topic_h1\""));

        assertThat(driver.deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.headers()).containsEntry("syncline.error.reason", "no-mapping");
            assertThat(d.headers().get("syncline.error.message")).isEqualTo("no mapping reads raw.stripe.event: add a"
                    + " mapping with source.topic: raw.stripe.event, or list the topic under ignore: in an"
                    + " envelopes.yaml beside the mappings if nothing should be made of it");
        });
    }

    @Test
    void aRawTopicNothingDeclaresIsReadAndItsRecordsDeadLettered() {
        driver.pipe("raw.acme.widget", "w1", "{\"id\":\"w1\"}");

        assertThat(driver.deadLetters()).singleElement().satisfies(d -> assertThat(d.headers())
                .containsEntry("syncline.error.reason", "no-mapping")
                .containsEntry("syncline.source.topic", "raw.acme.widget"));
        assertThat(driver.mappings().plan("raw.acme.widget")).isSameAs(TopicPlan.unmapped());
    }

    @Test
    void aTopicDeclaredIgnoredIsReadAndCountedAsSkippedWithoutParsing() {
        driver.pipe("raw.stripe.invoiceitem", "ii_1", "{\"id\":\"ii_1\",\"object\":\"invoiceitem\"}");
        driver.pipe("raw.stripe.invoiceitem", "ii_2", "not even JSON");

        assertThat(driver.deadLetters()).isEmpty();
        NormalizerMetrics.TopicFigures f = driver.metrics().perTopic().get("raw.stripe.invoiceitem");
        assertThat(f.in()).isEqualTo(2);
        assertThat(f.skipped()).isEqualTo(2);
        assertThat(driver.metrics().registry().find("syncline.normalizer.skipped").tag("reason", "ignored-topic")
                .counter().count()).isEqualTo(2.0);
        assertThat(driver.mappings().plan("raw.stripe.invoiceitem").ignored().reason()).contains("inside their invoice");
    }

    @Test
    void perTopicFiguresAddUpToTheRecordsRead() {
        pipe("charge", "succeeded-event-unicode.json");
        pipe("charge", "succeeded-event-unicode.json");
        pipe("charge", "bad-currency.json");

        NormalizerMetrics.TopicFigures f = driver.metrics().perTopic().get("raw.stripe.charge");
        assertThat(f).isEqualTo(new NormalizerMetrics.TopicFigures(3, 1, 1, 0, 0, 1));
    }
}
