package io.syncline.connect.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class EventCollectorTest {

    private static ListPage.Item event(String id, long created) {
        return new ListPage.Item(id, "event", created, ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8),
                "ch_" + id, "charge");
    }

    /** Events as the API lists them: newest first (created descending; within a second, later first). */
    private static List<ListPage.Item> newestFirst(List<ListPage.Item> oldestFirst) {
        List<ListPage.Item> out = new ArrayList<>(oldestFirst);
        java.util.Collections.reverse(out);
        return out;
    }

    private static List<String> ids(List<EventCollector.Emitted> emitted) {
        return emitted.stream().map(e -> e.event().id()).toList();
    }

    @Test
    void deliversOldestFirstWithTheCursorAfterEachEvent() {
        EventCollector c = new EventCollector(EventCursor.startOf(100), 1000);
        newestFirst(List.of(event("a", 100), event("b", 100), event("c", 101), event("d", 103))).forEach(c::offer);

        List<EventCollector.Emitted> out = c.emit();

        assertThat(ids(out)).containsExactly("a", "b", "c", "d");
        assertThat(out).extracting(EventCollector.Emitted::after).containsExactly(
                new EventCursor(100, List.of("a")),
                new EventCursor(100, List.of("a", "b")),
                new EventCursor(101, List.of("c")),
                new EventCursor(103, List.of("d")));
        assertThat(c.truncated()).isFalse();
    }

    @Test
    void skipsEventsAlreadyDeliveredInTheCursorSecondAndNothingElse() {
        EventCursor resumed = new EventCursor(100, List.of("a", "b"));
        EventCollector c = new EventCollector(resumed, 1000);
        // A reading from created[gte]=100 lists a and b again, plus c that arrived later in the same second.
        newestFirst(List.of(event("a", 100), event("b", 100), event("c", 100), event("d", 101))).forEach(c::offer);

        List<EventCollector.Emitted> out = c.emit();

        assertThat(ids(out)).containsExactly("c", "d");
        assertThat(out.get(0).after()).isEqualTo(new EventCursor(100, List.of("a", "b", "c")));
        assertThat(out.get(1).after()).isEqualTo(new EventCursor(101, List.of("d")));
    }

    @Test
    void readingTheSameSecondAgainDeliversNothingAndLeavesTheCursor() {
        EventCursor cursor = new EventCursor(100, List.of("a", "b"));
        EventCollector c = new EventCollector(cursor, 1000);
        newestFirst(List.of(event("a", 100), event("b", 100))).forEach(c::offer);
        assertThat(c.emit()).isEmpty();
        assertThat(c.truncated()).isFalse();
    }

    @Test
    void manyEventsInOneSecondAreReadInChunksWithoutLossRepeatOrEndlessLoop() {
        List<ListPage.Item> all = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            all.add(event(String.format("e%04d", i), 500));
        }
        all.add(event("late", 501));

        EventCursor cursor = EventCursor.startOf(500);
        List<String> delivered = new ArrayList<>();
        int readings = 0;
        boolean more = true;
        while (more) {
            readings++;
            assertThat(readings).as("readings needed").isLessThan(10);
            EventCollector c = new EventCollector(cursor, 1000);
            newestFirst(all).forEach(c::offer);
            List<EventCollector.Emitted> out = c.emit();
            delivered.addAll(ids(out));
            if (!out.isEmpty()) {
                cursor = out.get(out.size() - 1).after();
            }
            more = c.truncated();
        }
        assertThat(readings).isEqualTo(3);
        assertThat(delivered).hasSize(2_501).doesNotHaveDuplicates();
        assertThat(delivered).containsExactlyElementsOf(all.stream().map(ListPage.Item::id).toList());
        assertThat(cursor).isEqualTo(new EventCursor(501, List.of("late")));
    }

    @Test
    void keepsTheOldestEventsAndLeavesBoundariesForTheNextWindows() {
        List<ListPage.Item> all = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            all.add(event("e" + i, 1000 + i));
        }
        EventCollector c = new EventCollector(EventCursor.startOf(1000), 10);
        newestFirst(all).forEach(c::offer);

        assertThat(c.truncated()).isTrue();
        assertThat(ids(c.emit())).containsExactly("e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9");
        // Every 10th new event from the newest end: e15 (10th), e5 (20th).
        assertThat(c.boundaries()).containsExactly(1005L, 1015L);
    }

    @Test
    void anEventListedTwiceIsDeliveredOnceAndCounted() {
        EventCollector c = new EventCollector(EventCursor.startOf(100), 1000);
        c.offer(event("b", 101));
        c.offer(event("a", 100));
        c.offer(event("a", 100));
        assertThat(ids(c.emit())).containsExactly("a", "b");
        assertThat(c.repeated()).isEqualTo(1);
    }

    @Test
    void cursorsOfABurstShareTheirIdsButEachSeesOnlyItsPrefix() {
        EventCollector c = new EventCollector(new EventCursor(7, List.of("x")), 1000);
        newestFirst(List.of(event("x", 7), event("y", 7), event("z", 7))).forEach(c::offer);
        List<EventCollector.Emitted> out = c.emit();
        assertThat(out.get(0).after().seen()).containsExactly("x", "y");
        assertThat(out.get(1).after().seen()).containsExactly("x", "y", "z");
    }
}
