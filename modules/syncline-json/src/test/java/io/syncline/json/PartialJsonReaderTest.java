package io.syncline.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import org.junit.jupiter.api.Test;

/** The walk goes only where the trie leads, tells the handler what it reached, and checks everything else. */
class PartialJsonReaderTest {

    private static final JsonFactory JSON = new JsonFactory();

    /** Writes what the walk reached as compact text: {name:value,…}, [index:value,…], whole values as-is. */
    private static final class Trace implements PartialJsonReader.Handler<StringBuilder> {
        @Override
        public StringBuilder value(PathTrie node, JsonParser p) throws IOException {
            StringBuilder s = new StringBuilder();
            if (p.currentToken().isStructStart()) {
                s.append("<").append(p.currentToken().asString())
                        .append(node.whole() ? " whole>" : " skipped>");
                p.skipChildren();
            } else {
                s.append(p.getText());
            }
            return s;
        }

        @Override
        public StringBuilder beginObject(PathTrie node, JsonParser p) {
            return new StringBuilder("{");
        }

        @Override
        public StringBuilder beginArray(PathTrie node, JsonParser p) {
            return new StringBuilder("[");
        }

        @Override
        public void member(StringBuilder object, String name, StringBuilder value) {
            object.append(object.length() > 1 ? "," : "").append(name).append(':').append(value);
        }

        @Override
        public void element(StringBuilder array, int index, StringBuilder value) {
            array.append(array.length() > 1 ? "," : "").append(index).append(':').append(value);
        }

        @Override
        public StringBuilder end(StringBuilder container, PathTrie node, JsonParser p) {
            return container.append(container.charAt(0) == '{' ? '}' : ']');
        }
    }

    private static String read(String json, String... pointers) throws IOException {
        PathTrie trie = new PathTrie();
        for (String p : pointers) {
            trie.add(p.contains("*") ? p.substring(1).split("/", -1) : Pointer.parse(p).names(), 0);
        }
        StringBuilder out = PartialJsonReader.read(JSON, json.getBytes(StandardCharsets.UTF_8), trie, new Trace());
        return out == null ? null : out.toString();
    }

    @Test
    void goesOnlyWhereThePathsLead() throws IOException {
        String json = "{\"id\":\"evt_1\",\"skip\":{\"deep\":[1,2,{\"x\":3}]},\"data\":{\"object\":{\"id\":\"ch_1\","
                + "\"amount\":5,\"outcome\":{\"risk\":\"normal\"}}},\"type\":\"charge.succeeded\"}";
        assertThat(read(json, "/id", "/data/object/id", "/data/object/outcome"))
                .isEqualTo("{id:evt_1,data:{object:{id:ch_1,outcome:<{ whole>}}}");
    }

    @Test
    void everyElementOrOnlyIndexedOnesAndIndexedOnesGetWhatEveryElementGets() throws IOException {
        String json = "{\"lines\":[{\"id\":\"a\",\"n\":1},{\"id\":\"b\",\"n\":2},{\"id\":\"c\",\"n\":3}]}";
        assertThat(read(json, "/lines/*/id")).isEqualTo("{lines:[0:{id:a},1:{id:b},2:{id:c}]}");
        assertThat(read(json, "/lines/1/n")).isEqualTo("{lines:[1:{n:2}]}");
        assertThat(read(json, "/lines/1/n", "/lines/*/id")).isEqualTo("{lines:[0:{id:a},1:{id:b,n:2},2:{id:c}]}");
        assertThat(read(json, "/lines/*/id", "/lines/1/n")).isEqualTo("{lines:[0:{id:a},1:{id:b,n:2},2:{id:c}]}");
    }

    @Test
    void anIndexIsAMemberNameInAnObject() throws IOException {
        assertThat(read("{\"0\":{\"a\":1,\"b\":2}}", "/0/a")).isEqualTo("{0:{a:1}}");
    }

    @Test
    void containersWhereThePathsNameNothingInsideAreHandedOverInOnePiece() throws IOException {
        // /a expects members but meets an array; /b expects elements but meets an object; /c meets a scalar.
        assertThat(read("{\"a\":[1],\"b\":{\"x\":1},\"c\":7}", "/a/x", "/b/*", "/c/d"))
                .isEqualTo("{a:<[ skipped>,b:<{ skipped>,c:7}");
    }

    @Test
    void anEmptyInputIsNoDocument() throws IOException {
        assertThat(read("  ", "/id")).isNull();
    }

    @Test
    void malformedJsonInASkippedPartAndTrailingContentAreErrors() {
        assertThatThrownBy(() -> read("{\"id\":1,\"skip\":{\"a\":[1,}}", "/id"))
                .isInstanceOf(JsonParseException.class);
        assertThatThrownBy(() -> read("{\"id\":1} {\"id\":2}", "/id"))
                .isInstanceOf(PartialJsonReader.TrailingContentException.class)
                .hasMessageStartingWith("trailing content after the JSON value");
        assertThatThrownBy(() -> read("{\"id\":1,\"data\":{\"object\":", "/data/object/id"))
                .isInstanceOf(com.fasterxml.jackson.core.io.JsonEOFException.class);
    }

    @Test
    void triesMergeAndMarkWhole() {
        PathTrie a = PathTrie.of(Pointer.parse("/a/b"), Pointer.parse("/c"));
        PathTrie b = PathTrie.of(Pointer.parse("/a"));
        a.merge(b);
        assertThat(a.child("a").whole()).isTrue();
        assertThat(a.child("c").whole()).isTrue();
        PathTrie all = new PathTrie();
        all.merge(PathTrie.everything());
        assertThat(all.whole()).isTrue();
        assertThat(all.readsMembers()).isFalse();
        List<Integer> slots = new ArrayList<>();
        PathTrie captures = new PathTrie();
        captures.capture(Pointer.parse("/id"), 0);
        captures.capture(Pointer.parse("/id"), 2);
        for (int s : captures.child("id").slots()) {
            slots.add(s);
        }
        assertThat(slots).containsExactly(0, 2);
    }
}
