package io.syncline.normalizer.stream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.syncline.config.IdentityConfig;
import io.syncline.schemas.CanonicalSchemas;
import io.syncline.schemas.crm.Contact;
import io.syncline.schemas.finance.Customer;
import io.syncline.schemas.identity.Person;
import io.syncline.schemas.identity.PersonLink;
import io.syncline.schemas.support.SupportUser;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;

/**
 * Identity resolution, a sub-topology of the normalizer's Kafka Streams application (docs/identity.md): canonical
 * customers, contacts and support users in; {@code canonical.identity.person.v1} (one record per person) and
 * {@code canonical.identity.person-link.v1} (canonical id → person id) out, all state in stores with changelogs.
 *
 * <pre>
 * canonical.finance.customer.v1 ─┐
 * canonical.crm.contact.v1 ──────┼▶ mark-identity-evidence ─▶ identity-evidence (repartition topic, ONE partition) ─▶ resolve-identities ─┬▶ canonical.identity.person.v1
 * canonical.support.support-user.v1 ┘                                                           stores: identity-members, -index, -persons └▶ canonical.identity.person-link.v1
 * </pre>
 *
 * <p>Why one partition: a person is a connected component of a graph whose edges (a shared e-mail, a configured link,
 * a provider merge) join records with unrelated keys, and a change of one record can merge two persons or split one.
 * Spread over partitions, that is a distributed union-find whose steps would cross tasks through further repartition
 * topics, with intermediate states visible and merges racing each other. With every piece of evidence in one task,
 * each change is resolved against the whole graph in one exactly-once transaction: the stores, the person records
 * and the links move together, a restart redoes exactly that step, and no reader ever sees half a merge. The price
 * is that identity resolution runs in one task, on one thread of one instance; docs/identity.md gives its limit.
 * It never slows the normalizer itself: it is a sub-topology of its own, fed by the canonical topics.
 *
 * <p>{@link NormalizerTopology#build} adds it after the normalizer's (and the customer-activity join's) nodes, so
 * that the normalizer stays sub-topology 0 and its tasks keep their ids and local state when it is turned on or off.
 */
public final class IdentityTopology {

    public static final String CUSTOMERS_SOURCE = "identity-read-customers";
    public static final String CONTACTS_SOURCE = "identity-read-contacts";
    public static final String USERS_SOURCE = "identity-read-support-users";
    public static final String MARK = "mark-identity-evidence";
    /** Name of the repartition step; its topic is {@code <application.id>-identity-evidence-repartition}. */
    public static final String EVIDENCE = "identity-evidence";
    public static final String PROCESSOR = "resolve-identities";
    public static final String SINK = "to-identity-topics";
    /** Per canonical id: what identity resolution knows of the record ({@link IdentityMember}). */
    public static final String MEMBERS_STORE = "identity-members";
    /** Lookups by matched e-mail ({@code e\0<e-mail>\0<id>}) and by merged id ({@code m\0<merged id>\0<id>}). */
    public static final String INDEX_STORE = "identity-index";
    /** Per person id: the last person record written. */
    public static final String PERSONS_STORE = "identity-persons";

    /** Where a record came from, carried through the repartition topic: {@code <topic>:<partition>:<offset>}. */
    static final String ORIGIN_HEADER = "syncline.identity.origin";

    /** The topic of persons: {@code canonical.identity.person.v1}. */
    public static final String PERSON_TOPIC = CanonicalSchemas.entity(Person.class).topic();
    /** The topic of links: {@code canonical.identity.person-link.v1}. */
    public static final String LINK_TOPIC = CanonicalSchemas.entity(PersonLink.class).topic();

    /** The entities identity resolution reads. */
    public static final List<String> ENTITIES = List.of(CanonicalSchemas.entity(Customer.class).name(),
            CanonicalSchemas.entity(Contact.class).name(), CanonicalSchemas.entity(SupportUser.class).name());

