package io.syncline.cli.plan;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.syncline.cli.common.CliException;
import io.syncline.config.ConfigException;
import io.syncline.config.ConnectorState;
import io.syncline.config.ProviderReference;
import io.syncline.kafka.ConnectRestClient;
import io.syncline.normalizer.InputPartitions;
import io.syncline.normalizer.mapping.MappingSet;
import io.syncline.normalizer.mapping.TargetCatalog;
import io.syncline.normalizer.stream.NormalizerTopology;
import io.syncline.registry.client.CompatibilityCheck;
import io.syncline.registry.client.SchemaMetadata;
import io.syncline.registry.client.SchemaRegistryException;
import io.syncline.schemas.CanonicalEntity;
import io.syncline.schemas.CanonicalSchemas;
import org.apache.avro.Schema;

/**
 * Compares what {@code syncline.yaml} declares ({@link Desired}) with what a {@link Cluster} holds and makes the
 * {@link Plan}: the changes, and every reason they could not be applied, checked with the cluster's own validation
 * so that {@code apply} starts only what it can finish. Topics are checked with Kafka's validate-only create, grow
 * and alter calls; schemas with the registry's compatibility endpoint; connectors with Connect's
 * {@code PUT /connector-plugins/<class>/config/validate}, which runs each connector's own {@code validate()} on the
 * worker, with the worker's config providers and plugins; the mappings by compiling them against the registry's
 * schemas.
 */
public final class Planner {

    private Planner() {
    }

    /**
     * The plan for {@code desired} on {@code cluster}.
     *
     * @param prune whether connectors on the cluster that {@code desired} does not declare are deleted
     */
    public static Plan plan(Desired desired, Cluster cluster, boolean prune) {
        Builder b = new Builder(cluster.address());
        List<String> down = cluster.unreachable();
        if (!down.isEmpty()) {
            b.problems.addAll(down);
            return b.build();
        }
        Set<String> registered = new HashSet<>();
        section(b, "reading topics from Kafka at " + cluster.address().bootstrapServers(),
                () -> topics(desired, cluster, b));
        section(b, "reading subjects from the schema registry at " + cluster.address().registryUrl(),
                () -> schemas(desired, cluster, b, registered));
        section(b, "checking the mappings against the schema registry at " + cluster.address().registryUrl(),
                () -> mappings(desired, cluster, b, registered));
        section(b, "reading connectors from Kafka Connect at " + cluster.address().connectUrl(),
                () -> connectors(desired, cluster, b, prune));
        return b.build();
    }

    /**
     * Only the connectors of {@code desired}, never pruning: what {@code up} applies once Connect runs. Every problem
     * of the plan is a connector the worker refuses ({@link Plan#refused}); a worker that cannot be read throws.
     */
    public static Plan connectors(Desired desired, Cluster cluster) {
        Builder b = new Builder(cluster.address());
        connectors(desired, cluster, b, false);
        return b.build();
    }

