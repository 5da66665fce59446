package io.syncline.cli.plan;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.syncline.config.ConnectorState;
import io.syncline.kafka.ConnectRestClient;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;

/** The kinds of {@link Change}: topics, schemas and connectors. */
final class Changes {

    private Changes() {
    }

    /** A topic that does not exist yet. */
    record CreateTopic(Desired.Topic topic) implements Change {
        @Override
        public Section section() {
            return Section.TOPICS;
        }

        @Override
        public String symbol() {
            return "+";
        }

        @Override
        public String name() {
            return topic.name();
        }

        @Override
        public String summary() {
            StringBuilder b = new StringBuilder("create: ").append(topic.partitions())
                    .append(topic.partitions() == 1 ? " partition" : " partitions")
                    .append(", replication ").append(topic.replicationFactor() == null ? "the broker's default"
                            : topic.replicationFactor().toString());
            new java.util.TreeMap<>(topic.config()).forEach((k, v) -> b.append(", ").append(k).append('=').append(v));
            return b.append(" (").append(topic.origin()).append(')').toString();
        }

        NewTopic newTopic() {
            return new NewTopic(topic.name(), Optional.of(topic.partitions()),
                    Optional.ofNullable(topic.replicationFactor())).configs(topic.config());
        }

        void validate(Cluster cluster) {
            Cluster.get(cluster.admin().createTopics(List.of(newTopic()), new CreateTopicsOptions().validateOnly(true))
                    .all(), "checking topic " + topic.name());
        }

        @Override
        public void apply(Cluster cluster) {
            Cluster.get(cluster.admin().createTopics(List.of(newTopic())).all(), "creating topic " + topic.name());
        }

        @Override
        public String done() {
            return "created topic " + topic.name();
        }

        @Override
        public String todo() {
            return "create topic " + topic.name();
        }
    }

    /** More partitions for an existing topic; Kafka can add partitions but never remove them ({@link #NOTE}). */
    record AddPartitions(String name, int from, int to) implements Change {
        /** Said once under the topics that grow. */
        static final String NOTE = "partitions can only grow, so this cannot be undone; records of a key written after "
                + "it may land on another partition than that key's earlier records (order per key holds again from "
                + "then on)";

        @Override
        public Section section() {
            return Section.TOPICS;
        }

        @Override
        public String symbol() {
            return "~";
        }

        @Override
        public String summary() {
            return "partitions " + from + " -> " + to;
        }

        void validate(Cluster cluster) {
            Cluster.get(cluster.admin().createPartitions(Map.of(name, NewPartitions.increaseTo(to)),
                    new org.apache.kafka.clients.admin.CreatePartitionsOptions().validateOnly(true)).all(),
                    "checking " + to + " partitions for topic " + name);
        }

        @Override
        public void apply(Cluster cluster) {
            Cluster.get(cluster.admin().createPartitions(Map.of(name, NewPartitions.increaseTo(to))).all(),
                    "adding partitions to topic " + name);
        }

        @Override
        public String done() {
            return "grew topic " + name + " to " + to + " partitions";
        }

        @Override
        public String todo() {
            return "grow topic " + name + " to " + to + " partitions";
        }
    }

    /** Settings of an existing topic that differ from the declared ones; settings not declared stay as they are. */
    record AlterTopicConfig(String name, Map<String, String> from, Map<String, String> to) implements Change {
        @Override
        public Section section() {
            return Section.TOPICS;
        }

        @Override
        public String symbol() {
            return "~";
        }

        @Override
        public String summary() {
            return "settings";
        }

        @Override
        public List<String> details() {
            List<String> lines = new ArrayList<>();
            new java.util.TreeMap<>(to).forEach((k, v) -> lines.add("~ " + k + ": " + from.get(k) + " -> " + v));
            return lines;
        }

        private Map<ConfigResource, Collection<AlterConfigOp>> ops() {
            List<AlterConfigOp> ops = new ArrayList<>();
            to.forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
            return Map.of(new ConfigResource(ConfigResource.Type.TOPIC, name), ops);
        }

