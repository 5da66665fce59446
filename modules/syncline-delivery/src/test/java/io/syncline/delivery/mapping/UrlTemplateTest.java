package io.syncline.delivery.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import io.syncline.delivery.testing.Canonical;
import io.syncline.mapping.MappingException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** URL templates: placeholders are source paths (the old dotted form still read), each value one encoded segment. */
class UrlTemplateTest {

    private static final Canonical CANONICAL = new Canonical("mock://url-template-test");

    private static SinkRecord customer(String sourceId, String email) {
        return CANONICAL.sinkRecord(Canonical.CUSTOMER_TOPIC, 0, 3, "stripe:" + sourceId,
                Canonical.customer(sourceId, email, "Ada", "evt_1", Instant.parse("2024-05-01T00:00:00Z")));
    }

    /** A template compiled as a sink compiles it, expanded for a record. */
    private static final class Template {
        private final Compiled compiled = new Compiled();
        private final UrlTemplate template;

        Template(String text) {
            template = compiled.mappings.template("http.url", text);
            if (!compiled.problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", compiled.problems.get("http.url")));
            }
        }

        String expand(SinkRecord record) {
            return template.expand(compiled.view(record));
        }
    }

    private static UrlTemplate parse(String text) {
        return new Template(text).template;
    }

    @Test
    void fillsPlaceholdersFromTheRecordEncodingEachValueAsOneSegment() {
        Template t = new Template("https://api.example.com/v1/customers/{/metadata/source_id}/by/{$record/key}"
                + "?email={/email}&topic={$record/topic}");
        assertThat(t.expand(customer("cus_1", "a+b@x.example")))
                .isEqualTo("https://api.example.com/v1/customers/cus_1/by/stripe%3Acus_1?email=a%2Bb%40x.example"
                        + "&topic=canonical.finance.customer.v1");
    }

    @Test
    void oldDottedPlaceholdersStillWork() {
        Template t = new Template("https://api.example.com/v1/customers/{metadata.source_id}/by/{$key}"
                + "?email={email}&topic={$topic}");
        assertThat(t.expand(customer("cus_1", "a+b@x.example")))
                .isEqualTo("https://api.example.com/v1/customers/cus_1/by/stripe%3Acus_1?email=a%2Bb%40x.example"
                        + "&topic=canonical.finance.customer.v1");
    }

    @Test
    void aValueCannotAddSegmentsWalkUpTheTreeOrReachAnotherHost() {
        Template t = new Template("https://api.example.com/v1/customers/{/metadata/source_id}");
        assertThat(t.expand(customer("../../admin?x=1#f", "a@x"))).isEqualTo(
                "https://api.example.com/v1/customers/..%2F..%2Fadmin%3Fx%3D1%23f");
        assertThat(t.expand(customer("..", "a@x"))).isEqualTo("https://api.example.com/v1/customers/%2E%2E");
        assertThat(t.expand(customer("@evil.example", "a@x")))
                .isEqualTo("https://api.example.com/v1/customers/%40evil.example");
    }

    @Test
    void aRecordWithoutAPlaceholdersValueIsAMappingFailure() {
        Template t = new Template("https://api.example.com/v1/customers/{email}");
        assertThatThrownBy(() -> t.expand(customer("cus_1", null)))
                .isInstanceOf(MappingException.class)
                .hasMessage("the URL placeholder {email} has no value in this record");
        Template pointer = new Template("https://api.example.com/v1/customers/{/email}");
        assertThatThrownBy(() -> pointer.expand(customer("cus_1", null)))
                .hasMessage("the URL placeholder {/email} has no value in this record");
    }

    @Test
    void placeholdersAreRefusedWhereTheyWouldChooseTheTarget() {
        assertThatThrownBy(() -> parse("https://{host}/v1"))
                .hasMessage("'https://{host}/v1' has a placeholder in its scheme, host or port; placeholders are "
                        + "allowed in the path and query only");
        assertThatThrownBy(() -> parse("https://api.example.com:{port}/v1"))
                .hasMessageContaining("placeholder in its scheme, host or port");
        assertThatThrownBy(() -> parse("ftp://api.example.com/{id}"))
                .hasMessage("'ftp://api.example.com/{id}' is not an absolute http(s) URL (expected e.g. "
                        + "https://api.example.com/v1/customers/{id})");
        assertThatThrownBy(() -> parse("https://api.example.com/{id"))
                .hasMessage("'https://api.example.com/{id' has a '{' without a closing '}'");
        assertThat(parse("https://api.example.com?email={email}").hasPlaceholders()).isTrue();
        assertThat(parse("https://api.example.com:8443/batch").target().getPort()).isEqualTo(8443);
        assertThatThrownBy(() -> parse("https://api.example.com/{$record/host}"))
                .hasMessage("'https://api.example.com/{$record/host}' has an invalid placeholder {$record/host}:"
                        + " unknown record field \"host\" in \"$record/host\"; expected one of $record/key,"
                        + " $record/topic, $record/partition, $record/offset, $record/timestamp");
        assertThatThrownBy(() -> parse("https://api.example.com/{$id}"))
                .hasMessage("'https://api.example.com/{$id}' has an invalid placeholder {$id}: '$id' is not a record"
                        + " attribute (expected one of $key, $topic, $partition, $offset)");
    }
}
