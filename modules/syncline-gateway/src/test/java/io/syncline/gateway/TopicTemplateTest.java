package io.syncline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Topic templates fill only with values that make a safe topic name. */
class TopicTemplateTest {

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
}
