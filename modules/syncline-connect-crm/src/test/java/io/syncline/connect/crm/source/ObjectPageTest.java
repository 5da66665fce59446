package io.syncline.connect.crm.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.syncline.json.JsonPages;
import io.syncline.json.PathTrie;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ObjectPageTest {

    private static final PathTrie CONTACTS = ObjectPage.paths("lastmodifieddate");

    private static ObjectPage parse(String body) throws JsonPages.MalformedPageException {
        return ObjectPage.parse(body.getBytes(StandardCharsets.UTF_8), CONTACTS);
    }

    @Test
    void eachObjectKeepsItsBytesAsReceivedWithTheFieldsTheSourceNeeds() throws Exception {
        String first = "{\"id\":\"51\",\"properties\":{\"email\":\"ada@example.com\",\"lastmodifieddate\":"
                + "\"2024-05-01T12:00:00.250Z\",\"hs_merged_object_ids\":\"12;34\",\"unknown\":1.50},"
                + "\"createdAt\":\"2024-04-01T08:00:00.000Z\",\"updatedAt\":\"2024-05-01T12:00:00.250Z\","
                + "\"archived\":false}";
        String second = "{ \"id\" : \"52\", \"properties\":{\"email\":null}, \"createdAt\":\"2024-04-02T08:00:00Z\","
                + " \"updatedAt\":\"2024-05-02T12:00:00Z\", \"archived\": true, \"archivedAt\":"
                + "\"2024-05-03T00:00:00Z\" }";
        ObjectPage page = parse("{\"results\":[" + first + ",\n  " + second
                + "],\"paging\":{\"next\":{\"after\":\"53\",\"link\":\"https://x/y?after=53\"}}}");
        assertThat(page.nextAfter()).isEqualTo("53");
        List<ObjectPage.Item> items = page.items();
        assertThat(items).hasSize(2);
        assertThat(new String(items.get(0).json(), StandardCharsets.UTF_8)).isEqualTo(first);
        assertThat(new String(items.get(1).json(), StandardCharsets.UTF_8)).isEqualTo(second);
        ObjectPage.Item a = items.get(0);
        assertThat(a.id()).isEqualTo("51");
        assertThat(a.modifiedAt()).isEqualTo(1_714_564_800_250L);
        assertThat(a.mergedObjectIds()).containsExactly("12", "34");
        assertThat(a.archived()).isFalse();
        assertThat(a.archivedAt()).isEqualTo(-1);
        ObjectPage.Item b = items.get(1);
        assertThat(b.archived()).isTrue();
        assertThat(b.archivedAt()).isEqualTo(1_714_694_400_000L);
        assertThat(b.modifiedAt()).as("no last-modified property: updatedAt").isEqualTo(b.updatedAt());
        assertThat(b.mergedObjectIds()).isEmpty();
    }

    @Test
    void theLastPageHasNoCursorAndAnEmptyPageIsAPage() throws Exception {
        assertThat(parse("{\"total\":0,\"results\":[]}").items()).isEmpty();
        assertThat(parse("{\"total\":0,\"results\":[]}").nextAfter()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "cut short                 | {\"results\":[{\"id\":\"1\",\"upda                    | JsonEOFException",
        "not JSON                  | <html>Bad gateway</html>                              | JsonParseException",
        "no results                | {\"status\":\"error\",\"message\":\"nope\"}           | the page has no results array",
        "results not an array      | {\"results\":{}}                                      | results is not an array",
        "an object without an id   | {\"results\":[{\"updatedAt\":\"2024-01-01T00:00:00Z\"}]} | element 0 of results has no string id",
        "an object without a time  | {\"results\":[{\"id\":\"9\"}]}                        | object 9 has no ISO-8601 updatedAt (got null)",
        "an element that is a list | {\"results\":[[1]]}                                   | element 0 of results is not an object",
        "two documents             | {\"results\":[]} {}                                   | content after the end of the page object",
    })
    void aBodyThatIsNotAHubSpotPageIsMalformedSayingWhy(String what, String body, String message) {
        assertThatThrownBy(() -> parse(body)).as(what).isInstanceOf(JsonPages.MalformedPageException.class)
                .hasMessageContaining(message);
    }

    @Test
    void timesAreIsoInstantsOrEpochMillis() {
        assertThat(ObjectPage.millis("2024-05-01T12:00:00.250Z")).isEqualTo(1_714_564_800_250L);
        assertThat(ObjectPage.millis("1714564800250")).isEqualTo(1_714_564_800_250L);
        assertThat(ObjectPage.millis("yesterday")).isEqualTo(-1);
        assertThat(ObjectPage.millis(null)).isEqualTo(-1);
    }
}
