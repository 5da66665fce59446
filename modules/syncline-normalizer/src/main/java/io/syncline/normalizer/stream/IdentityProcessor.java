package io.syncline.normalizer.stream;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.syncline.config.IdentityConfig;
import io.syncline.registry.serde.KafkaAvroSerializer;
import io.syncline.schemas.common.ChangeMetadata;
import io.syncline.schemas.common.Operation;
import io.syncline.schemas.crm.Contact;
import io.syncline.schemas.finance.Customer;
import io.syncline.schemas.identity.LinkReason;
import io.syncline.schemas.identity.Person;
import io.syncline.schemas.identity.PersonEvent;
import io.syncline.schemas.identity.PersonEventKind;
import io.syncline.schemas.identity.PersonLink;
import io.syncline.schemas.identity.PersonMember;
import io.syncline.schemas.support.SupportUser;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Resolves each change of a customer, contact or support user against the whole identity graph (docs/identity.md).
 *
 * <p>A person is a connected component of the graph whose nodes are the live canonical records and whose edges are a
 * shared matched e-mail, a link in syncline.yaml and a provider merge. A change updates the record's evidence, then
 * recomputes the components around it: the record's own, and those of the other members of its former person (which
 * may fall apart when the record leaves). Each component then takes a person id: the oldest of the persons its members
 * belonged to that no other component took, else a new one. A person whose members all went to another component was
 * merged into it and is written once more with {@code merged_into}; one left without members is tombstoned. Members
 * of other components get first pick of the ids, so when a record's e-mail changes it is the record that moves, and
 * its old person keeps its id. Everything happens in the task's exactly-once transaction.
 */
final class IdentityProcessor implements Processor<String, byte[], String, IdentityTopology.Routed> {

    static final int HISTORY_LIMIT = 100;
    private static final String SEP = "\u0000";
    private static final StringSerializer KEYS = new StringSerializer();

    private final IdentityTopology.Settings settings;
    private final Map<String, List<String>> configured = new HashMap<>();
    private final boolean stripPlus;
    private ProcessorContext<String, IdentityTopology.Routed> context;
    private KeyValueStore<String, IdentityMember> members;
    private KeyValueStore<String, byte[]> index;
    private KeyValueStore<String, byte[]> persons;
    private CanonicalDecoder decoder;
    private KafkaAvroSerializer serializer;
    /** The timestamp of the record being processed, given to everything it causes. */
    private long timestamp;

    IdentityProcessor(IdentityTopology.Settings settings) {
        this.settings = settings;
        for (List<String> group : settings.rules().links()) {
            for (String id : group) {
                configured.put(id, group);
            }
        }
        this.stripPlus = settings.rules().plusAddressingRule() == IdentityConfig.PlusAddressing.STRIP;
    }

    @Override
    public void init(ProcessorContext<String, IdentityTopology.Routed> context) {
        this.context = context;
        this.members = context.getStateStore(IdentityTopology.MEMBERS_STORE);
        this.index = context.getStateStore(IdentityTopology.INDEX_STORE);
        this.persons = context.getStateStore(IdentityTopology.PERSONS_STORE);
        this.decoder = new CanonicalDecoder(settings.serdeConfig());
        this.serializer = new KafkaAvroSerializer();
        this.serializer.configure(settings.serdeConfig(), false);
    }

    /** What a canonical record says about its identity. */
    private record Evidence(String id, String entity, String system, String email, String name,
            List<String> mergedIds, ChangeMetadata metadata) {
    }

