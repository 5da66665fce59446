package io.syncline.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.syncline.normalizer.stream.IdentityTopology;
import io.syncline.registry.serde.KafkaAvroDeserializer;
import io.syncline.registry.serde.KafkaAvroSerializer;
import io.syncline.schemas.common.ChangeMetadata;
import io.syncline.schemas.common.Operation;
import io.syncline.schemas.crm.Contact;
import io.syncline.schemas.finance.Customer;
import io.syncline.schemas.identity.Person;
import io.syncline.schemas.identity.PersonLink;
import io.syncline.schemas.identity.PersonMember;
import io.syncline.schemas.support.SupportUser;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Identity resolution on the embedded broker and the registry over HTTP, with the normalizer as a separate JVM killed
 * with SIGKILL twice mid-stream: every person of three records (a customer, a contact with the e-mail in other case,
 * a support user) and every CRM merge still ends as exactly one person, and every person's revisions run 1, 2, 3, …
 * without a gap or a repeat (the revision is state, committed with the output).
 */
class IdentityUnderKillIT extends WithBrokerAndRegistry {

    private static final int PEOPLE = 150;
    private static final int MERGES = 40;
    private static final String APP = "identity-kill-test";
    private static final String CUSTOMERS = "canonical.finance.customer.v1";
    private static final String CONTACTS = "canonical.crm.contact.v1";
    private static final String USERS = "canonical.support.support-user.v1";

    private Instant clock = Instant.parse("2026-12-01T10:00:00Z");
    private int events;

    private ChangeMetadata meta(String system, String type, String id, Operation op) {
        clock = clock.plusMillis(10);
        events++;
        return ChangeMetadata.newBuilder().setSourceSystem(system).setSourceObjectType(type).setSourceId(id)
                .setOperation(op).setSourceUpdatedAt(clock).setIngestedAt(clock).setEventId("evt_" + events).build();
    }

