package io.syncline.normalizer.stream;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import io.syncline.config.IdentityConfig;
import io.syncline.registry.client.InMemorySchemaRegistryClient;
import io.syncline.registry.serde.KafkaAvroDeserializer;
import io.syncline.registry.serde.KafkaAvroSerializer;
import io.syncline.schemas.CanonicalSchemas;
import io.syncline.schemas.common.ChangeMetadata;
import io.syncline.schemas.common.Operation;
import io.syncline.schemas.crm.Contact;
import io.syncline.schemas.finance.Customer;
import io.syncline.schemas.identity.Person;
import io.syncline.schemas.identity.PersonLink;
import io.syncline.schemas.support.SupportUser;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Identity resolution alone on a {@link TopologyTestDriver}: canonical customers, contacts and support users piped in
 * as the normalizer writes them (registry wire format, in-memory registry), persons and links read back.
 */
final class IdentityDriver implements AutoCloseable {

    static final String CUSTOMERS = CanonicalSchemas.entity(Customer.class).topic();
    static final String CONTACTS = CanonicalSchemas.entity(Contact.class).topic();
    static final String USERS = CanonicalSchemas.entity(SupportUser.class).topic();
    static final String DLQ = "dlq.normalizer";

    /** A record read back: key and decoded value (null for a tombstone). */
    record Out<T>(String key, T value) {
    }

    private final String scope = "identity-" + UUID.randomUUID();
    private final TopologyTestDriver driver;
    private final KafkaAvroSerializer serializer = new KafkaAvroSerializer();
    private final KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
    private final NormalizerMetrics metrics = NormalizerMetrics.inMemory();
    /** The latest person per id, over everything read so far. */
    private final Map<String, Person> persons = new LinkedHashMap<>();
    private final Map<String, String> links = new LinkedHashMap<>();
    private Instant clock = Instant.parse("2026-12-01T10:00:00Z");
    private int events;

    IdentityDriver(Path stateDir, IdentityConfig rules) {
        Map<String, Object> serde = Map.of("schema.registry.url", "mock://" + scope, "auto.register.schemas", true);
        StreamsBuilder builder = new StreamsBuilder();
        IdentityTopology.addTo(builder, IdentityTopology.Settings.canonical(rules, serde, DLQ, metrics));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "identity-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(builder.build(), props);
        serializer.configure(serde, false);
        deserializer.configure(Map.of("schema.registry.url", "mock://" + scope, "specific.avro.reader", true), false);
    }

    NormalizerMetrics metrics() {
        return metrics;
    }

    ChangeMetadata meta(String system, String type, String id, Operation op) {
        clock = clock.plusSeconds(1);
        events++;
        return ChangeMetadata.newBuilder().setSourceSystem(system).setSourceObjectType(type).setSourceId(id)
                .setOperation(op).setSourceUpdatedAt(clock).setIngestedAt(clock).setEventId("evt_" + events).build();
    }

    void customer(String system, String id, String email, String name) {
        pipe(CUSTOMERS, system + ":" + id, Customer.newBuilder().setId(system + ":" + id)
                .setMetadata(meta(system, "customer", id, Operation.UPSERT)).setEmail(email).setName(name).build());
    }

    void contact(String id, String email, String first, String mergedIds) {
        Contact.Builder c = Contact.newBuilder().setId("hubspot:" + id)
                .setMetadata(meta("hubspot", "contact", id, Operation.UPSERT)).setEmail(email).setFirstName(first);
        if (mergedIds != null) {
            c.setProperties(Map.of("hs_merged_object_ids", mergedIds));
        }
        pipe(CONTACTS, "hubspot:" + id, c.build());
    }

    void user(String id, String email, String name) {
        pipe(USERS, "zendesk:" + id, SupportUser.newBuilder().setId("zendesk:" + id)
                .setMetadata(meta("zendesk", "user", id, Operation.UPSERT)).setEmail(email).setName(name).build());
    }

    void deleteContact(String id) {
        pipe(CONTACTS, "hubspot:" + id, Contact.newBuilder().setId("hubspot:" + id)
                .setMetadata(meta("hubspot", "contact", id, Operation.DELETE)).build());
        pipeBytes(CONTACTS, "hubspot:" + id, null);
    }

    void deleteCustomer(String system, String id) {
        pipe(CUSTOMERS, system + ":" + id, Customer.newBuilder().setId(system + ":" + id)
                .setMetadata(meta(system, "customer", id, Operation.DELETE)).build());
        pipeBytes(CUSTOMERS, system + ":" + id, null);
    }

    void pipe(String topic, String key, Object value) {
        pipeBytes(topic, key, serializer.serialize(topic, value));
    }

    void pipeBytes(String topic, String key, byte[] value) {
        driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer())
                .pipeInput(new TestRecord<>(key, value, clock));
    }

    /** Person records written since the last call (tombstones as null values). */
    List<Out<Person>> personRecords() {
        List<Out<Person>> out = new ArrayList<>();
        for (TestRecord<String, byte[]> r : output(IdentityTopology.PERSON_TOPIC)) {
            Person p = r.value() == null ? null : (Person) deserializer.deserialize(IdentityTopology.PERSON_TOPIC,
                    r.value());
            out.add(new Out<>(r.key(), p));
            if (p == null) {
                persons.remove(r.key());
            } else {
                persons.put(r.key(), p);
            }
        }
        return out;
    }

    /** Link records written since the last call. */
    List<Out<PersonLink>> linkRecords() {
        List<Out<PersonLink>> out = new ArrayList<>();
        for (TestRecord<String, byte[]> r : output(IdentityTopology.LINK_TOPIC)) {
            PersonLink l = r.value() == null ? null : (PersonLink) deserializer.deserialize(
                    IdentityTopology.LINK_TOPIC, r.value());
            out.add(new Out<>(r.key(), l));
            if (l == null) {
                links.remove(r.key());
            } else {
                links.put(r.key(), l.getPersonId());
            }
        }
        return out;
    }

    /** The topics as a compacted reader sees them: live persons (not merged away) after reading everything. */
    List<Person> livePersons() {
        personRecords();
        return persons.values().stream().filter(p -> p.getMergedInto() == null).toList();
    }

    /** Every person as compaction keeps it, merged ones included. */
    Map<String, Person> allPersons() {
        personRecords();
        return persons;
    }

    /** Canonical id → person id as compaction keeps it. */
    Map<String, String> links() {
        linkRecords();
        return links;
    }

    List<TestRecord<String, byte[]>> deadLetters() {
        return output(DLQ);
    }

    private List<TestRecord<String, byte[]>> output(String topic) {
        TestOutputTopic<String, byte[]> out = driver.createOutputTopic(topic, new StringDeserializer(),
                new ByteArrayDeserializer());
        return out.readRecordsToList();
    }

    @Override
    public void close() {
        driver.close();
        serializer.close();
        deserializer.close();
        InMemorySchemaRegistryClient.dropScope(scope);
    }
}