    @Override
    public void process(Record<String, byte[]> record) {
        timestamp = record.timestamp();
        if (record.value() == null) {
            skipped("tombstone"); // follows a DELETE, handled already
            return;
        }
        String[] origin = origin(record);
        if (record.key() == null) {
            deadLetter(record, origin, "a canonical record without a key: its canonical id is unknown");
            return;
        }
        Object decoded;
        try {
            decoded = decoder.decode(origin[0], record.value());
        } catch (SerializationException e) {
            deadLetter(record, origin, e.getMessage());
            return;
        }
        Evidence ev = evidence(record.key(), decoded);
        if (ev == null) {
            deadLetter(record, origin, "expected a canonical finance.Customer, crm.Contact or support.SupportUser, got "
                    + (decoded == null ? "null" : decoded.getClass().getName()));
            return;
        }
        Step step = new Step(ev, origin);
        IdentityMember before = members.get(ev.id());
        if (ev.metadata().getOperation() == Operation.DELETE) {
            if (before == null || before.retired()) {
                skipped("unknown-delete");
                return;
            }
            unindex(before);
            members.put(ev.id(), before.asRetired());
            forward(ev.id(), IdentityTopology.LINK_TOPIC, null);
            step.departure = "deleted in the source";
            step.resolve(activeMembersOf(before.personId()));
            return;
        }
        String matched = normalize(ev.email());
        IdentityMember now = new IdentityMember(ev.id(), ev.entity(), ev.system(), ev.email(), matched, ev.name(),
                ev.mergedIds(), before == null || before.retired() ? null : before.personId(),
                before == null || before.retired() ? List.of() : before.reasons(),
                before == null || before.retired() ? null : before.joinedAt(), false);
        if (now.sameEvidence(before)) {
            skipped("unchanged");
            return;
        }
        if (before != null) {
            unindex(before);
            if (!before.retired() && !Objects.equals(before.matched(), matched)) {
                step.departure = "e-mail changed from " + before.matched() + " to " + matched;
            }
        }
        index(now);
        members.put(ev.id(), now);
        Set<String> seeds = new LinkedHashSet<>();
        seeds.add(ev.id());
        if (before != null && !before.retired()) {
            seeds.addAll(activeMembersOf(before.personId()));
        }
        step.resolve(seeds);
    }

    /** One change being resolved. */
    private final class Step {
        final Evidence ev;
        final String[] origin;
        /** Why the changed record may leave its person (null: its links changed for another reason). */
        String departure;

        Step(Evidence ev, String[] origin) {
            this.ev = ev;
            this.origin = origin;
        }

        void resolve(Set<String> seeds) {
            List<Set<String>> components = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (String s : seeds) {
                if (!seen.contains(s) && active(s) != null) {
                    Set<String> c = component(s);
                    seen.addAll(c);
                    components.add(c);
                }
            }
            // Other components pick first, largest first: a record that changes is the one that moves.
            components.sort(Comparator.<Set<String>, Boolean>comparing(c -> c.contains(ev.id()))
                    .thenComparing(c -> -c.size()).thenComparing(c -> c.iterator().next()));
            Map<String, Person> before = new LinkedHashMap<>();
            Map<String, String> memberPerson = new HashMap<>();
            // Per component, the persons it may continue: its members' persons, and the last persons of records the
            // provider merged into a member and deleted (kept in the store without members, so that a merge whose
            // deletions overtook it still ends under the surviving id).
            List<Set<String>> candidates = new ArrayList<>();
            for (Set<String> c : components) {
                Set<String> mine = new LinkedHashSet<>();
                for (String m : c) {
                    IdentityMember s = members.get(m);
                    memberPerson.put(m, s.personId());
                    if (loadPerson(s.personId(), before)) {
                        mine.add(s.personId());
                    }
                    for (String merged : s.mergedIds()) {
                        IdentityMember gone = members.get(merged);
                        String last = gone != null && gone.retired() ? live(gone.personId()) : null;
                        if (last != null && loadPerson(last, before)) {
                            mine.add(last);
                        }
                    }
                }
                candidates.add(mine);
            }
            IdentityMember changed = members.get(ev.id());
            if (changed != null && changed.personId() != null) {
                loadPerson(changed.personId(), before);
            }
            Set<String> claimed = new LinkedHashSet<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < components.size(); i++) {
                String id = candidates.get(i).stream().filter(p -> !claimed.contains(p))
                        .min(Comparator.comparing((String p) -> created(before.get(p))).thenComparing(p -> p))
                        .orElse(null);
                if (id == null) {
                    id = newPersonId(components.get(i));
                }
                claimed.add(id);
                ids.add(id);
            }
            // Persons no component took: merged into the component they were a candidate of, or emptied.
            Map<String, List<String>> absorbed = new HashMap<>();
            for (Person p : before.values()) {
                if (claimed.contains(p.getId())) {
                    continue;
                }
                int into = -1;
                for (int i = 0; i < components.size() && into < 0; i++) {
                    if (candidates.get(i).contains(p.getId())) {
                        into = i;
                    }
                }
                if (into >= 0) {
                    absorbed.computeIfAbsent(ids.get(into), k -> new ArrayList<>()).add(p.getId());
                    writeMergedInto(p, ids.get(into));
                } else if (!p.getMembers().isEmpty()) {
                    // Kept in the store without members (see above); gone from the topic.
                    persons.put(p.getId(), serializer.serialize(IdentityTopology.PERSON_TOPIC, Person.newBuilder(p)
                            .setMembers(List.of()).setEmails(List.of()).build()));
                    forward(p.getId(), IdentityTopology.PERSON_TOPIC, null);
                    counter("syncline.normalizer.identity.emptied", "persons left without members (tombstoned)")
                            .increment();
                }
            }
            for (int i = 0; i < components.size(); i++) {
                writePerson(ids.get(i), components.get(i), before.get(ids.get(i)),
                        absorbed.getOrDefault(ids.get(i), List.of()), memberPerson);
            }
        }

