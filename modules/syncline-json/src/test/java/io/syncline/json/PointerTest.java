package io.syncline.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6901 pointers: tokens, escapes, indexes, and errors that say what is wrong. */
class PointerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
            "/data/object/id; [data, object, id]",
            "/lines/data/0; [lines, data, 0]",
            "/a~1b/m~0n; [a/b, m~n]",
            "/; []",
            "/a//b; [a, , b]",
            "/~01; [~1]"})
    void splitsIntoUnescapedTokens(String text, String tokens) {
        Pointer p = Pointer.parse(text);
        assertThat(p.tokens()).hasToString(tokens); // "/" is one empty token: the member named ""
        assertThat(p.text()).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0} is index {1}")
    @CsvSource({"0, 0", "7, 7", "12, 12", "999999999, 999999999", "01, -1", "-1, -1", "1a, -1", "1000000000, -1",
            "'', -1"})
    void tokensOfDigitsWithoutLeadingZeroAreIndexes(String token, int index) {
        assertThat(Pointer.index(token)).isEqualTo(index);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "data/id; a JSON Pointer starts with \"/\", got \"data/id\"",
            "/a~2; invalid escape in JSON Pointer \"/a~2\": only ~0 (~) and ~1 (/) are allowed",
            "/a~; invalid escape in JSON Pointer \"/a~\": only ~0 (~) and ~1 (/) are allowed"})
    void refusesWhatIsNotAPointer(String text, String message) {
        assertThatThrownBy(() -> Pointer.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void buildsPointersFromNamesWithEscapes() {
        assertThat(Pointer.of("metadata", "source_id").text()).isEqualTo("/metadata/source_id");
        assertThat(Pointer.of("a/b", "m~n").text()).isEqualTo("/a~1b/m~0n");
        assertThat(Pointer.parse("").size()).isZero();
        assertThat(Pointer.parse("/a/0")).isEqualTo(Pointer.of("a", "0"));
    }
}