    private static void section(Builder b, String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            b.problems.add(what + " failed: " + CliException.describe(e));
        }
    }

    private static void topics(Desired desired, Cluster cluster, Builder b) {
        if (desired.topics().isEmpty()) {
            return;
        }
        Map<String, Cluster.TopicState> actual = cluster.topics(desired.topics().stream().map(Desired.Topic::name)
                .toList());
        int rawLimit = rawPartitions(desired, cluster, b);
        int same = 0;
        for (Desired.Topic declared : desired.topics()) {
            Cluster.TopicState is = actual.get(declared.name());
            Desired.Topic t = declared;
            if (rawLimit > 0 && RAW.matcher(t.name()).matches() && t.partitions() != rawLimit) {
                if (is == null) {
                    t = new Desired.Topic(t.name(), rawLimit, t.replicationFactor(), t.config(), t.origin());
                    b.warnings.add("raw topic " + t.name() + " is created with " + rawLimit + " partitions, as the "
                            + "existing raw topics have, not the " + declared.partitions() + " syncline.yaml asks for ("
                            + t.origin() + "): the normalizer reads every raw topic with one set of state changelogs, "
                            + "and a raw topic with more partitions than they have stops every normalizer instance");
                } else if (t.partitions() > is.partitions() && t.partitions() > rawLimit) {
                    b.warnings.add("raw topic " + t.name() + " has " + is.partitions() + " partitions, syncline.yaml "
                            + "asks for " + t.partitions() + " (" + t.origin() + "): apply does not grow a raw topic "
                            + "past the " + rawLimit + " partitions of the normalizer's state changelogs, which would "
                            + "stop every normalizer instance; to grow, give every raw topic the new count, stop every "
                            + "normalizer and reset its application (docs/normalizer.md#raw-topics-partition-counts)");
                    t = new Desired.Topic(t.name(), Math.max(is.partitions(), rawLimit), t.replicationFactor(),
                            t.config(), t.origin());
                }
            }
            if (is == null) {
                Changes.CreateTopic create = new Changes.CreateTopic(t);
                b.change(create, () -> create.validate(cluster), "topic " + t.name() + " (" + t.origin() + ")");
                continue;
            }
            boolean changed = false;
            if (t.partitions() > is.partitions()) {
                Changes.AddPartitions grow = new Changes.AddPartitions(t.name(), is.partitions(), t.partitions());
                b.change(grow, () -> grow.validate(cluster), "topic " + t.name() + " (" + t.origin() + ")");
                changed = true;
            } else if (t.partitions() < is.partitions()) {
                b.warnings.add("topic " + t.name() + " has " + is.partitions() + " partitions, syncline.yaml asks for "
                        + t.partitions() + " (" + t.origin() + "): Kafka partitions can only grow, so it keeps "
                        + is.partitions() + "; declare " + is.partitions() + " under topics: to silence this");
            }
            if (t.replicationFactor() != null && t.replicationFactor() != is.replicationFactor()) {
                b.warnings.add("topic " + t.name() + " has replication factor " + is.replicationFactor() + ", "
                        + "syncline.yaml asks for " + t.replicationFactor() + ": apply sets it only when it creates a "
                        + "topic; move replicas with kafka-reassign-partitions.sh");
            }
            Map<String, String> from = new LinkedHashMap<>();
            Map<String, String> to = new LinkedHashMap<>();
            t.config().forEach((k, v) -> {
                String current = is.config().get(k);
                if (!sameSetting(k, current, v)) {
                    from.put(k, current);
                    to.put(k, v);
                }
            });
            if (!to.isEmpty()) {
                Changes.AlterTopicConfig alter = new Changes.AlterTopicConfig(t.name(), from, to);
                b.change(alter, () -> alter.validate(cluster), "topic " + t.name() + " (" + t.origin() + ")");
                changed = true;
            }
            if (!changed) {
                same++;
            }
        }
        if (same > 0) {
            b.unchanged(Change.Section.TOPICS, "= " + same + (same == 1 ? " topic is" : " topics are")
                    + " as declared");
        }
    }

    /** The raw topics the normalizer reads by pattern. */
    private static final Pattern RAW = Pattern.compile(NormalizerTopology.RAW_TOPICS);

    /**
     * The partition count new raw topics get and existing ones may grow to: that of the normalizer's state changelogs
     * when they exist, else the most an existing raw topic has; 0 when there is neither (syncline.yaml decides). A raw
     * topic with more partitions than the changelogs is a problem naming it, the counts and the fix
     * ({@link InputPartitions}): it stops every normalizer instance at the next rebalance.
     */
    private static int rawPartitions(Desired desired, Cluster cluster, Builder b) {
        if (desired.normalizerApplicationId() != null) {
            Optional<InputPartitions.Check> check = InputPartitions.check(cluster.admin(), RAW,
                    desired.normalizerApplicationId());
            if (check.isPresent()) {
                if (!check.get().ok()) {
                    b.problems.add(check.get().problem());
                }
                return check.get().expected();
            }
        }
        return InputPartitions.forNewTopic(InputPartitions.counts(cluster.admin(), RAW), 0);
    }

    /** Kafka lists ({@code compact,delete}) compare as sets; everything else as trimmed text. */
    static boolean sameSetting(String key, String current, String wanted) {
        if (current == null) {
            return false;
        }
        if (key.equals("cleanup.policy")) {
            return new TreeSet<>(List.of(current.replace(" ", "").split(",")))
                    .equals(new TreeSet<>(List.of(wanted.replace(" ", "").split(","))));
        }
        return current.trim().equals(wanted.trim());
    }

    private static void schemas(Desired desired, Cluster cluster, Builder b, Set<String> registered) {
        int same = 0;
        for (Desired.Subject s : desired.subjects()) {
            try {
                cluster.registry().lookup(s.subject(), s.schema());
                same++;
                continue;
            } catch (SchemaRegistryException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
                if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND) {
                    b.changes.add(new Changes.RegisterSchema(s, 0, ""));
                    registered.add(s.subject());
                    continue;
                }
            }
            SchemaMetadata latest = cluster.registry().getLatestSchemaMetadata(s.subject());
            String level = cluster.registry().getCompatibility(s.subject());
            CompatibilityCheck check = cluster.registry().testCompatibility(s.subject(), s.schema());
            if (check.compatible()) {
                b.changes.add(new Changes.RegisterSchema(s, latest.version(), level));
                registered.add(s.subject());
            } else {
                b.problems.add("schema " + s.subject() + " (" + s.entity() + " from schemas/): the registry refuses it "
                        + "as incompatible with version " + latest.version() + " under " + level
                        + (check.messages().isEmpty() ? "" : " (" + String.join("; ", check.messages()) + ")")
                        + ". Within a major version only backward-compatible changes are allowed (add optional fields "
                        + "with defaults); a breaking change is a new major version with its own topic (…v<N+1>, "
                        + "docs/schemas.md). If the registry holds a version that was never released, delete it there");
            }
        }
        if (same > 0) {
            b.unchanged(Change.Section.SCHEMAS, "= " + same + (same == 1 ? " subject holds its" : " subjects hold their")
                    + " canonical schema");
        }
    }

    /**
     * Compiles the mappings against the schemas the registry will hold after apply: the registry's latest version of
     * each subject, or the canonical schema where apply registers it.
     */
    private static void mappings(Desired desired, Cluster cluster, Builder b, Set<String> registered) {
        if (desired.mappings().dir() == null) {
            return;
        }
        if (!desired.mappingProblems().isEmpty()) {
            desired.mappingProblems().forEach(p -> b.problems.add("mapping " + p));
            b.mappings = "! the mappings in " + desired.mappings().dir() + " do not compile (below)";
            return;
        }
        MappingSet local = desired.mappings().set().orElseThrow();
        List<TargetCatalog.Target> targets = new ArrayList<>();
        for (CanonicalEntity e : CanonicalSchemas.entities()) {
            Schema schema = e.schema();
            if (!registered.contains(e.valueSubject())) {
                try {
                    SchemaMetadata latest = cluster.registry().getLatestSchemaMetadata(e.valueSubject());
                    schema = new Schema.Parser().parse(latest.schema());
                } catch (SchemaRegistryException notThere) {
                    if (!notThere.isNotFound()) {
                        throw notThere;
                    }
                } catch (org.apache.avro.SchemaParseException notAvro) {
                    b.problems.add("subject " + e.valueSubject() + " in the registry does not hold an Avro schema ("
                            + notAvro.getMessage() + "); the normalizer writes Avro there");
                }
            }
            targets.add(new TargetCatalog.Target(e.name(), schema, e.topic()));
        }
        try {
            MappingSet.load(desired.mappings().dir(), TargetCatalog.of(targets));
            int n = local.all().size();
            b.mappings = "= " + n + (n == 1 ? " mapping" : " mappings") + " in " + desired.mappings().dir()
                    + " compile against the registry's schemas (the normalizer loads them when it starts)";
        } catch (ConfigException e) {
            e.problems().forEach(p -> b.problems.add("mapping " + p + " (against the registry's schema)"));
            b.mappings = "! the mappings in " + desired.mappings().dir() + " do not fit the registry's schemas (below)";
        }
    }

    private static void connectors(Desired desired, Cluster cluster, Builder b, boolean prune) {
        ConnectRestClient connect = cluster.connect();
        Map<String, ConnectRestClient.ConnectorInfo> actual = new LinkedHashMap<>();
        connect.connectorInfos().forEach(i -> actual.put(i.name(), i));
        Set<String> declared = new HashSet<>();
        List<String> plugins = null;
        for (Desired.Connector c : desired.connectors()) {
            declared.add(c.name());
            ConnectRestClient.ConnectorInfo is = actual.get(c.name());
            boolean configChanges = is == null || !is.config().equals(Changes.withName(c));
            Set<String> passwords = Set.of();
            if (configChanges) {
                List<String> reasons = new ArrayList<>();
                try {
                    ConnectRestClient.ConfigValidation v = connect.validate(c.connectorClass(), Changes.withName(c));
                    passwords = v.passwordKeys();
                    // Some connectors start their message with the key already; it is said once.
                    v.errors().forEach((key, messages) -> messages.forEach(m -> reasons.add(
                            m.startsWith(key + ":") || m.startsWith(key + " ") ? m : key + ": " + m)));
                    if (v.errorCount() > 0 && reasons.isEmpty()) {
                        reasons.add(v.errorCount() + " error(s) without a key");
                    }
                } catch (ConnectRestClient.ConnectRestException e) {
                    if (plugins == null) {
                        plugins = connect.connectorPlugins();
                    }
                    reasons.add(plugins.contains(c.connectorClass()) ? e.getMessage()
                            : "the Connect worker at " + connect.baseUrl() + " has no plugin " + c.connectorClass()
                            + " (it has " + plugins + "): install the plugin in its plugin.path and restart it, or "
                            + "fix the connector in syncline.yaml");
                }
                for (Map.Entry<String, String> e : c.config().entrySet()) {
                    if (Secrets.isSecret(e.getKey(), passwords) && !e.getValue().isEmpty()
                            && ProviderReference.findAll(e.getValue()).isEmpty()) {
                        reasons.add(e.getKey() + ": a secret the connector declares as a password; write it as "
                                + ProviderReference.FORMS + " so that Connect stores the reference, never the value");
                    }
                }
                if (!reasons.isEmpty()) {
                    b.refused.put(c.name(), List.copyOf(reasons));
                    reasons.forEach(r -> b.problems.add(c.at() + " (" + c.name() + "): the Connect worker refuses "
                            + "it: " + r + "; fix it in syncline.yaml (syncline validate checks it too)"));
                    continue;
                }
            }
            if (is == null) {
                b.changes.add(new Changes.CreateConnector(c, passwords));
                continue;
            }
            if (configChanges) {
                b.changes.add(new Changes.UpdateConnector(c, is.config(), passwords));
            }
            String state = is.status().state();
            ConnectorState current = switch (state) {
                case "PAUSED" -> ConnectorState.PAUSED;
                case "STOPPED" -> ConnectorState.STOPPED;
                default -> ConnectorState.RUNNING;
            };
            if (current != c.state()) {
                b.changes.add(new Changes.SetConnectorState(c.name(), state, c.state()));
            } else if (!configChanges) {
                b.unchanged(Change.Section.CONNECTORS, "= " + c.name() + " unchanged (" + state + ")");
            }
        }
        for (ConnectRestClient.ConnectorInfo i : actual.values()) {
            if (declared.contains(i.name())) {
                continue;
            }
            if (prune) {
                b.changes.add(new Changes.DeleteConnector(i.name(), i.type()));
                if (PostgresCdcSlots.holdsSlot(i.config())) {
                    b.changes.add(new Changes.DropCdcSlot(i.name(), i.config()));
                }
            } else {
                b.unchanged(Change.Section.CONNECTORS, "? " + i.name() + " is on the cluster but not in syncline.yaml: "
                        + "kept (--prune deletes it)");
            }
        }
    }

    /** Collects a plan while the sections are read. */
    private static final class Builder {
        final Cluster.Address address;
        final List<Change> changes = new ArrayList<>();
        final Map<Change.Section, List<String>> unchanged = new EnumMap<>(Change.Section.class);
        final List<String> warnings = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        final Map<String, List<String>> refused = new LinkedHashMap<>();
        String mappings = "";

        Builder(Cluster.Address address) {
            this.address = address;
        }

        /** Adds a change the cluster accepts in a validate-only call, or a problem saying why it does not. */
        void change(Change change, Runnable validateOnly, String what) {
            try {
                validateOnly.run();
                changes.add(change);
            } catch (RuntimeException e) {
                problems.add(what + ": Kafka refuses to " + change.todo() + ": " + rootMessage(e)
                        + "; fix it in syncline.yaml (topics: or normalizer:)");
            }
        }

        void unchanged(Change.Section section, String line) {
            unchanged.computeIfAbsent(section, s -> new ArrayList<>()).add(line);
        }

        Plan build() {
            return new Plan(address, changes, unchanged, mappings, warnings, problems, refused);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