        void validate(Cluster cluster) {
            Cluster.get(cluster.admin().incrementalAlterConfigs(ops(),
                    new org.apache.kafka.clients.admin.AlterConfigsOptions().validateOnly(true)).all(),
                    "checking the settings of topic " + name);
        }

        @Override
        public void apply(Cluster cluster) {
            Cluster.get(cluster.admin().incrementalAlterConfigs(ops()).all(), "changing the settings of topic " + name);
        }

        @Override
        public String done() {
            return "changed " + String.join(", ", new TreeSet<>(to.keySet())) + " of topic " + name;
        }

        @Override
        public String todo() {
            return "change " + String.join(", ", new TreeSet<>(to.keySet())) + " of topic " + name;
        }
    }

    /**
     * A canonical schema the registry does not hold yet under its subject: a new subject, or a new version the
     * registry found compatible with the latest one.
     *
     * @param latest the subject's latest version; 0 for a new subject
     */
    record RegisterSchema(Desired.Subject subject, int latest, String compatibility) implements Change {
        @Override
        public Section section() {
            return Section.SCHEMAS;
        }

        @Override
        public String symbol() {
            return latest == 0 ? "+" : "~";
        }

        @Override
        public String name() {
            return subject.subject();
        }

        @Override
        public String summary() {
            return latest == 0 ? "register " + subject.entity() + " (new subject)"
                    : "register " + subject.entity() + " as version " + (latest + 1) + " (compatible with version "
                    + latest + " under " + compatibility + ")";
        }

        @Override
        public void apply(Cluster cluster) {
            Schema schema = subject.schema();
            cluster.registry().register(subject.subject(), schema);
        }

        @Override
        public String done() {
            return "registered " + subject.subject();
        }

        @Override
        public String todo() {
            return "register " + subject.subject();
        }
    }

    /** A connector the cluster does not have. */
    record CreateConnector(Desired.Connector connector, Set<String> passwordKeys) implements Change {
        @Override
        public Section section() {
            return Section.CONNECTORS;
        }

        @Override
        public String symbol() {
            return "+";
        }

        @Override
        public String name() {
            return connector.name();
        }

        @Override
        public String summary() {
            return "create (" + connector.at() + ", " + connector.state() + ")";
        }

        @Override
        public List<String> details() {
            List<String> lines = new ArrayList<>();
            new java.util.TreeMap<>(connector.config()).forEach((k, v) -> lines.add(k + " = "
                    + Secrets.shown(k, v, passwordKeys)));
            return lines;
        }

        @Override
        public void apply(Cluster cluster) {
            cluster.connect().createConnector(connector.name(), connector.config(), targetState(connector.state()));
        }

        @Override
        public String done() {
            return "created connector " + connector.name();
        }

        @Override
        public String todo() {
            return "create connector " + connector.name();
        }
    }

    /** A connector whose stored config differs from the declared one: replaced as a whole, diffed per key. */
    record UpdateConnector(Desired.Connector connector, Map<String, String> current, Set<String> passwordKeys)
            implements Change {
        @Override
        public Section section() {
            return Section.CONNECTORS;
        }

        @Override
        public String symbol() {
            return "~";
        }

        @Override
        public String name() {
            return connector.name();
        }

        @Override
        public String summary() {
            return "update (" + connector.at() + ")";
        }

        @Override
        public List<String> details() {
            return diff(current, withName(connector), passwordKeys);
        }

        @Override
        public void apply(Cluster cluster) {
            cluster.connect().putConnectorConfig(connector.name(), connector.config());
        }

        @Override
        public String done() {
            return "updated connector " + connector.name();
        }

        @Override
        public String todo() {
            return "update connector " + connector.name();
        }
    }

    /** A connector to pause, resume or stop. */
    record SetConnectorState(String name, String from, ConnectorState to) implements Change {
        @Override
        public Section section() {
            return Section.CONNECTORS;
        }

        @Override
        public String symbol() {
            return "~";
        }

