package io.syncline.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A JSON array is split into its elements' exact bytes, with pointers read within each. */
class JsonArrayElementsTest {

    private final JsonFields fields = new JsonFields(new JsonFactory(), List.of("/objectId", "/eventId"));

    private static String slice(byte[] doc, JsonFields.Element e) {
        return new String(doc, e.start(), e.end() - e.start(), StandardCharsets.UTF_8);
    }

    @Test
    void eachElementKeepsItsBytesAsSentAndItsOwnValues() {
        byte[] doc = ("[ {\"eventId\":1,\"objectId\":51,\"propertyValue\":\"Zoë 🚀\"} ,\n"
                + "{\"objectId\":\"52\",\"eventId\":2,\"nested\":{\"objectId\":99}},42,\"x\",null ]")
                .getBytes(StandardCharsets.UTF_8);
        List<JsonFields.Element> els = fields.extractEach(doc);

        assertThat(els).extracting(e -> slice(doc, e)).containsExactly(
                "{\"eventId\":1,\"objectId\":51,\"propertyValue\":\"Zoë 🚀\"}",
                "{\"objectId\":\"52\",\"eventId\":2,\"nested\":{\"objectId\":99}}", "42", "\"x\"", "null");
        assertThat(els.get(0).values()).containsExactly("51", "1");
        assertThat(els.get(1).values()).containsExactly("52", "2");
        assertThat(els.get(2).values()).containsExactly(null, null);
    }

    @Test
    void anEmptyArrayHasNoElements() {
        assertThat(fields.extractEach("[]".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"objectId\":1}", "[{\"objectId\":1}", "[{\"objectId\":1}] []", "[1,]", "", "[{]"})
    void anythingButOneValidArrayIsNull(String doc) {
        assertThat(fields.extractEach(doc.getBytes(StandardCharsets.UTF_8))).isNull();
    }
}
