package io.syncline.console;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.syncline.kafka.ConnectRestClient;
import io.syncline.ops.KafkaTopics;
import io.syncline.ops.PipelineFigures;
import io.syncline.ops.PipelineStats;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;

/**
 * Reads the pipeline's figures ({@link PipelineFigures}, the same as {@code syncline status}) every
 * {@link ConsoleSettings#sampleInterval}, turns counts into rates, keeps the last 15 minutes for the charts and hands
 * each new snapshot to the live pages. One thread and one admin client, however many browsers watch.
 */
final class PipelineSampler implements AutoCloseable {

    /**
     * One box of the graph.
     *
     * @param id stable across samples, e.g. {@code raw:raw.stripe.charge}
     * @param stage {@code source}, {@code webhooks}, {@code raw}, {@code normalizer}, {@code canonical}, {@code sink}
     * @param name what it is called
     * @param state the connector's state, {@code up}, or empty
     * @param healthy false when something there needs a look (a failed task, a lag that cannot be read)
     * @param records records in (topics), written (sources), delivered (sinks) or out (normalizer); -1 unknown
     * @param rate records per second over the last interval; -1 before two samples
     * @param lag consumer lag; -1 when it has none or nothing committed
     * @param deadLetters records in its dead-letter topic; -1 when it has none
     * @param dlqTopic its dead-letter topic, or null
     * @param p50 end-to-end median in ms over the last minute; -1 when not measured here
     * @param p99 end-to-end 99th percentile likewise
     * @param link the console page that shows more
     */
    record Node(String id, String stage, String name, String state, boolean healthy, long records, double rate,
                long lag, long deadLetters, String dlqTopic, long p50, long p99, String link) {
    }

    /**
     * The pipeline at one moment.
     *
     * @param at when it was read (epoch ms)
     * @param stages the graph's columns in flow order, each a list of boxes
     * @param problem why figures are missing (Kafka down, Connect down), or null
     */
    record Snapshot(long at, List<Stage> stages, String problem) {

        /** Whether nothing flows yet: no connectors and no topics. */
        boolean empty() {
            return stages.stream().allMatch(s -> s.nodes().isEmpty()
                    || s.nodes().stream().allMatch(n -> n.stage().equals("normalizer")));
        }
    }

    /** A column of the graph. */
    record Stage(String title, List<Node> nodes) {
    }

    /**
     * One point of the charts.
     *
     * @param t epoch seconds
     * @param rawRate records per second into the raw topics
     * @param canonicalRate records per second into the canonical topics
     * @param deliveredRate records per second the sinks delivered
     * @param normalizerLag the normalizer's lag
     * @param sinkLag the sinks' lag, summed
     * @param deadLetters records in all dead-letter topics
     * @param p50 the sinks' end-to-end median (the slowest sink's), ms
     * @param p99 the sinks' end-to-end 99th percentile (the slowest sink's), ms
     */
    record Point(long t, double rawRate, double canonicalRate, double deliveredRate, long normalizerLag, long sinkLag,
                 long deadLetters, long p50, long p99) {
    }