    @Test
    void personsAndMergesEndTheSameAndRevisionsRunWithoutGapAfterTwoSigkills() throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(CUSTOMERS, 4, (short) 1), new NewTopic(CONTACTS, 4, (short) 1),
                    new NewTopic(USERS, 4, (short) 1))).all().get();
        }
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(Map.of("schema.registry.url", registry.url(), "auto.register.schemas", true), false);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                broker.bootstrapServers(), "acks", "all", "enable.idempotence", true, "linger.ms", 5),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < PEOPLE; i++) {
                String email = "person" + i + "@example.com";
                send(producer, serializer, CUSTOMERS, "stripe:cus_" + i, Customer.newBuilder().setId("stripe:cus_" + i)
                        .setMetadata(meta("stripe", "customer", "cus_" + i, Operation.UPSERT))
                        .setEmail(" Person" + i + "@Example.com").build());
                send(producer, serializer, CONTACTS, "hubspot:" + i, Contact.newBuilder().setId("hubspot:" + i)
                        .setMetadata(meta("hubspot", "contact", "" + i, Operation.UPSERT)).setEmail(email).build());
                send(producer, serializer, USERS, "zendesk:" + i, SupportUser.newBuilder().setId("zendesk:" + i)
                        .setMetadata(meta("zendesk", "user", "" + i, Operation.UPSERT))
                        .setEmail(email.toUpperCase()).build());
            }
            for (int j = 0; j < MERGES; j++) {
                int a = 10_000 + j;
                int b = 20_000 + j;
                int merged = 30_000 + j;
                send(producer, serializer, CONTACTS, "hubspot:" + a, Contact.newBuilder().setId("hubspot:" + a)
                        .setMetadata(meta("hubspot", "contact", "" + a, Operation.UPSERT))
                        .setEmail("a" + j + "@merge.test").build());
                send(producer, serializer, CONTACTS, "hubspot:" + b, Contact.newBuilder().setId("hubspot:" + b)
                        .setMetadata(meta("hubspot", "contact", "" + b, Operation.UPSERT))
                        .setEmail("b" + j + "@merge.test").build());
                send(producer, serializer, CONTACTS, "hubspot:" + merged, Contact.newBuilder()
                        .setId("hubspot:" + merged).setMetadata(meta("hubspot", "contact", "" + merged,
                                Operation.UPSERT)).setEmail("a" + j + "@merge.test")
                        .setProperties(Map.of("hs_merged_object_ids", a + ";" + b)).build());
                for (int gone : new int[] {a, b}) {
                    send(producer, serializer, CONTACTS, "hubspot:" + gone, Contact.newBuilder()
                            .setId("hubspot:" + gone).setMetadata(meta("hubspot", "contact", "" + gone,
                                    Operation.DELETE)).build());
                }
            }
            producer.flush();
        } finally {
            serializer.close();
        }

        Path mappings = ItSupport.copyMappings(dir.resolve("mappings"));
        Path log = dir.resolve("normalizer.log");
        KafkaAvroDeserializer values = new KafkaAvroDeserializer();
        values.configure(Map.of("schema.registry.url", registry.url(), "specific.avro.reader", true), false);
        Map<String, List<Person>> persons = new HashMap<>(); // every person record per id, in order (null: tombstone)
        Map<String, String> links = new HashMap<>();
        List<Integer> outputAtKill = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", broker.bootstrapServers(), "isolation.level", "read_committed",
                "enable.auto.commit", false), new StringDeserializer(), new ByteArrayDeserializer())) {
            int[] total = {0};
            Supplier<Integer> poll = () -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.topic().equals(IdentityTopology.PERSON_TOPIC)) {
                        persons.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value() == null ? null
                                : (Person) values.deserialize(r.topic(), r.value()));
                    } else if (r.value() == null) {
                        links.remove(r.key());
                    } else {
                        links.put(r.key(), ((PersonLink) values.deserialize(r.topic(), r.value())).getPersonId());
                    }
                    total[0]++;
                }
                return total[0];
            };
            Process normalizer = startNormalizer(mappings, log);
            try {
                assignWhenCreated(consumer, normalizer, log);
                for (int threshold : new int[] {PEOPLE, PEOPLE * 3}) {
                    awaitOutput(poll, threshold, normalizer, log);
                    normalizer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                    outputAtKill.add(poll.get());
                    normalizer = startNormalizer(mappings, log);
                }
                // One task does all identity work, and after two kills it starts over from its changelogs: wait for
                // the last links before asking for the committed offsets.
                long settle = System.nanoTime() + Duration.ofSeconds(240).toNanos();
                while ((links.size() != PEOPLE * 3 + MERGES || links.containsKey("hubspot:" + (20_000 + MERGES - 1)))
                        && System.nanoTime() < settle && normalizer.isAlive()) {
                    poll.get();
                }
                ItSupport.awaitCommitted(broker.bootstrapServers(), APP, List.of(CUSTOMERS, CONTACTS, USERS,
                        APP + "-" + IdentityTopology.EVIDENCE + "-repartition"));
                Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
                        && System.nanoTime() < deadline) {
                    poll.get();
                }
            } finally {
                normalizer.destroy();
                normalizer.waitFor(60, TimeUnit.SECONDS);
                values.close();
            }
        }

        assertThat(outputAtKill).as("killed twice, each time mid-stream").hasSize(2)
                .allSatisfy(n -> assertThat(n).isLessThan(PEOPLE * 3 * 2));
        List<String> problems = new ArrayList<>();
        Map<String, Person> last = new HashMap<>();
        persons.forEach((id, records) -> {
            List<Long> revisions = records.stream().filter(p -> p != null).map(Person::getRevision).toList();
            for (int r = 0; r < revisions.size(); r++) {
                if (revisions.get(r) != r + 1L) {
                    problems.add(id + ": revisions " + revisions);
                    break;
                }
            }
            Person p = records.get(records.size() - 1);
            if (p != null && p.getMergedInto() == null) {
                last.put(id, p);
            }
        });
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < PEOPLE; i++) {
            String person = links.get("stripe:cus_" + i);
            if (person == null || !person.equals(links.get("hubspot:" + i))
                    || !person.equals(links.get("zendesk:" + i)) || !seen.add(person)) {
                problems.add("person " + i + ": links " + links.get("stripe:cus_" + i) + ", "
                        + links.get("hubspot:" + i) + ", " + links.get("zendesk:" + i));
            } else if (last.get(person) == null || last.get(person).getMembers().stream()
                    .map(PersonMember::getId).toList().size() != 3) {
                problems.add("person " + i + ": " + last.get(person));
            }
        }
        for (int j = 0; j < MERGES; j++) {
            String person = links.get("hubspot:" + (30_000 + j));
            if (person == null || !seen.add(person) || last.get(person) == null
                    || !last.get(person).getMembers().stream().map(PersonMember::getId).toList()
                            .equals(List.of("hubspot:" + (30_000 + j)))) {
                problems.add("merge " + j + ": " + person + " " + (person == null ? null : last.get(person)));
            }
            for (int gone : new int[] {10_000 + j, 20_000 + j}) {
                if (links.containsKey("hubspot:" + gone)) {
                    problems.add("merge " + j + ": hubspot:" + gone + " still linked");
                }
            }
        }
        assertThat(problems).as("persons that are wrong").isEmpty();
        assertThat(last).as("live persons").hasSize(PEOPLE + MERGES);
    }

    private static void send(KafkaProducer<String, byte[]> producer, KafkaAvroSerializer serializer, String topic,
            String key, Object value) {
        producer.send(new ProducerRecord<>(topic, key, serializer.serialize(topic, value)));
    }

    private Process startNormalizer(Path mappings, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                NormalizerProcess.class.getName(), broker.bootstrapServers(), registry.url(), mappings.toString(),
                dir.resolve("state").toString(), APP, "4");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                log.toFile())).start();
    }

    private static void assignWhenCreated(KafkaConsumer<String, byte[]> consumer, Process normalizer, Path log)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline && normalizer.isAlive()) {
            var topics = consumer.listTopics(Duration.ofSeconds(10));
            var a = topics.get(IdentityTopology.PERSON_TOPIC);
            var b = topics.get(IdentityTopology.LINK_TOPIC);
            if (a != null && !a.isEmpty() && b != null && !b.isEmpty()) {
                List<TopicPartition> parts = new ArrayList<>();
                a.forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
                b.forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                return;
            }
        }
        throw new AssertionError("the normalizer did not create the identity topics; its output:\n"
                + Files.readString(log));
    }

    private static void awaitOutput(Supplier<Integer> poll, int count, Process normalizer, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (poll.get() < count) {
            if (!normalizer.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the normalizer " + (normalizer.isAlive() ? "did not reach " + count
                        + " records in time" : "exited with " + normalizer.exitValue()) + "; its output:\n"
                        + Files.readString(log));
            }
        }
    }
}
