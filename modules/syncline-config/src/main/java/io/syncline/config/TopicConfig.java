package io.syncline.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * One entry of the {@code topics:} section: a Kafka topic {@code syncline plan}/{@code apply} keep as declared. The
 * topics the pipeline needs anyway (raw, canonical and dead-letter topics) are planned without an entry; an entry for
 * one of them overrides its partitions and adds or overrides its settings.
 *
 * @param name the topic
 * @param partitions partitions; null: the normalizer's {@code partitions} (default 12). Partitions can only grow
 * @param replicationFactor replicas of each partition at creation; null: the broker's default. Not changed afterwards
 * @param config topic settings ({@code retention.ms}, {@code cleanup.policy}, ...), as strings
 */
public record TopicConfig(
        @JsonPropertyDescription("Topic name: letters, digits, '.', '_' and '-', at most 249 characters.")
        String name,
        @JsonPropertyDescription("Partitions (default: normalizer.partitions). Kafka partitions can only grow.")
        Integer partitions,
        @JsonPropertyDescription("Replication factor at creation (default: the broker's default.replication.factor).")
        Integer replicationFactor,
        @JsonPropertyDescription("Topic settings such as retention.ms or cleanup.policy, values as strings.")
        Map<String, String> config) implements Validatable {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    public TopicConfig {
        name = name == null ? "" : name.trim();
        config = config == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(config));
    }

    @Override
    public void validate(Problems problems, String path) {
        problems.require(NAME.matcher(name).matches() && !name.equals(".") && !name.equals(".."),
                Problems.child(path, "name"), "expected a Kafka topic name of letters, digits, '.', '_' and '-' (at "
                        + "most 249), got \"" + name + "\"");
        if (partitions != null) {
            problems.require(partitions >= 1 && partitions <= 10_000, Problems.child(path, "partitions"),
                    "expected between 1 and 10000, got " + partitions);
        }
        if (replicationFactor != null) {
            problems.require(replicationFactor >= 1 && replicationFactor <= 32,
                    Problems.child(path, "replication-factor"), "expected between 1 and 32, got " + replicationFactor);
        }
        for (Map.Entry<String, String> e : config.entrySet()) {
            problems.require(e.getValue() != null && !e.getValue().isBlank(),
                    Problems.child(Problems.child(path, "config"), e.getKey()),
                    "expected a value; leave the key out to keep the broker's default");
        }
    }
}
