package io.syncline.connect.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.syncline.json.JsonPages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExportPageTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(ExportPage.Item item) {
        return new String(item.json(), StandardCharsets.UTF_8);
    }

    @Test
    void slicesEachItemExactlyAsItWasInTheResponse() throws Exception {
        String a = "{\"id\":35436,\"subject\":\"Zoë\\u00e9 \",\"updated_at\":\"2024-05-01T12:00:00Z\",\"n\":1.50E+2}";
        String b = "{ \"url\": null, \"id\": \"7\", \"updated_at\": \"2024-05-01T12:00:01Z\" }";
        ExportPage page = ExportPage.parse(bytes("{\"tickets\":[" + a + " , " + b + "],\"after_cursor\":\"c1\","
                + "\"after_url\":\"x\",\"end_of_stream\":false}"), ZendeskObject.TICKET);
        assertThat(page.items()).extracting(ExportPageTest::text).containsExactly(a, b);
        assertThat(page.items()).extracting(ExportPage.Item::id).containsExactly("35436", "7");
        assertThat(page.items().get(0).version()).isEqualTo("2024-05-01T12:00:00Z");
        assertThat(page.items().get(1).seconds()).isEqualTo(1714564801L);
        assertThat(page.afterCursor()).isEqualTo("c1");
        assertThat(page.endOfStream()).isFalse();
    }

    @Test
    void readsATicketAuditsCommentIdAndTimestamp() throws Exception {
        String audit = "{\"id\":900,\"ticket_id\":5,\"timestamp\":1714564800,\"created_at\":\"2024-05-01T12:00:00Z\","
                + "\"child_events\":[{\"id\":901,\"event_type\":\"Change\",\"status\":\"open\"},"
                + "{\"id\":902,\"type\":\"Comment\",\"event_type\":\"Comment\",\"body\":\"hi\"}]}";
        String quiet = "{\"id\":910,\"ticket_id\":5,\"timestamp\":1714564801,\"created_at\":\"2024-05-01T12:00:01Z\","
                + "\"child_events\":[{\"id\":911,\"event_type\":\"Change\"}]}";
        ExportPage page = ExportPage.parse(bytes("{\"ticket_events\":[" + audit + "," + quiet + "],"
                + "\"next_page\":\"n\",\"count\":2,\"end_time\":1714564801,\"end_of_stream\":true}"),
                ZendeskObject.TICKET_COMMENT);
        assertThat(page.items()).extracting(ExportPage.Item::commentId).containsExactly("902", null);
        assertThat(page.items()).extracting(ExportPage.Item::seconds).containsExactly(1714564800L, 1714564801L);
        assertThat(page.items()).extracting(ExportPage.Item::version)
                .containsExactly("2024-05-01T12:00:00Z", "2024-05-01T12:00:01Z");
        assertThat(page.endTime()).isEqualTo(1714564801L);
        assertThat(SupportRecords.writes(ZendeskObject.TICKET_COMMENT, page.items().get(0))).isTrue();
        assertThat(SupportRecords.writes(ZendeskObject.TICKET_COMMENT, page.items().get(1))).isFalse();
        assertThat(SupportRecords.key(ZendeskObject.TICKET_COMMENT, page.items().get(0))).isEqualTo("902");
        assertThat(SupportRecords.eventId(ZendeskObject.TICKET_COMMENT, page.items().get(0)))
                .isEqualTo("902@2024-05-01T12:00:00Z");
    }

    @Test
    void keepsMalformedItemsWithTheirProblemSoTheRestOfThePageGoesThrough() throws Exception {
        ExportPage page = ExportPage.parse(bytes("{\"users\":[{\"id\":1,\"updated_at\":\"2024-05-01T12:00:00Z\"},"
                + "\"oops\",[1,2],{\"name\":\"no id\"},{\"id\":{\"x\":1}},{\"id\":2,\"updated_at\":\"yesterday\"}],"
                + "\"after_cursor\":\"c\",\"end_of_stream\":true}"), ZendeskObject.USER);
        List<ExportPage.Item> items = page.items();
        assertThat(items).extracting(ExportPageTest::text).containsExactly(
                "{\"id\":1,\"updated_at\":\"2024-05-01T12:00:00Z\"}", "\"oops\"", "[1,2]", "{\"name\":\"no id\"}",
                "{\"id\":{\"x\":1}}", "{\"id\":2,\"updated_at\":\"yesterday\"}");
        assertThat(items).extracting(ExportPage.Item::problem).containsExactly(null,
                "item 1 of users is value_string, not an object", "item 2 of users is '[', not an object",
                "item 3 of users has no id", "item 4 of users has an id that is not a number or text", null);
        assertThat(SupportRecords.key(ZendeskObject.USER, items.get(3))).matches("sha256:[0-9a-f]{64}");
        // A time the source cannot read is the normalizer's to refuse; the item is written as it is.
        assertThat(items.get(5).seconds()).isNull();
        assertThat(SupportRecords.eventId(ZendeskObject.USER, items.get(5))).isEqualTo("2@yesterday");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "cut short|{\"tickets\":[{\"id\":1}|JsonEOFException",
        "not JSON|<html>Bad gateway</html>|JsonParseException",
        "no item array|{\"after_cursor\":\"c\",\"end_of_stream\":true}|the page has no \"tickets\" array",
        "items not an array|{\"tickets\":{},\"after_cursor\":\"c\",\"end_of_stream\":true}|expected '[' at tickets, got '{'",
        "no end_of_stream|{\"tickets\":[],\"after_cursor\":\"c\"}|the page has no boolean end_of_stream",
        "items without a cursor|{\"tickets\":[{\"id\":1}],\"end_of_stream\":true}|a cursor-based page with items has no after_cursor",
        "a list, not an object|[]|expected '{' at the response, got '['",
        "two documents|{\"tickets\":[],\"end_of_stream\":true} {}|content after the end of the export page",
    })
    void refusesABodyThatIsNotACompleteExportPage(String what, String body, String message) {
        assertThatThrownBy(() -> ExportPage.parse(bytes(body), ZendeskObject.TICKET)).as(what)
                .isInstanceOf(JsonPages.MalformedPageException.class).hasMessageContaining(message);
    }

    @Test
    void aTimeBasedPageWithItemsNeedsAnEndTime() {
        assertThatThrownBy(() -> ExportPage.parse(bytes("{\"organizations\":[{\"id\":1}],\"end_of_stream\":true}"),
                ZendeskObject.ORGANIZATION)).hasMessage("a time-based page with items has no end_time");
    }
}
