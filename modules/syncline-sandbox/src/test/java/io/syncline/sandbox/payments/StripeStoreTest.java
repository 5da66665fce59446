package io.syncline.sandbox.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.Json;

class StripeStoreTest {

    private final StripeStore store = new StripeStore();

    private void add(String id, long created) {
        ObjectNode o = Json.object();
        o.put("id", id);
        o.put("created", created);
        store.insert("customer", o);
    }

    private static List<String> ids(StripeStore.Page page) {
        return page.data().stream().map(o -> o.get("id").asText()).toList();
    }

    @Test
    void newestFirstWithTiesInReverseInsertionOrder() {
        add("a", 100);
        add("b", 100);
        add("c", 101);
        add("d", 99);
        StripeStore.Page page = store.page("customer", 10, null, null, StripeStore.CreatedRange.ALL, o -> true);
        assertThat(ids(page)).containsExactly("c", "b", "a", "d");
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void startingAfterNeverSkipsOrRepeatsWhenSameSecondObjectsArriveBetweenPages() {
        for (int i = 0; i < 25; i++) {
            add("o" + i, 500);
        }
        List<String> seen = new ArrayList<>();
        StripeStore.Entry cursor = null;
        int n = 0;
        while (true) {
            StripeStore.Page page = store.page("customer", 7, cursor, null, StripeStore.CreatedRange.ALL, o -> true);
            seen.addAll(ids(page));
            add("late" + n++, 500); // same second as everything else
            if (!page.hasMore()) {
                break;
            }
            cursor = store.find(seen.get(seen.size() - 1));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 24; i >= 0; i--) {
            expected.add("o" + i);
        }
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void endingBeforeReturnsThePageNearestTheCursorStillNewestFirst() {
        for (int i = 0; i < 10; i++) {
            add("o" + i, 100 + i);
        }
        StripeStore.Page page = store.page("customer", 3, null, store.find("o2"), StripeStore.CreatedRange.ALL,
                o -> true);
        assertThat(ids(page)).containsExactly("o5", "o4", "o3");
        assertThat(page.hasMore()).isTrue();
        StripeStore.Page last = store.page("customer", 3, null, store.find("o7"), StripeStore.CreatedRange.ALL,
                o -> true);
        assertThat(ids(last)).containsExactly("o9", "o8");
        assertThat(last.hasMore()).isFalse();
    }

    @Test
    void createdBoundsAndDeletedObjectsAreFilteredButDeletedCursorsStillWork() {
        for (int i = 0; i < 10; i++) {
            add("o" + i, 100 + i);
        }
        StripeStore.Page page = store.page("customer", 10, null, null,
                new StripeStore.CreatedRange(102L, null, null, 106L), o -> true);
        assertThat(ids(page)).containsExactly("o6", "o5", "o4", "o3");
        store.markDeleted(store.find("o5"));
        StripeStore.Page afterDeleted = store.page("customer", 2, store.find("o5"), null,
                StripeStore.CreatedRange.ALL, o -> true);
        assertThat(ids(afterDeleted)).containsExactly("o4", "o3");
        assertThat(ids(store.page("customer", 3, null, null, StripeStore.CreatedRange.ALL, o -> true)))
                .containsExactly("o9", "o8", "o7");
        assertThat(ids(store.page("customer", 3, store.find("o7"), null, StripeStore.CreatedRange.ALL, o -> true)))
                .containsExactly("o6", "o4", "o3");
    }
}