    /**
     * What identity resolution needs.
     *
     * @param inputTopics the canonical topics of customers, contacts and support users
     * @param personTopic {@code canonical.identity.person.v1}
     * @param linkTopic {@code canonical.identity.person-link.v1}
     * @param rules plus-addressing and explicit links from syncline.yaml
     * @param serdeConfig the registry serde's configuration
     * @param dlqTopic where a canonical record that cannot be decoded goes
     * @param metrics counters
     */
    public record Settings(List<String> inputTopics, String personTopic, String linkTopic, IdentityConfig rules,
            Map<String, ?> serdeConfig, String dlqTopic, NormalizerMetrics metrics) {

        public Settings {
            inputTopics = List.copyOf(inputTopics);
            Objects.requireNonNull(personTopic, "personTopic");
            Objects.requireNonNull(linkTopic, "linkTopic");
            rules = rules == null ? IdentityConfig.defaults() : rules;
            serdeConfig = Map.copyOf(Objects.requireNonNull(serdeConfig, "serdeConfig"));
            Objects.requireNonNull(dlqTopic, "dlqTopic");
            metrics = metrics == null ? NormalizerMetrics.inMemory() : metrics;
        }

        /** The catalogue's topics. */
        public static Settings canonical(IdentityConfig rules, Map<String, ?> serdeConfig, String dlqTopic,
                NormalizerMetrics metrics) {
            List<String> inputs = new ArrayList<>();
            ENTITIES.forEach(e -> inputs.add(CanonicalSchemas.topic(e)));
            return new Settings(inputs, PERSON_TOPIC, LINK_TOPIC, rules, serdeConfig, dlqTopic, metrics);
        }
    }

    /** A record the resolver writes, with the topic it goes to. */
    record Routed(String topic, byte[] value) {
    }

    private IdentityTopology() {
    }

    /** Adds identity resolution to {@code builder}. */
    public static void addTo(StreamsBuilder builder, Settings settings) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MEMBERS_STORE),
                Serdes.String(), IdentityMember.serde()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(INDEX_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PERSONS_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
        KStream<String, byte[]> evidence = null;
        List<String> names = List.of(CUSTOMERS_SOURCE, CONTACTS_SOURCE, USERS_SOURCE);
        for (int i = 0; i < settings.inputTopics().size(); i++) {
            KStream<String, byte[]> in = builder.stream(settings.inputTopics().get(i),
                    Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(i < names.size() ? names.get(i)
                            : "identity-read-" + i));
            evidence = evidence == null ? in : evidence.merge(in, Named.as(MARK + "-merge-" + i));
        }
        Serde<Routed> routed = Serdes.serdeFrom((topic, r) -> r == null ? null : r.value(), (topic, bytes) -> {
            throw new UnsupportedOperationException("identity output is written, never read back");
        });
        evidence.process(OriginMarker::new, Named.as(MARK))
                .repartition(Repartitioned.<String, byte[]>as(EVIDENCE).withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.ByteArray()).withNumberOfPartitions(1))
                .process(() -> new IdentityProcessor(settings), Named.as(PROCESSOR), MEMBERS_STORE, INDEX_STORE,
                        PERSONS_STORE)
                .to((key, value, context) -> value.topic(), Produced.with(Serdes.String(), routed).withName(SINK));
    }

    /** Notes where each record came from, so that a dead letter names its canonical topic, not the repartition one. */
    private static final class OriginMarker implements Processor<String, byte[], String, byte[]> {
        private ProcessorContext<String, byte[]> context;

        @Override
        public void init(ProcessorContext<String, byte[]> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, byte[]> record) {
            context.recordMetadata().ifPresent(md -> {
                record.headers().remove(ORIGIN_HEADER);
                record.headers().add(ORIGIN_HEADER, (md.topic() + ":" + md.partition() + ":" + md.offset())
                        .getBytes(StandardCharsets.UTF_8));
            });
            context.forward(record);
        }
    }
}
