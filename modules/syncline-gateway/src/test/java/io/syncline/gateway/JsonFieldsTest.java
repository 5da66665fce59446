package io.syncline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import org.junit.jupiter.api.Test;

class JsonFieldsTest {

    private static final JsonFactory JSON = new JsonFactory();

    private static String[] extract(String json, String... pointers) {
        return new JsonFields(JSON, List.of(pointers)).extract(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void findsNestedStringsNumbersAndArrayElementsInOnePass() {
        String stripe = """
                {"id":"evt_1","object":"event","data":{"object":{"id":"ch_1","object":"charge","amount":1999,
                 "refunds":{"data":[{"id":"re_1"}]}},"previous_attributes":{"id":"ignored"}},"type":"charge.refunded"}""";
        assertThat(extract(stripe, "/data/object/object", "/data/object/id", "/id", "/data/object/amount",
                "/data/object/refunds/data/0/id", "/type"))
                .containsExactly("charge", "ch_1", "evt_1", "1999", "re_1", "charge.refunded");
        assertThat(extract("[{\"eventId\":1001,\"objectId\":51},{\"eventId\":1002}]", "/0/eventId", "/0/objectId",
                "/1/eventId")).containsExactly("1001", "51", "1002");
    }

    @Test
    void absentNullObjectAndArrayValuesAreNull() {
        assertThat(extract("{\"a\":null,\"b\":{\"c\":1},\"d\":[1]}", "/a", "/b", "/d", "/x/y", "/d/5"))
                .containsExactly(null, null, null, null, null);
    }

    @Test
    void keysNamedLikeIndexesAndEscapedPointersMatch() {
        assertThat(extract("{\"0\":{\"a/b\":\"slash\",\"m~n\":\"tilde\"}}", "/0/a~1b", "/0/m~0n"))
                .containsExactly("slash", "tilde");
    }

    @Test
    void aBodyThatIsNotExactlyOneJsonValueYieldsNull() {
        assertThat(extract("{\"id\":\"evt_1\",\"data\":{", "/id")).isNull();
        assertThat(extract("{\"id\":\"evt_1\"} {\"id\":\"evt_2\"}", "/id")).isNull();
        assertThat(extract("", "/id")).isNull();
        assertThat(extract("id=evt_1&type=x", "/id")).isNull();
        // Broken syntax inside a subtree no pointer reaches is still found.
        assertThat(extract("{\"id\":\"evt_1\",\"other\":{\"x\":[1,2,}}}", "/id")).isNull();
    }

    @Test
    void theFirstOfDuplicateKeysWins() {
        assertThat(extract("{\"id\":\"first\",\"id\":\"second\"}", "/id")).containsExactly("first");
    }

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
