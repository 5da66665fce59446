package io.syncline.normalizer.identity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.syncline.normalizer.stream.IdentityTopology;
import io.syncline.registry.serde.AvroSerdeConfig;
import io.syncline.registry.serde.KafkaAvroDeserializer;
import io.syncline.schemas.CanonicalSchemas;
import io.syncline.schemas.identity.Person;
import io.syncline.schemas.identity.PersonMember;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Finds a person by e-mail, person id or canonical id of one of its records, by scanning the compacted
 * {@code canonical.identity.person.v1} from its beginning (what {@code syncline person} does). A scan needs nothing
 * but Kafka and the registry, works against any cluster and any normalizer instance, and reads the committed state;
 * it costs one pass over the topic, which compaction keeps at about one record per person.
 */
public final class PersonLookup {

    /**
     * What a lookup found.
     *
     * @param person the person (after following {@code merged_into} to the survivor)
     * @param matchedBy how the query matched: {@code person id}, {@code merged person id}, {@code canonical id} or
     *     {@code e-mail}
     * @param mergedFrom the person id the query named when it was merged into {@code person}; null otherwise
     */
    public record Found(Person person, String matchedBy, String mergedFrom) {
    }

    private PersonLookup() {
    }

    /** Every person on the topic as compaction keeps it: the latest record per key, tombstoned keys left out. */
    public static Map<String, Person> scan(String bootstrapServers, String registryUrl, Duration timeout) {
        String topic = IdentityTopology.PERSON_TOPIC;
        CanonicalSchemas.trustGeneratedClasses();
        Map<String, Person> out = new LinkedHashMap<>();
        try (KafkaAvroDeserializer values = new KafkaAvroDeserializer();
             KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                     ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                     ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                     new ByteArrayDeserializer())) {
            values.configure(Map.of("schema.registry.url", registryUrl,
                    AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist on Kafka at " + bootstrapServers
                        + ": identity resolution has not run there (docs/identity.md)");
            }
            List<TopicPartition> parts = new ArrayList<>();
            infos.forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " from " + bootstrapServers
                            + " took longer than " + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        out.remove(r.key());
                    } else {
                        out.put(r.key(), (Person) values.deserialize(topic, r.value()));
                    }
                }
            }
        }
        return out;
    }

    /**
     * The person {@code query} names among {@code persons}: a person id ({@code person:…}, a merged one leads to the
     * survivor), an e-mail (matched like identity resolution matches, by case and whitespace, against the members'
     * e-mails), or the canonical id of one of its records ({@code hubspot:51}).
     */
    public static Optional<Found> find(Map<String, Person> persons, String query) {
        String q = query == null ? "" : query.trim();
        if (q.isEmpty()) {
            return Optional.empty();
        }
        if (q.startsWith("person:")) {
            Person p = persons.get(q);
            if (p == null) {
                return Optional.empty();
            }
            if (p.getMergedInto() == null) {
                return Optional.of(new Found(p, "person id", null));
            }
            Person survivor = p;
            for (int hops = 0; survivor != null && survivor.getMergedInto() != null && hops < 32; hops++) {
                survivor = persons.get(survivor.getMergedInto());
            }
            return Optional.ofNullable(survivor).map(s -> new Found(s, "merged person id", q));
        }
        Map<String, Person> byMember = new HashMap<>();
        Map<String, Person> byEmail = new HashMap<>();
        for (Person p : persons.values()) {
            if (p.getMergedInto() != null) {
                continue;
            }
            for (PersonMember m : p.getMembers()) {
                byMember.put(m.getId(), p);
                if (m.getEmail() != null) {
                    byEmail.putIfAbsent(m.getEmail().trim().toLowerCase(Locale.ROOT), p);
                }
                if (m.getMatchedEmail() != null) {
                    byEmail.putIfAbsent(m.getMatchedEmail(), p);
                }
            }
        }
        if (q.contains("@")) {
            return Optional.ofNullable(byEmail.get(q.toLowerCase(Locale.ROOT))).map(p -> new Found(p, "e-mail", null));
        }
        return Optional.ofNullable(byMember.get(q)).map(p -> new Found(p, "canonical id", null));
    }
}
