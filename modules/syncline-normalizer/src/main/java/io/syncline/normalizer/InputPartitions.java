package io.syncline.normalizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import io.syncline.normalizer.stream.NormalizerTopology;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * The partition counts of the topics the normalizer reads, checked against its state changelogs.
 *
 * <p>Why this exists: the normalizer subscribes to every {@code raw.*} topic by pattern, all in one Kafka Streams
 * sub-topology. Streams makes as many tasks as the input topic with the most partitions has, and gives each state
 * store's changelog that many partitions when it first creates it. A changelog's partition count can never change
 * afterwards, so when an input topic with more partitions appears, the group leader's assignment fails validating the
 * existing changelog ("Existing internal topic ... has invalid partitions") and every instance stops. A topic with
 * fewer partitions is harmless (its partitions map to the first tasks). Nothing in Streams lets one member keep
 * working while one input topic is excluded: the pattern is fixed when the topology is built. So the writers of raw
 * topics create them with the count the existing ones have ({@link #forNewTopic}), and the normalizer and
 * {@code syncline plan} name the offending topic, its count, the expected one and the fix ({@link #check}).
 */
public final class InputPartitions {

    private InputPartitions() {
    }

    /** An input topic with more partitions than the normalizer's changelogs. */
    public record TooMany(String topic, int partitions) {
    }

    /**
     * The result of comparing the input topics with the changelog.
     *
     * @param applicationId the normalizer's Kafka Streams application id
     * @param changelog the changelog the counts are compared with
     * @param expected its partition count: what every input topic may have at most
     * @param tooMany the input topics with more, by name
     */
    public record Check(String applicationId, String changelog, int expected, List<TooMany> tooMany) {

        public boolean ok() {
            return tooMany.isEmpty();
        }

        /** What is wrong and what to do, naming every offending topic; empty when nothing is. */
        public String problem() {
            if (ok()) {
                return "";
            }
            StringBuilder b = new StringBuilder();
            for (TooMany t : tooMany) {
                b.append(b.length() == 0 ? "" : "; ").append("raw topic ").append(t.topic()).append(" has ")
                        .append(t.partitions()).append(" partitions");
            }
            b.append(", more than the ").append(expected).append(" of the normalizer's state changelog ")
                    .append(changelog).append(" (every input topic may have at most ").append(expected)
                    .append("): Kafka Streams cannot change a changelog's partition count, so every normalizer ")
                    .append("instance stops at its next rebalance. Fix: delete ");
            b.append(String.join(", ", tooMany.stream().map(TooMany::topic).toList()));
            b.append(" and create it again with ").append(expected).append(" partitions (kafka-topics.sh --delete, ")
                    .append("then --create --partitions ").append(expected).append(", or `syncline apply`, which ")
                    .append("creates raw topics with the count the existing ones have); or, to grow, give every raw ")
                    .append("topic the same larger count, stop every normalizer and reset application ")
                    .append(applicationId).append(" (kafka-streams-application-reset.sh --application-id ")
                    .append(applicationId).append(") so that its changelogs are created again");
            return b.toString();
        }
    }

    /** The changelog of the newest-version store, which every configuration of the normalizer has. */
    public static String changelog(String applicationId) {
        return applicationId + "-" + NormalizerTopology.VERSIONS_STORE + "-changelog";
    }

    /** The partition count of every existing topic {@code pattern} matches, by name. */
    public static Map<String, Integer> counts(Admin admin, Pattern pattern) {
        try {
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> inputs = names.stream().filter(n -> pattern.matcher(n).matches()).toList();
            Map<String, Integer> counts = new TreeMap<>();
            if (!inputs.isEmpty()) {
                for (TopicDescription d : admin.describeTopics(inputs).allTopicNames().get(30, TimeUnit.SECONDS)
                        .values()) {
                    counts.put(d.name(), d.partitions().size());
                }
            }
            return counts;
        } catch (ExecutionException e) {
            throw new IllegalStateException("describing the normalizer's input topics (" + pattern + "): "
                    + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("describing the normalizer's input topics (" + pattern + "): no answer "
                    + "within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing the normalizer's input topics", e);
        }
    }

    /**
     * The partition count a new raw topic gets: the most an existing one has, so that it never exceeds what the
     * normalizer's changelogs were created with; {@code fallback} (the configured count) when there is none yet.
     */
    public static int forNewTopic(Map<String, Integer> existing, int fallback) {
        return existing.values().stream().mapToInt(Integer::intValue).max().orElse(fallback);
    }

    /**
     * Compares the input topics with the changelog of application {@code applicationId}; empty when that changelog
     * does not exist yet (a first start: Streams then creates it with the largest input count, which fits all).
     */
    public static Optional<Check> check(Admin admin, Pattern pattern, String applicationId) {
        String changelog = changelog(applicationId);
        Map<String, Integer> changelogCount = counts(admin, Pattern.compile(Pattern.quote(changelog)));
        if (!changelogCount.containsKey(changelog)) {
            return Optional.empty();
        }
        int expected = changelogCount.get(changelog);
        List<TooMany> tooMany = new ArrayList<>();
        counts(admin, pattern).forEach((topic, n) -> {
            if (n > expected) {
                tooMany.add(new TooMany(topic, n));
            }
        });
        return Optional.of(new Check(applicationId, changelog, expected, List.copyOf(tooMany)));
    }
}