        /** Loads person {@code id} into {@code into} unless it was merged away; true when it is there. */
        private boolean loadPerson(String id, Map<String, Person> into) {
            if (id != null && !into.containsKey(id)) {
                Person p = person(id);
                if (p != null && p.getMergedInto() == null) {
                    into.put(id, p);
                }
            }
            return id != null && into.containsKey(id);
        }

        private void writePerson(String id, Set<String> component, Person before, List<String> absorbed,
                Map<String, String> memberPerson) {
            ChangeMetadata md = ev.metadata();
            Instant at = md.getIngestedAt();
            List<PersonEvent> history = new ArrayList<>(before == null ? List.of() : before.getHistory());
            Set<String> previous = new TreeSet<>();
            if (before != null) {
                before.getMembers().forEach(m -> previous.add(m.getId()));
            }
            String founder = null;
            if (before == null) {
                founder = component.contains(ev.id()) ? ev.id() : component.iterator().next();
                history.add(event(at, PersonEventKind.CREATED, founder, null, "founded by " + founder));
            }
            for (String q : absorbed) {
                history.add(event(at, PersonEventKind.MERGED, null, q, "person " + q + " is the same person: "
                        + linkWords(ev.id(), component)));
            }
            List<PersonMember> list = new ArrayList<>();
            Set<String> emails = new TreeSet<>();
            String displayName = null;
            long earliest = Long.MAX_VALUE;
            for (String m : new TreeSet<>(component)) {
                IdentityMember s = members.get(m);
                List<String> reasons = reasons(s, component);
                boolean moved = !id.equals(s.personId());
                Long joined = moved || s.joinedAt() == null ? at.toEpochMilli() : s.joinedAt();
                if (!previous.contains(m) && !m.equals(founder)) {
                    String from = memberPerson.get(m);
                    String why = linkWords(m, component);
                    if (from != null && absorbed.contains(from)) {
                        why += " (came with person " + from + ")";
                    }
                    history.add(event(at, PersonEventKind.JOINED, m, from != null && !from.equals(id) ? from : null,
                            why));
                }
                if (moved || !reasons.equals(s.reasons())) {
                    IdentityMember linked = s.withPerson(id, reasons, joined);
                    members.put(m, linked);
                    forward(m, IdentityTopology.LINK_TOPIC, serializer.serialize(IdentityTopology.LINK_TOPIC,
                            PersonLink.newBuilder().setId(m).setMetadata(md).setPersonId(id).setEntity(s.entity())
                                    .setReasons(reasons.stream().map(LinkReason::valueOf).toList()).build()));
                    counter("syncline.normalizer.identity.links", "person links written").increment();
                }
                if (s.matched() != null) {
                    emails.add(s.matched());
                }
                if (s.name() != null && joined < earliest) {
                    earliest = joined;
                    displayName = s.name();
                }
                list.add(PersonMember.newBuilder().setId(m).setEntity(s.entity()).setSystem(s.system())
                        .setEmail(s.email()).setMatchedEmail(s.matched()).setName(s.name())
                        .setReasons(reasons.stream().map(LinkReason::valueOf).toList())
                        .setMergedIds(s.mergedIds()).setJoinedAt(Instant.ofEpochMilli(joined)).build());
            }
            for (String gone : previous) {
                if (!component.contains(gone)) {
                    String why = gone.equals(ev.id()) ? (departure != null ? departure : "its links changed")
                            : "no longer linked after " + ev.id() + " changed"
                                    + (departure != null ? " (" + departure + ")" : "");
                    history.add(event(at, PersonEventKind.LEFT, gone, null, why));
                }
            }
            List<String> merged = new ArrayList<>(before == null ? List.of() : before.getMergedPersonIds());
            merged.addAll(absorbed);
            Person next = Person.newBuilder().setId(id).setMetadata(md)
                    .setRevision(before == null || before.getRevision() == null ? 1L : before.getRevision() + 1)
                    .setDisplayName(displayName).setEmails(new ArrayList<>(emails)).setMembers(list)
                    .setMergedInto(null).setMergedPersonIds(merged)
                    .setCreatedAt(before == null ? at : before.getCreatedAt())
                    .setHistory(trim(history)).build();
            if (before != null && sameContent(before, next)) {
                skipped("person-unchanged");
                return;
            }
            write(next);
        }