    private final Cluster cluster;
    private final ConsoleSettings settings;
    private final int capacity;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "syncline-console-sampler");
        t.setDaemon(true);
        return t;
    });
    private final ArrayDeque<Point> history = new ArrayDeque<>();
    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private volatile Snapshot latest;
    private Map<String, Long> previousRecords = Map.of();
    private long previousAt;

    PipelineSampler(Cluster cluster) {
        this.cluster = cluster;
        this.settings = cluster.settings();
        this.capacity = (int) Math.max(2, ConsoleSettings.HISTORY.toMillis() / settings.sampleInterval().toMillis());
    }

    void start() {
        timer.scheduleWithFixedDelay(this::sampleQuietly, 0, settings.sampleInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Called with every new snapshot, on the sampler's thread. */
    void onSnapshot(Consumer<Snapshot> listener) {
        listeners.add(listener);
    }

    void removeListener(Consumer<Snapshot> listener) {
        listeners.remove(listener);
    }

    /** The newest snapshot; taken now when none was yet (the first page load right after start). */
    Snapshot latest() {
        Snapshot s = latest;
        if (s == null) {
            synchronized (this) {
                if (latest == null) {
                    sample();
                }
                s = latest;
            }
        }
        return s;
    }

    /** The charts' points, oldest first. */
    synchronized List<Point> history() {
        return new ArrayList<>(history);
    }

    private void sampleQuietly() {
        try {
            synchronized (this) {
                sample();
            }
            Snapshot s = latest;
            for (Consumer<Snapshot> l : listeners) {
                try {
                    l.accept(s);
                } catch (RuntimeException e) {
                    // One broken page connection must not stop the others' updates.
                }
            }
        } catch (RuntimeException e) {
            // A view: a failed round is retried at the next interval and never disturbs the stack.
        }
    }

    /** Reads the figures once; must hold the monitor. */
    private void sample() {
        long now = System.currentTimeMillis();
        List<KafkaTopics.TopicInfo> topics;
        try {
            topics = KafkaTopics.list(cluster.admin(), false, settings.bootstrapServers());
        } catch (RuntimeException e) {
            latest = new Snapshot(now, List.of(), "Kafka at " + settings.bootstrapServers() + " does not answer: "
                    + e.getMessage() + ". Start the stack with ./syncline up, or run syncline console "
                    + "--bootstrap-servers HOST:PORT.");
            return;
        }
        List<ConnectRestClient.ConnectorStatus> connectors = List.of();
        String problem = null;
        try {
            connectors = cluster.connect().statuses();
        } catch (RuntimeException e) {
            problem = "Kafka Connect at " + settings.connectUrl() + " does not answer, so connectors are missing "
                    + "from the graph: " + e.getMessage();
        }
        Map<String, PipelineStats.SinkStats> sinkStats = settings.dataDir() == null ? Map.of()
                : PipelineStats.read(settings.dataDir()).orElse(Map.of());
        Map<String, Long> sourceRecords = settings.dataDir() == null ? Map.of()
                : PipelineStats.sourceRecords(settings.dataDir()).orElse(Map.of());
        PipelineFigures f = PipelineFigures.collect(new PipelineFigures.Inputs(topics, connectors,
                name -> cluster.connectorConfig(name).get("errors.deadletterqueue.topic.name"),
                group -> KafkaTopics.lag(cluster.admin(), group, settings.bootstrapServers()), sinkStats,
                sourceRecords, settings.normalizerApp(), Boolean.TRUE.equals(settings.normalizerRunning()),
                settings.normalizerDlqTopic(), settings.gatewayUrl()));

        double seconds = previousAt == 0 ? 0 : (now - previousAt) / 1000.0;
        Map<String, Long> records = new HashMap<>();
        List<Stage> stages = new ArrayList<>();
        List<Node> sources = new ArrayList<>();
        for (PipelineFigures.Connector c : f.sources()) {
            sources.add(node(records, seconds, "source:" + c.name(), "source", c.name(), c.stateWithTasks(),
                    healthy(c), c.records(), PipelineFigures.NO_LAG, -1, null, -1, -1,
                    "/connectors#connector-" + c.name()));
        }
        if (f.gateway() != null) {
            sources.add(new Node("webhooks", "webhooks", f.gateway() + "/webhooks/*", "up", true, -1, -1, -1, -1,
                    null, -1, -1, "/topics"));
        }
        stages.add(new Stage("Sources", sources));
        stages.add(new Stage("Raw topics", topicNodes(records, seconds, "raw", f.rawTopics())));
        PipelineFigures.Normalizer n = f.normalizer();
        String state = settings.normalizerRunning() != null ? (settings.normalizerRunning() ? "up" : "-")
                : instances(n.applicationId());
        stages.add(new Stage("Normalizer", List.of(node(records, seconds, "normalizer", "normalizer",
                n.applicationId(), state, n.lag() != PipelineFigures.UNKNOWN, n.out(), n.lag(), n.deadLetters(),
                n.dlqTopic(), -1, -1, "/dead-letters/" + n.dlqTopic()))));
        stages.add(new Stage("Canonical topics", topicNodes(records, seconds, "canonical", f.canonicalTopics())));
        List<Node> sinks = new ArrayList<>();
        long p50 = -1;
        long p99 = -1;
        long sinkLag = 0;
        double delivered = 0;
        long deadLetters = n.deadLetters();
        for (PipelineFigures.Connector c : f.sinks()) {
            PipelineStats.SinkStats st = c.stats();
            long cp50 = st == null || st.latencyCount() == 0 ? -1 : st.p50Millis();
            long cp99 = st == null || st.latencyCount() == 0 ? -1 : st.p99Millis();
            Node node = node(records, seconds, "sink:" + c.name(), "sink", c.name(), c.stateWithTasks(), healthy(c),
                    c.records(), c.lag(), c.dlqTopic() == null ? -1 : c.deadLetters(), c.dlqTopic(), cp50, cp99,
                    "/connectors#connector-" + c.name());
            sinks.add(node);
            p50 = Math.max(p50, cp50);
            p99 = Math.max(p99, cp99);
            sinkLag += Math.max(0, c.lag());
            delivered += Math.max(0, node.rate());
            deadLetters += c.dlqTopic() == null ? 0 : c.deadLetters();
        }
        stages.add(new Stage("Sinks", sinks));

        double rawRate = rate(f.rawRecords(), previousRecords.get("all:raw"), seconds);
        double canonicalRate = rate(f.canonicalRecords(), previousRecords.get("all:canonical"), seconds);
        records.put("all:raw", f.rawRecords());
        records.put("all:canonical", f.canonicalRecords());
        if (seconds > 0) {
            history.addLast(new Point(now / 1000, rawRate, canonicalRate, delivered, Math.max(0, n.lag()), sinkLag,
                    deadLetters, p50, p99));
            while (history.size() > capacity) {
                history.removeFirst();
            }
        }
        previousRecords = records;
        previousAt = now;
        latest = new Snapshot(now, List.copyOf(stages), problem);
    }

    private String instances(String applicationId) {
        try {
            ConsumerGroupDescription d = cluster.admin().describeConsumerGroups(List.of(applicationId))
                    .describedGroups().get(applicationId).get(5, TimeUnit.SECONDS);
            int members = d.members().size();
            return members == 0 ? "no instance running" : members + (members == 1 ? " instance" : " instances");
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return "-";
        }
    }

    private static boolean healthy(PipelineFigures.Connector c) {
        return c.state().equals("RUNNING") && c.runningTasks() == c.tasks() && c.lag() != PipelineFigures.UNKNOWN;
    }

    private List<Node> topicNodes(Map<String, Long> records, double seconds, String stage,
                                  List<KafkaTopics.TopicInfo> topics) {
        List<Node> nodes = new ArrayList<>();
        for (KafkaTopics.TopicInfo t : topics) {
            nodes.add(node(records, seconds, stage + ":" + t.name(), stage, t.name(), "", true, t.records(),
                    PipelineFigures.NO_LAG, -1, null, -1, -1, "/topics/" + t.name()));
        }
        return nodes;
    }

    private Node node(Map<String, Long> records, double seconds, String id, String stage, String name, String state,
                      boolean healthy, long count, long lag, long deadLetters, String dlqTopic, long p50, long p99,
                      String link) {
        double rate = count < 0 ? -1 : rate(count, previousRecords.get(id), seconds);
        if (count >= 0) {
            records.put(id, count);
        }
        return new Node(id, stage, name, state, healthy, count, rate, lag < 0 ? -1 : lag, deadLetters, dlqTopic,
                p50, p99, link);
    }

    private static double rate(long now, Long before, double seconds) {
        if (before == null || seconds <= 0) {
            return -1;
        }
        // Retention and compaction can lower a topic's count; that is not negative traffic.
        return Math.max(0, now - before) / seconds;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
