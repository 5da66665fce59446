package io.syncline.normalizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import io.syncline.normalizer.ItSupport.Read;
import io.syncline.normalizer.stream.IdentityTopology;
import io.syncline.registry.serde.KafkaAvroSerializer;
import io.syncline.schemas.common.ChangeMetadata;
import io.syncline.schemas.common.Operation;
import io.syncline.schemas.crm.Contact;
import io.syncline.schemas.finance.Customer;
import io.syncline.schemas.support.SupportUser;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Identity resolution inside the running normalizer, on the embedded broker with the real registry over HTTP:
 * canonical customers, contacts and support users produced as the normalizer (and the support mapping) write them,
 * persons and links read back through the registry, as an analyst's consumer would.
 */
class IdentityIT extends WithBrokerAndRegistry {

    private Instant clock = Instant.parse("2026-12-01T10:00:00Z");
    private int events;

    private ChangeMetadata meta(String system, String type, String id, Operation op) {
        clock = clock.plusSeconds(1);
        events++;
        return ChangeMetadata.newBuilder().setSourceSystem(system).setSourceObjectType(type).setSourceId(id)
                .setOperation(op).setSourceUpdatedAt(clock).setIngestedAt(clock).setEventId("evt_" + events).build();
    }

    @Test
    void aCustomerAContactInOtherCaseAndASupportUserBecomeOnePersonAndACrmMergeJoinsTwoPersons() throws Exception {
        NormalizerSettings settings = NormalizerSettings.defaults(broker.bootstrapServers(), registry.url(),
                ItSupport.copyMappings(dir.resolve("mappings")), dir.resolve("state")).withPartitions(3);
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(Map.of("schema.registry.url", registry.url(), "auto.register.schemas", true), false);
        try (Normalizer normalizer = Normalizer.create(settings).start();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                     broker.bootstrapServers(), "acks", "all", "enable.idempotence", true), new StringSerializer(),
                     new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            assertThat(normalizer.identityRuns()).isTrue();
            assertThat(normalizer.awaitRunning(Duration.ofSeconds(60))).isTrue();
            String customers = "canonical.finance.customer.v1";
            String contacts = "canonical.crm.contact.v1";
            String users = "canonical.support.support-user.v1";

            // One person in three systems, the e-mail in three spellings.
            send(producer, serializer, customers, "stripe:cus_1", Customer.newBuilder().setId("stripe:cus_1")
                    .setMetadata(meta("stripe", "customer", "cus_1", Operation.UPSERT))
                    .setEmail("Ada@Example.com").setName("Ada Lovelace").build());
            send(producer, serializer, contacts, "hubspot:51", Contact.newBuilder().setId("hubspot:51")
                    .setMetadata(meta("hubspot", "contact", "51", Operation.UPSERT))
                    .setEmail("ada@EXAMPLE.com ").setFirstName("Ada").build());
            send(producer, serializer, users, "zendesk:9873843", SupportUser.newBuilder().setId("zendesk:9873843")
                    .setMetadata(meta("zendesk", "user", "9873843", Operation.UPSERT))
                    .setEmail(" ADA@example.com").setName("Ada L.").build());
            // Two CRM contacts, two persons, until HubSpot merges them into a new contact.
            send(producer, serializer, contacts, "hubspot:100", Contact.newBuilder().setId("hubspot:100")
                    .setMetadata(meta("hubspot", "contact", "100", Operation.UPSERT))
                    .setEmail("grace@example.com").setFirstName("Grace").build());
            send(producer, serializer, contacts, "hubspot:200", Contact.newBuilder().setId("hubspot:200")
                    .setMetadata(meta("hubspot", "contact", "200", Operation.UPSERT))
                    .setEmail("g.hopper@example.com").setFirstName("G.").build());

            Map<String, String> links = await().atMost(Duration.ofSeconds(60)).until(this::links,
                    l -> l.keySet().containsAll(List.of("stripe:cus_1", "hubspot:51", "zendesk:9873843",
                            "hubspot:100", "hubspot:200")));
            assertThat(List.of(links.get("hubspot:51"), links.get("zendesk:9873843")))
                    .containsOnly(links.get("stripe:cus_1"));
            String ada = links.get("stripe:cus_1");
            String grace = links.get("hubspot:100");
            String hopper = links.get("hubspot:200");
            assertThat(List.of(ada, grace, hopper)).doesNotHaveDuplicates();

            send(producer, serializer, contacts, "hubspot:300", Contact.newBuilder().setId("hubspot:300")
                    .setMetadata(meta("hubspot", "contact", "300", Operation.UPSERT))
                    .setEmail("grace@example.com").setFirstName("Grace")
                    .setProperties(Map.of("hs_merged_object_ids", "100;200")).build());
            for (String gone : List.of("100", "200")) {
                send(producer, serializer, contacts, "hubspot:" + gone, Contact.newBuilder().setId("hubspot:" + gone)
                        .setMetadata(meta("hubspot", "contact", gone, Operation.DELETE)).build());
            }

            Map<String, GenericRecord> persons = await().atMost(Duration.ofSeconds(60)).until(this::persons,
                    p -> p.containsKey(hopper) && p.get(hopper) != null && p.get(hopper).get("merged_into") != null
                            && members(p.get(grace)).size() == 1);
            assertThat(persons.get(hopper).get("merged_into")).hasToString(grace);
            assertThat(members(persons.get(grace))).containsExactly("hubspot:300");
            assertThat(members(persons.get(ada))).containsExactly("hubspot:51", "stripe:cus_1", "zendesk:9873843");
            assertThat((List<?>) persons.get(ada).get("emails")).extracting(Object::toString)
                    .containsExactly("ada@example.com");
            Map<String, String> after = links();
            assertThat(after).containsEntry("hubspot:300", grace).doesNotContainKeys("hubspot:100", "hubspot:200");
            assertThat(persons.values().stream().filter(p -> p != null && p.get("merged_into") == null)).hasSize(2);

            // What `syncline person` does: a compacted scan of the person topic, then a match.
            Map<String, io.syncline.schemas.identity.Person> scanned = io.syncline.normalizer.identity.PersonLookup
                    .scan(broker.bootstrapServers(), registry.url(), Duration.ofSeconds(30));
            assertThat(io.syncline.normalizer.identity.PersonLookup.find(scanned, "ADA@example.com"))
                    .hasValueSatisfying(f -> assertThat(f.person().getId()).isEqualTo(ada));
            assertThat(io.syncline.normalizer.identity.PersonLookup.find(scanned, hopper))
                    .hasValueSatisfying(f -> assertThat(f.person().getId()).isEqualTo(grace));

            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
                for (String topic : List.of(IdentityTopology.PERSON_TOPIC, IdentityTopology.LINK_TOPIC)) {
                    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                    Config config = admin.describeConfigs(Set.of(r)).all().get().get(r);
                    assertThat(config.get("cleanup.policy").value()).as(topic).isEqualTo("compact,delete");
                }
            }
        } finally {
            serializer.close();
        }
    }

    private static List<String> members(GenericRecord person) {
        return ((List<?>) person.get("members")).stream().map(m -> ((GenericRecord) m).get("id").toString())
                .toList();
    }

    /** Canonical id → person id, as a compacted read of the link topic sees it. */
    private Map<String, String> links() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Read r : ItSupport.readToEnd(broker.bootstrapServers(), registry.url(), IdentityTopology.LINK_TOPIC)) {
            if (r.value() == null) {
                out.remove(r.key());
            } else {
                out.put(r.key(), r.value().get("person_id").toString());
            }
        }
        return out;
    }

    /** Person id → latest person record (null after a tombstone). */
    private Map<String, GenericRecord> persons() {
        Map<String, GenericRecord> out = new LinkedHashMap<>();
        for (Read r : ItSupport.readToEnd(broker.bootstrapServers(), registry.url(), IdentityTopology.PERSON_TOPIC)) {
            out.put(r.key(), r.value());
        }
        return out;
    }

    private static void send(KafkaProducer<String, byte[]> producer, KafkaAvroSerializer serializer, String topic,
            String key, Object value) throws ExecutionException, InterruptedException {
        producer.send(new ProducerRecord<>(topic, key, serializer.serialize(topic, value))).get();
    }
}