        private void writeMergedInto(Person p, String survivor) {
            List<PersonEvent> history = new ArrayList<>(p.getHistory());
            history.add(event(ev.metadata().getIngestedAt(), PersonEventKind.MERGED_INTO, null, survivor,
                    "the same person as " + survivor + ": " + linkWords(ev.id(), null)));
            write(Person.newBuilder(p).setMetadata(ev.metadata()).setRevision(p.getRevision() == null ? 1L : p.getRevision() + 1)
                    .setMembers(List.of()).setEmails(List.of()).setMergedInto(survivor).setHistory(trim(history))
                    .build());
            counter("syncline.normalizer.identity.merged", "persons merged into another").increment();
        }

        private PersonEvent event(Instant at, PersonEventKind kind, String member, String other, String reason) {
            return PersonEvent.newBuilder().setOccurredAt(at).setKind(kind).setMemberId(member)
                    .setOtherPersonId(other).setReason(reason).setCauseId(ev.id())
                    .setEventId(ev.metadata().getEventId()).build();
        }

        private String newPersonId(Set<String> component) {
            // Deterministic for the record that founds it, so a redone step after a crash names it the same.
            String seed = String.join(":", origin) + "/" + ev.id() + "/" + new TreeSet<>(component).first();
            return "person:" + UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Instant created(Person p) {
        return p.getCreatedAt() == null ? Instant.EPOCH : p.getCreatedAt();
    }

    private static List<PersonEvent> trim(List<PersonEvent> history) {
        return history.size() <= HISTORY_LIMIT ? history
                : new ArrayList<>(history.subList(history.size() - HISTORY_LIMIT, history.size()));
    }

    /** Whether a reader would see the same person: everything but the metadata and the revision. */
    static boolean sameContent(Person a, Person b) {
        // Compared as plain lists: Avro's own array equality compares through GenericData, which knows no
        // timestamp-millis conversion; the generated records' equals does.
        return List.copyOf(a.getMembers()).equals(List.copyOf(b.getMembers()))
                && List.copyOf(a.getEmails()).equals(List.copyOf(b.getEmails()))
                && Objects.equals(a.getDisplayName(), b.getDisplayName())
                && Objects.equals(a.getMergedInto(), b.getMergedInto())
                && List.copyOf(a.getMergedPersonIds()).equals(List.copyOf(b.getMergedPersonIds()))
                && List.copyOf(a.getHistory()).equals(List.copyOf(b.getHistory()));
    }

    private void write(Person p) {
        byte[] bytes = serializer.serialize(IdentityTopology.PERSON_TOPIC, p);
        persons.put(p.getId(), bytes);
        forward(p.getId(), IdentityTopology.PERSON_TOPIC, bytes);
        counter("syncline.normalizer.identity.persons", "person records written").increment();
    }

    // ------------------------------------------------------------------ the graph

    /** The connected component of active record {@code start}. */
    private Set<String> component(String start) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(start);
        seen.add(start);
        while (!todo.isEmpty()) {
            for (String n : neighbours(todo.poll()).keySet()) {
                if (seen.add(n)) {
                    todo.add(n);
                }
            }
        }
        return seen;
    }

    /** The active records linked to {@code id} directly, each with every kind of link between them. */
    private Map<String, Set<LinkReason>> neighbours(String id) {
        Map<String, Set<LinkReason>> out = new LinkedHashMap<>();
        IdentityMember s = active(id);
        if (s == null) {
            return out;
        }
        if (s.matched() != null) {
            scan("e" + SEP + s.matched() + SEP).forEach(o -> link(out, o, LinkReason.EMAIL));
        }
        for (String o : configured.getOrDefault(id, List.of())) {
            if (active(o) != null) {
                link(out, o, LinkReason.CONFIG_LINK);
            }
        }
        for (String merged : s.mergedIds()) {
            IdentityMember m = members.get(merged);
            if (m == null) {
                continue;
            }
            if (!m.retired()) {
                link(out, merged, LinkReason.PROVIDER_MERGE);
            } else {
                // Merged away and deleted before the merge reached us: its last person joins through it.
                activeMembersOf(m.personId()).forEach(o -> link(out, o, LinkReason.PROVIDER_MERGE));
            }
        }
        scan("m" + SEP + id + SEP).forEach(o -> {
            if (active(o) != null) {
                link(out, o, LinkReason.PROVIDER_MERGE);
            }
        });
        out.remove(id);
        return out;
    }

