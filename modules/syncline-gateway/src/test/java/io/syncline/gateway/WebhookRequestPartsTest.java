package io.syncline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The small parts of a webhook request: topic templates and bounded bodies. */
class WebhookRequestPartsTest {

    @Test
    void topicTemplatesFillOnlyWithSafeValues() {
        TopicTemplate template = TopicTemplate.parse("raw.stripe.{/data/object/object}");
        assertThat(template.pointers()).containsExactly("/data/object/object");
        assertThat(template.fill(new String[] {"payment_intent"})).isEqualTo("raw.stripe.payment_intent");
        assertThat(template.fill(new String[] {"contact.propertyChange"})).isNull();
        assertThat(template.fill(new String[] {"../x"})).isNull();
        assertThat(template.fill(new String[] {""})).isNull();
        assertThat(template.fill(new String[] {null})).isNull();
        assertThat(template.fill(new String[] {"x".repeat(250)})).isNull();
        assertThat(TopicTemplate.parse("raw.github.event").fill(new String[0])).isEqualTo("raw.github.event");
        assertThat(TopicTemplate.parse("raw.{/a}.{/b}").fill(new String[] {"crm", "deal"})).isEqualTo("raw.crm.deal");
    }

    @Test
    void bodiesAreReadUpToTheLimitAndNeverBeyond() throws Exception {
        byte[] data = new byte[100];
        assertThat(WebhookGateway.readBody(new java.io.ByteArrayInputStream(data), 100, 100)).hasSize(100);
        assertThat(WebhookGateway.readBody(new java.io.ByteArrayInputStream(data), -1, 100)).hasSize(100);
        assertThat(WebhookGateway.readBody(new java.io.ByteArrayInputStream(new byte[101]), -1, 100)).isNull();
        assertThat(WebhookGateway.readBody(new java.io.ByteArrayInputStream(new byte[40_000]), -1, 50_000))
                .hasSize(40_000);
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                WebhookGateway.readBody(new java.io.ByteArrayInputStream(new byte[10]), 20, 100))
                .isInstanceOf(java.io.IOException.class);
    }
}
