package io.syncline.normalizer.mapping;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.syncline.config.ConfigProblem;
import io.syncline.json.PathTrie;
import io.syncline.json.Pointer;
import io.syncline.mapping.envelope.Envelope;

/**
 * How the records of one raw topic are read: the envelopes to recognise them by (those with a {@code when} first, in
 * the order the mappings name them, then the one that takes every record), what the parser keeps, and the mappings
 * to choose from; or, for a topic declared in an {@code ignore:} list, why it is read without a mapping. Immutable.
 */
public final class TopicPlan {

    private static final TopicPlan UNMAPPED = new TopicPlan("", List.of(), List.of(), new PathTrie(), false, null);

    private final String topic;
    private final List<Envelope> envelopes;
    private final List<CompiledMapping> mappings;
    private final PathTrie parsePaths;
    private final boolean nullValueSkip;
    private final EnvelopeCatalog.Ignored ignored;

    private TopicPlan(String topic, List<Envelope> envelopes, List<CompiledMapping> mappings, PathTrie parsePaths,
            boolean nullValueSkip, EnvelopeCatalog.Ignored ignored) {
        this.topic = topic;
        this.envelopes = List.copyOf(envelopes);
        this.mappings = List.copyOf(mappings);
        this.parsePaths = parsePaths;
        this.nullValueSkip = nullValueSkip;
        this.ignored = ignored;
    }

    /** The plan of a topic nothing declares: its records are parsed (to name a syntax error) and dead-lettered. */
    public static TopicPlan unmapped() {
        return UNMAPPED;
    }

    /** Plans every mapped and every ignored topic; conflicts go to {@code problems}. */
    static Map<String, TopicPlan> plan(Collection<CompiledMapping> mappings, EnvelopeCatalog catalog,
            List<ConfigProblem> problems) {
        Map<String, List<CompiledMapping>> byTopic = new LinkedHashMap<>();
        for (CompiledMapping m : mappings) {
            byTopic.computeIfAbsent(m.topic(), t -> new ArrayList<>()).add(m);
        }
        Map<String, TopicPlan> plans = new LinkedHashMap<>();
        byTopic.forEach((topic, ms) -> plans.put(topic, of(topic, ms, problems)));
        for (EnvelopeCatalog.Ignored ign : catalog.ignored().values()) {
            if (plans.containsKey(ign.topic())) {
                problems.add(new ConfigProblem(ign.file(), 0, "ignore", ign.topic() + " is read by "
                        + plans.get(ign.topic()).mappings().get(0).file() + "; a topic is either mapped or ignored"));
            } else {
                plans.put(ign.topic(), new TopicPlan(ign.topic(), List.of(), List.of(), null, true, ign));
            }
        }
        return plans;
    }

    private static TopicPlan of(String topic, List<CompiledMapping> ms, List<ConfigProblem> problems) {
        List<Envelope> withWhen = new ArrayList<>();
        List<Envelope> takesAll = new ArrayList<>();
        for (CompiledMapping m : ms) {
            for (Envelope e : m.envelopes()) {
                List<Envelope> into = e.takesAll() ? takesAll : withWhen;
                if (!into.contains(e)) {
                    into.add(e);
                }
            }
        }
        if (takesAll.size() > 1) {
            problems.add(new ConfigProblem(ms.get(0).file(), 0, "source.envelopes", "the mappings of " + topic
                    + " name envelopes " + takesAll.stream().map(Envelope::name).toList() + ", which have no when and"
                    + " so each take every record; give all but one a when"));
        }
        List<Envelope> ordered = new ArrayList<>(withWhen);
        ordered.addAll(takesAll);
        conflicts(topic, ms, ordered, problems);
        boolean skipNulls = ordered.stream().anyMatch(e -> e.nullValue() == Envelope.NullValue.SKIP);
        return new TopicPlan(topic, ordered, ms, parsePaths(ordered, ms), skipNulls, null);
    }

    /** Two mappings that would take the same records of a topic (same envelope, both bare or a shared pattern). */
    private static void conflicts(String topic, List<CompiledMapping> ms, List<Envelope> envelopes,
            List<ConfigProblem> problems) {
        for (Envelope e : envelopes) {
            Map<String, CompiledMapping> claimed = new LinkedHashMap<>();
            for (CompiledMapping m : ms) {
                if (!m.takes(e)) {
                    continue;
                }
                List<String> claims = new ArrayList<>();
                if (m.acceptsBare()) {
                    claims.add("bare");
                }
                if (e.declaresType()) {
                    claims.addAll(m.eventPatterns() == null ? List.of("*") : m.eventPatterns());
                }
                for (String claim : claims) {
                    CompiledMapping other = claimed.putIfAbsent(claim, m);
                    if (other != null) {
                        problems.add(new ConfigProblem(m.file(), 0, claim.equals("bare") ? "source" : "source.events",
                                "both " + other.file() + " and this file take " + (claim.equals("bare")
                                ? "bare objects" : "events \"" + claim + "\"") + " of envelope " + e.name() + " from "
                                + topic + (claim.equals("bare") ? "; set bare: false on one of them" : "")));
                    }
                }
            }
        }
    }

    /**
     * What the parser must keep of a raw record of this topic: what each envelope reads, and under each envelope's
     * object what its mappings read of the object ({@code $event/…} reads the raw value itself). Null when one of them
     * may read anything.
     */
    private static PathTrie parsePaths(List<Envelope> envelopes, List<CompiledMapping> ms) {
        PathTrie root = new PathTrie();
        for (Envelope e : envelopes) {
            if (e.paths() == null) {
                return null;
            }
            root.merge(e.paths());
            for (CompiledMapping m : ms) {
                if (!m.takes(e)) {
                    continue;
                }
                if (m.objectPaths() == null || m.eventPaths() == null) {
                    return null;
                }
                if (e.objectPointers().isEmpty()) {
                    root.merge(m.objectPaths());
                } else {
                    for (Pointer p : e.objectPointers()) {
                        root.node(p.names()).merge(m.objectPaths());
                    }
                }
                root.merge(m.eventPaths());
            }
        }
        return root;
    }

    /** The topic ({@code ""} for {@link #unmapped()}). */
    public String topic() {
        return topic;
    }

    /** The envelopes to try, in order; the first whose {@code when} holds is the record's. */
    public List<Envelope> envelopes() {
        return envelopes;
    }

    public List<CompiledMapping> mappings() {
        return mappings;
    }

    /** The paths the parser keeps, or null to keep everything. */
    public PathTrie parsePaths() {
        return parsePaths;
    }

    /** True when a null value (a tombstone) is expected on this topic: an envelope says {@code null-value: skip}. */
    public boolean skipsNullValues() {
        return nullValueSkip;
    }

    /** Why the topic is read without a mapping, or null when it is not declared ignored. */
    public EnvelopeCatalog.Ignored ignored() {
        return ignored;
    }

    /** True for a topic nothing declares (no mapping reads it, no ignore list names it). */
    public boolean isUnmapped() {
        return this == UNMAPPED;
    }

    /**
     * The mapping for a record of envelope {@code e}: an event of {@code eventType}, or a bare object when it is null.
     * Null when no mapping takes it.
     */
    public CompiledMapping select(Envelope e, String eventType) {
        for (CompiledMapping m : mappings) {
            if (m.takes(e) && (eventType != null ? m.acceptsEvent(eventType) : m.acceptsBare())) {
                return m;
            }
        }
        return null;
    }
}
