package io.syncline.connect.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The offset arithmetic of {@link ExportStream}: where a resumed page continues, and what the next request is. */
class ExportStreamTest {

    private static ExportPage.Item item(String id, Long seconds) {
        return new ExportPage.Item(id, "t", seconds, null, ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8),
                null);
    }

    private static ExportPage page(String body, ZendeskObject object) throws Exception {
        return ExportPage.parse(body.getBytes(StandardCharsets.UTF_8), object);
    }

    @Test
    void continuesAfterTheLastDeliveredItemWhereverItMovedAndFromTheStartWhenItIsGone() {
        List<ExportPage.Item> items = List.of(item("1", 1L), item("2", 1L), item("3", 2L), item("4", 3L));
        assertThat(ExportStream.indexAfter(items, 2, "2")).as("where it was").isEqualTo(2);
        // Item 1 changed meanwhile and left the page: item 2 now stands first.
        assertThat(ExportStream.indexAfter(items.subList(1, 4), 2, "2")).as("moved up").isEqualTo(1);
        assertThat(ExportStream.indexAfter(items, 2, "99")).as("gone: deliver the page again").isZero();
        assertThat(ExportStream.indexAfter(items.subList(0, 1), 3, "3")).as("the page got shorter").isZero();
    }

    @Test
    void aCursorPageLeadsToItsAfterCursor() throws Exception {
        ExportPage p = page("{\"tickets\":[{\"id\":1}],\"after_cursor\":\"next\",\"end_of_stream\":false}",
                ZendeskObject.TICKET);
        assertThat(ExportStream.nextRequest(new ExportOffset.Start(0, List.of()), p))
                .isEqualTo(new ExportOffset.Cursor("next"));
        assertThat(ExportStream.nextRequest(new ExportOffset.Cursor("c"), p)).isEqualTo(new ExportOffset.Cursor("next"));
    }

    @Test
    void aTimePageLeadsToItsEndTimeWithTheIdsDeliveredInThatSecond() throws Exception {
        ExportPage p = page("{\"organizations\":[{\"id\":1,\"updated_at\":\"1970-01-01T00:00:10Z\"},"
                + "{\"id\":2,\"updated_at\":\"1970-01-01T00:00:20Z\"},{\"id\":3,\"updated_at\":\"1970-01-01T00:00:20Z\"}],"
                + "\"end_time\":20,\"end_of_stream\":false}", ZendeskObject.ORGANIZATION);
        assertThat(ExportStream.nextRequest(new ExportOffset.Start(5, List.of("0")), p))
                .isEqualTo(new ExportOffset.Start(20, List.of("2", "3")));
        // A page that did not leave its start second keeps what was seen in it before.
        ExportPage same = page("{\"organizations\":[{\"id\":4,\"updated_at\":\"1970-01-01T00:00:20Z\"}],"
                + "\"end_time\":20,\"end_of_stream\":true}", ZendeskObject.ORGANIZATION);
        assertThat(ExportStream.nextRequest(new ExportOffset.Start(20, List.of("2", "3")), same))
                .isEqualTo(new ExportOffset.Start(20, List.of("2", "3", "4")));
        ExportPage empty = page("{\"organizations\":[],\"end_time\":null,\"end_of_stream\":true}",
                ZendeskObject.ORGANIZATION);
        assertThat(ExportStream.nextRequest(new ExportOffset.Start(20, List.of("2")), empty))
                .isEqualTo(new ExportOffset.Start(20, List.of("2")));
    }
}