    private static void link(Map<String, Set<LinkReason>> out, String other, LinkReason why) {
        out.computeIfAbsent(other, k -> new TreeSet<>()).add(why);
    }

    /** Why {@code m} belongs to its component: the kinds of its links inside it, in a stable order. */
    private List<String> reasons(IdentityMember m, Set<String> component) {
        Set<LinkReason> kinds = new TreeSet<>();
        neighbours(m.id()).forEach((o, r) -> {
            if (component.contains(o)) {
                kinds.addAll(r);
            }
        });
        return kinds.stream().map(Enum::name).toList();
    }

    /** How {@code id} is linked inside {@code component}, in words, for the history. */
    private String linkWords(String id, Set<String> component) {
        List<String> words = new ArrayList<>();
        IdentityMember s = members.get(id);
        neighbours(id).forEach((o, kinds) -> {
            if (component == null || component.contains(o)) {
                for (LinkReason r : kinds) {
                    words.add(switch (r) {
                        case EMAIL -> "e-mail " + s.matched() + " shared with " + o;
                        case CONFIG_LINK -> "linked to " + o + " in syncline.yaml";
                        case PROVIDER_MERGE -> "merged with " + o + " by " + s.system();
                        default -> "linked to " + o;
                    });
                }
            }
        });
        return words.isEmpty() ? "no link left" : String.join("; ", words.subList(0, Math.min(3, words.size())))
                + (words.size() > 3 ? "; and " + (words.size() - 3) + " more" : "");
    }

    private IdentityMember active(String id) {
        IdentityMember m = members.get(id);
        return m == null || m.retired() ? null : m;
    }

    /** The person {@code personId} lives on as: itself, or the survivor it was merged into. */
    private String live(String personId) {
        String id = personId;
        // Chains are short: one hop per merge.
        for (int hops = 0; id != null && hops < 32; hops++) {
            Person p = person(id);
            if (p == null || p.getMergedInto() == null) {
                return p == null ? null : id;
            }
            id = p.getMergedInto();
        }
        return id;
    }

    private Set<String> activeMembersOf(String personId) {
        Set<String> out = new LinkedHashSet<>();
        String id = live(personId);
        Person p = id == null ? null : person(id);
        if (p != null) {
            p.getMembers().forEach(m -> {
                if (active(m.getId()) != null) {
                    out.add(m.getId());
                }
            });
        }
        return out;
    }

