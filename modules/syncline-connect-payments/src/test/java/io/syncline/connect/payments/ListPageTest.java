package io.syncline.connect.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.syncline.json.JsonPages;
import org.junit.jupiter.api.Test;

class ListPageTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void slicesEachObjectExactlyAsItAppearsInTheResponse() throws Exception {
        String first = "{\"id\": \"ch_2\",\n  \"object\":\"charge\", \"amount\": 1.50e3, \"created\":1700000002,"
                + " \"metadata\": {\"note\": \"Grüße 🚀 \\\"quoted\\\" \\u00e9\"}, \"refunds\": {\"object\":\"list\","
                + "\"data\":[{\"id\":\"re_1\"}]}}";
        String second = "{\"object\":\"charge\",\"created\":1700000001,\"id\":\"ch_1\",\"unknown_field\":[1,2,{}]}";
        String body = "{\n  \"object\": \"list\",\n  \"data\": [\n    " + first + " ,\n" + second + "\n  ],\n"
                + "  \"has_more\": true,\n  \"url\": \"/v1/charges\"\n}";

        ListPage page = ListPage.parse(utf8(body), false);

        assertThat(page.hasMore()).isTrue();
        assertThat(page.items()).extracting(ListPage.Item::id).containsExactly("ch_2", "ch_1");
        assertThat(page.items()).extracting(ListPage.Item::created).containsExactly(1700000002L, 1700000001L);
        assertThat(page.items()).extracting(ListPage.Item::type).containsExactly("charge", "charge");
        assertThat(page.items().get(0).json()).isEqualTo(utf8(first));
        assertThat(page.items().get(1).json()).isEqualTo(utf8(second));
        assertThat(page.items().get(0).key()).isEqualTo("ch_2");
    }

    @Test
    void readsTheObjectIdAndTypeOfEvents() throws Exception {
        String event = "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"charge.refund.updated\",\"created\":17,"
                + "\"data\":{\"previous_attributes\":{\"object\":\"x\",\"id\":\"no\"},\"object\":{\"id\":\"re_9\","
                + "\"object\":\"refund\",\"charge\":{\"id\":\"ch_1\",\"object\":\"charge\"}}},\"request\":null}";
        ListPage page = ListPage.parse(utf8("{\"object\":\"list\",\"data\":[" + event + "],\"has_more\":false}"), true);

        ListPage.Item item = page.items().get(0);
        assertThat(item.id()).isEqualTo("evt_1");
        assertThat(item.objectId()).isEqualTo("re_9");
        assertThat(item.objectType()).isEqualTo("refund");
        assertThat(item.key()).isEqualTo("re_9");
        assertThat(item.json()).isEqualTo(utf8(event));
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void anEmptyListIsAPage() throws Exception {
        ListPage page = ListPage.parse(utf8("{\"object\":\"list\",\"data\":[],\"has_more\":false,\"url\":\"/v1/x\"}"),
                false);
        assertThat(page.items()).isEmpty();
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void aBodyCutInHalfIsMalformed() {
        byte[] body = utf8("{\"object\":\"list\",\"data\":[{\"id\":\"ch_1\",\"created\":1},{\"id\":\"ch_2\","
                + "\"created\":2}],\"has_more\":false}");
        byte[] half = Arrays.copyOf(body, body.length / 2);
        assertThatThrownBy(() -> ListPage.parse(half, false))
                .isInstanceOf(JsonPages.MalformedPageException.class)
                .hasMessageStartingWith("JsonEOFException: Unexpected end-of-input");
    }

    @Test
    void namesWhatIsMissingOrWrong() {
        assertThatThrownBy(() -> ListPage.parse(utf8("[1,2]"), false))
                .hasMessage("expected '{' at the response, got '[' at byte 0");
        assertThatThrownBy(() -> ListPage.parse(utf8("{\"object\":\"list\",\"has_more\":false}"), false))
                .hasMessage("the list has no data");
        assertThatThrownBy(() -> ListPage.parse(utf8("{\"object\":\"list\",\"data\":[]}"), false))
                .hasMessage("the list has no has_more");
        assertThatThrownBy(() -> ListPage.parse(utf8("{\"object\":\"charge\",\"data\":[],\"has_more\":false}"), false))
                .hasMessage("expected \"object\":\"list\", got \"charge\"");
        assertThatThrownBy(() -> ListPage.parse(utf8("{\"object\":\"list\",\"data\":[{\"created\":1}],"
                + "\"has_more\":false}"), false))
                .hasMessage("element 0 of data has no string id");
        assertThatThrownBy(() -> ListPage.parse(utf8("{\"object\":\"list\",\"data\":[{\"id\":\"ch_1\"}],"
                + "\"has_more\":false}"), false))
                .hasMessage("element 0 (ch_1) has no integer created");
        assertThatThrownBy(() -> ListPage.parse(utf8("{\"object\":\"list\",\"data\":[{\"id\":\"evt_1\","
                + "\"created\":1,\"data\":{}}],\"has_more\":false}"), true))
                .hasMessage("event evt_1 has no data.object with a string id and object");
        assertThatThrownBy(() -> ListPage.parse(utf8("{\"object\":\"list\",\"data\":[],\"has_more\":false} {}"), false))
                .hasMessage("content after the end of the list object");
        assertThatThrownBy(() -> ListPage.parse(utf8("{\"object\":\"list\",\"data\":[1],\"has_more\":false}"), false))
                .hasMessageStartingWith("expected ']' at the end of data, got value_number_int");
        assertThatThrownBy(() -> ListPage.parse(utf8("{\"object\":\"list\",\"data\":{},\"has_more\":false}"), false))
                .hasMessage("expected '[' at data, got '{' at byte 24");
        assertThatThrownBy(() -> ListPage.parse(utf8("{\"object\":\"list\",\"data\":[],\"has_more\":1}"), false))
                .hasMessage("has_more is not a boolean");
    }
}
