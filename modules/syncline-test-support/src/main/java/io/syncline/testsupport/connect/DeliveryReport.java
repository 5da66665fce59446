package io.syncline.testsupport.connect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What reached the raw topics compared with what the provider created, by id: which ids are missing, and how many
 * records repeat an event already delivered (same topic and event id).
 *
 * <p>A record counts as delivering its key; several records per key are normal (one per change). A duplicate is a
 * second record with the same {@code eventIdHeader} value on the same topic: the same change delivered twice, which
 * at-least-once delivery allows and the normalizer drops. The report is printed so every run shows its numbers.
 */
public final class DeliveryReport {

    private final int expected;
    private final int received;
    private final Map<String, Set<String>> missing;
    private final Map<String, Integer> duplicatesByTopic;
    private final int withoutEventId;
    private final int withoutKey;

    private DeliveryReport(int expected, int received, Map<String, Set<String>> missing,
                           Map<String, Integer> duplicatesByTopic, int withoutEventId, int withoutKey) {
        this.expected = expected;
        this.received = received;
        this.missing = missing;
        this.duplicatesByTopic = duplicatesByTopic;
        this.withoutEventId = withoutEventId;
        this.withoutKey = withoutKey;
    }

    /**
     * Compares {@code records} with {@code expectedIdsByTopic}.
     *
     * @param eventIdHeader the header that identifies one change, e.g. {@code syncline.event-id}
     */
    public static DeliveryReport of(Map<String, ? extends Collection<String>> expectedIdsByTopic,
                                    Collection<RawRecord> records, String eventIdHeader) {
        Map<String, Set<String>> seenKeys = new HashMap<>();
        Map<String, Set<String>> seenEvents = new HashMap<>();
        Map<String, Integer> duplicates = new TreeMap<>();
        int withoutEventId = 0;
        int withoutKey = 0;
        for (RawRecord r : records) {
            if (r.key() == null) {
                withoutKey++;
            } else {
                seenKeys.computeIfAbsent(r.topic(), t -> new HashSet<>()).add(r.key());
            }
            String eventId = r.header(eventIdHeader);
            if (eventId == null) {
                withoutEventId++;
            } else if (!seenEvents.computeIfAbsent(r.topic(), t -> new HashSet<>()).add(eventId)) {
                duplicates.merge(r.topic(), 1, Integer::sum);
            }
        }
        Map<String, Set<String>> missing = new TreeMap<>();
        int expected = 0;
        for (Map.Entry<String, ? extends Collection<String>> e : expectedIdsByTopic.entrySet()) {
            expected += e.getValue().size();
            Set<String> gone = new TreeSet<>(e.getValue());
            gone.removeAll(seenKeys.getOrDefault(e.getKey(), Set.of()));
            if (!gone.isEmpty()) {
                missing.put(e.getKey(), gone);
            }
        }
        return new DeliveryReport(expected, records.size(), missing, duplicates, withoutEventId, withoutKey);
    }

    /** Ids the provider created, by topic, that no record carries; empty when nothing was lost. */
    public Map<String, Set<String>> missing() {
        return missing;
    }

    public int missingCount() {
        return missing.values().stream().mapToInt(Set::size).sum();
    }

    /** Records repeating an already delivered (topic, event id). */
    public int duplicates() {
        return duplicatesByTopic.values().stream().mapToInt(Integer::intValue).sum();
    }

    public Map<String, Integer> duplicatesByTopic() {
        return duplicatesByTopic;
    }

    /** Expected ids in all topics. */
    public int expected() {
        return expected;
    }

    /** Records read. */
    public int received() {
        return received;
    }

    /** Records without the event-id header (every Syncline raw record must carry one). */
    public int withoutEventId() {
        return withoutEventId;
    }

    /** Records without a key (every Syncline raw record must carry the provider id). */
    public int withoutKey() {
        return withoutKey;
    }

    /** One paragraph: counts, the first missing ids per topic, duplicates per topic. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        s.append("expected ").append(expected).append(" ids, received ").append(received).append(" records; missing ")
                .append(missingCount()).append(", duplicate events ").append(duplicates());
        if (withoutEventId > 0 || withoutKey > 0) {
            s.append(", records without event id ").append(withoutEventId).append(", without key ").append(withoutKey);
        }
        if (!duplicatesByTopic.isEmpty()) {
            s.append("\n  duplicates by topic: ").append(duplicatesByTopic);
        }
        for (Map.Entry<String, Set<String>> e : missing.entrySet()) {
            List<String> first = new ArrayList<>(e.getValue()).subList(0, Math.min(20, e.getValue().size()));
            s.append("\n  missing in ").append(e.getKey()).append(" (").append(e.getValue().size()).append("): ")
                    .append(first).append(e.getValue().size() > first.size() ? " ..." : "");
        }
        return s.toString();
    }

    /** Prints the summary under a title to standard output (the test report keeps it). */
    public DeliveryReport print(String title) {
        System.out.println("[delivery report] " + title + ": " + summary());
        return this;
    }

    @Override
    public String toString() {
        return summary();
    }
}