    private List<String> scan(String prefix) {
        List<String> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = index.prefixScan(prefix, KEYS)) {
            while (it.hasNext()) {
                out.add(it.next().key.substring(prefix.length()));
            }
        }
        return out;
    }

    private void index(IdentityMember m) {
        if (m.matched() != null) {
            index.put("e" + SEP + m.matched() + SEP + m.id(), new byte[0]);
        }
        for (String merged : m.mergedIds()) {
            index.put("m" + SEP + merged + SEP + m.id(), new byte[0]);
        }
    }

    private void unindex(IdentityMember m) {
        if (m.matched() != null) {
            index.delete("e" + SEP + m.matched() + SEP + m.id());
        }
        for (String merged : m.mergedIds()) {
            index.delete("m" + SEP + merged + SEP + m.id());
        }
    }

    private Person person(String id) {
        byte[] bytes = persons.get(id);
        return bytes == null ? null : (Person) decoder.decode(IdentityTopology.PERSON_TOPIC, bytes);
    }

    // ------------------------------------------------------------------ evidence

    private Evidence evidence(String key, Object decoded) {
        if (decoded instanceof Customer c) {
            return new Evidence(key, "finance.Customer", c.getMetadata().getSourceSystem(), c.getEmail(), c.getName(),
                    List.of(), c.getMetadata());
        }
        if (decoded instanceof Contact c) {
            String name = c.getFirstName() == null && c.getLastName() == null ? null
                    : String.join(" ", java.util.stream.Stream.of(c.getFirstName(), c.getLastName())
                            .filter(Objects::nonNull).toList());
            return new Evidence(key, "crm.Contact", c.getMetadata().getSourceSystem(), c.getEmail(), name,
                    mergedIds(c.getMetadata().getSourceSystem(), c.getProperties().get("hs_merged_object_ids"), key),
                    c.getMetadata());
        }
        if (decoded instanceof SupportUser u) {
            return new Evidence(key, "support.SupportUser", u.getMetadata().getSourceSystem(), u.getEmail(),
                    u.getName(), List.of(), u.getMetadata());
        }
        return null;
    }

    /** HubSpot's {@code hs_merged_object_ids} ({@code 101;102}) as canonical ids of the same system. */
    static List<String> mergedIds(String system, String value, String self) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        Set<String> out = new TreeSet<>();
        for (String part : value.split("[;,]")) {
            String id = part.trim();
            if (!id.isEmpty() && !(system + ":" + id).equals(self)) {
                out.add(system + ":" + id);
            }
        }
        return List.copyOf(out);
    }

    /** An e-mail as identity resolution matches it: trimmed, lower-cased, and without a {@code +tag} if so set. */
    String normalize(String email) {
        return normalize(email, stripPlus);
    }

    static String normalize(String email, boolean stripPlus) {
        if (email == null) {
            return null;
        }
        String e = email.trim().toLowerCase(Locale.ROOT);
        if (e.isEmpty()) {
            return null;
        }
        int at = e.lastIndexOf('@');
        if (stripPlus && at > 0) {
            int plus = e.indexOf('+');
            if (plus > 0 && plus < at) {
                e = e.substring(0, plus) + e.substring(at);
            }
        }
        return e;
    }

    // ------------------------------------------------------------------ output

    private void forward(String key, String topic, byte[] value) {
        context.forward(new Record<>(key, new IdentityTopology.Routed(topic, value), timestamp, new RecordHeaders()));
    }

    private String[] origin(Record<String, byte[]> record) {
        Header h = record.headers().lastHeader(IdentityTopology.ORIGIN_HEADER);
        RecordMetadata md = context.recordMetadata().orElseThrow();
        if (h != null && h.value() != null) {
            String s = new String(h.value(), StandardCharsets.UTF_8);
            int b = s.lastIndexOf(':');
            int a = s.lastIndexOf(':', b - 1);
            if (a > 0) {
                return new String[] {s.substring(0, a), s.substring(a + 1, b), s.substring(b + 1)};
            }
        }
        return new String[] {md.topic(), String.valueOf(md.partition()), String.valueOf(md.offset())};
    }

    private void skipped(String reason) {
        Counter.builder("syncline.normalizer.identity.skipped")
                .description("changes identity resolution skipped on purpose").tag("reason", reason)
                .register(settings.metrics().registry()).increment();
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(settings.metrics().registry());
    }

    private void deadLetter(Record<String, byte[]> record, String[] origin, String message) {
        Headers headers = new RecordHeaders();
        record.headers().forEach(h -> {
            if (!DeadLetterHeaders.ERROR_HEADERS.contains(h.key()) && !h.key().equals(IdentityTopology.ORIGIN_HEADER)) {
                headers.add(h);
            }
        });
        put(headers, DeadLetterHeaders.ERROR_CLASS, SerializationException.class.getName());
        put(headers, DeadLetterHeaders.ERROR_MESSAGE, "identity: " + message);
        put(headers, DeadLetterHeaders.ERROR_REASON, "identity");
        put(headers, DeadLetterHeaders.ERROR_STAGE, DeadLetterHeaders.STAGE);
        put(headers, DeadLetterHeaders.SOURCE_TOPIC, origin[0]);
        put(headers, DeadLetterHeaders.SOURCE_PARTITION, origin[1]);
        put(headers, DeadLetterHeaders.SOURCE_OFFSET, origin[2]);
        if (headers.lastHeader(DeadLetterHeaders.FIRST_SEEN) == null) {
            put(headers, DeadLetterHeaders.FIRST_SEEN, Instant.now().toString());
        }
        if (headers.lastHeader(DeadLetterHeaders.ATTEMPT) == null) {
            put(headers, DeadLetterHeaders.ATTEMPT, "1");
        }
        context.forward(new Record<>(record.key(), new IdentityTopology.Routed(settings.dlqTopic(), record.value()),
                record.timestamp(), headers));
        settings.metrics().deadLettered(IdentityTopology.PROCESSOR, origin[0], "identity");
    }

    private static void put(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        if (decoder != null) {
            decoder.close();
        }
        if (serializer != null) {
            serializer.close();
        }
    }
}