        @Override
        public String summary() {
            String verb = switch (to) {
                case RUNNING -> "resume";
                case PAUSED -> "pause";
                case STOPPED -> "stop";
            };
            return verb + " (" + from + " -> " + to + ")";
        }

        @Override
        public void apply(Cluster cluster) {
            cluster.connect().targetState(name, targetState(to));
        }

        @Override
        public String done() {
            return "set connector " + name + " " + to;
        }

        @Override
        public String todo() {
            return "set connector " + name + " " + to;
        }
    }

    /** A connector on the cluster that syncline.yaml does not declare, deleted only with {@code --prune}. */
    record DeleteConnector(String name, String type) implements Change {
        @Override
        public Section section() {
            return Section.CONNECTORS;
        }

        @Override
        public String symbol() {
            return "-";
        }

        @Override
        public String summary() {
            return "delete (" + type + " connector not in syncline.yaml; --prune; its offsets stay in Connect's "
                    + "offsets topic)";
        }

        @Override
        public void apply(Cluster cluster) {
            cluster.connect().deleteConnector(name);
        }

        @Override
        public String done() {
            return "deleted connector " + name;
        }

        @Override
        public String todo() {
            return "delete connector " + name;
        }
    }

    /**
     * The replication slot and publication of a PostgreSQL CDC source that {@link DeleteConnector} deletes: Connect
     * never tells the connector it is deleted, so the slot would stay and hold write-ahead log on the database's disk.
     */
    record DropCdcSlot(String name, Map<String, String> config) implements Change {
        @Override
        public Section section() {
            return Section.CONNECTORS;
        }

        @Override
        public String symbol() {
            return "-";
        }

        @Override
        public String summary() {
            return "drop " + what() + " on " + PostgresCdcSlots.where(config) + " (the deleted CDC source's; "
                    + "docs/connectors/cdc.md)";
        }

        @Override
        public void apply(Cluster cluster) throws Exception {
            PostgresCdcSlots.drop(config, PostgresCdcSlots.RELEASE_WAIT);
        }

        @Override
        public String done() {
            return "dropped " + what() + " of connector " + name;
        }

        @Override
        public String todo() {
            return "drop " + what() + " of connector " + name;
        }

        private String what() {
            return "replication slot " + PostgresCdcSlots.slot(config) + PostgresCdcSlots.publication(config)
                    .map(p -> " and publication " + p).orElse("");
        }

        @Override
        public String toString() {
            return "DropCdcSlot[" + name + "]"; // never the config: it may hold secrets
        }
    }

    static ConnectRestClient.TargetState targetState(ConnectorState state) {
        return ConnectRestClient.TargetState.valueOf(state.name());
    }

    /** The config Connect stores: the declared one plus {@code name}. */
    static Map<String, String> withName(Desired.Connector c) {
        Map<String, String> m = new LinkedHashMap<>(c.config());
        m.put("name", c.name());
        return m;
    }

    /** {@code + key = value}, {@code - key (was value)}, {@code ~ key: old -> new}, by key; secret values masked. */
    static List<String> diff(Map<String, String> from, Map<String, String> to, Set<String> passwordKeys) {
        Set<String> keys = new TreeSet<>(from.keySet());
        keys.addAll(to.keySet());
        List<String> lines = new ArrayList<>();
        for (String k : keys) {
            String a = from.get(k);
            String b = to.get(k);
            if (a == null) {
                lines.add("+ " + k + " = " + Secrets.shown(k, b, passwordKeys));
            } else if (b == null) {
                lines.add("- " + k + " (was " + Secrets.shown(k, a, passwordKeys) + ")");
            } else if (!a.equals(b)) {
                String shownA = Secrets.shown(k, a, passwordKeys);
                String shownB = Secrets.shown(k, b, passwordKeys);
                lines.add("~ " + k + ": " + (shownA.equals(shownB) ? shownA + " -> (another hidden value)"
                        : shownA + " -> " + shownB));
            }
        }
        return lines;
    }
}
