package io.syncline.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import io.syncline.kafka.ConnectRestClient;

/**
 * The pipeline stage by stage (source connectors, the webhook gateway, raw topics, the normalizer, canonical topics,
 * sink connectors) with records, consumer lag, dead letters and the sinks' end-to-end latency: what
 * {@code syncline status} prints as a table and the console draws as a graph, computed once for both.
 *
 * @param takenAtMillis when the figures were read (wall clock)
 * @param sources source connectors, by name
 * @param gateway the webhook gateway's URL, or null when none runs here
 * @param rawTopics {@code raw.*} topics, by name
 * @param normalizer the normalizer application
 * @param canonicalTopics {@code canonical.*} topics, by name
 * @param sinks sink connectors, by name
 */
public record PipelineFigures(long takenAtMillis, List<Connector> sources, String gateway,
                              List<KafkaTopics.TopicInfo> rawTopics, Normalizer normalizer,
                              List<KafkaTopics.TopicInfo> canonicalTopics, List<Connector> sinks) {

    /** A consumer group that has committed nothing yet. */
    public static final long NO_LAG = -1;
    /** A lag that could not be read (Kafka answered with an error). */
    public static final long UNKNOWN = -2;

    public PipelineFigures {
        sources = List.copyOf(sources);
        rawTopics = List.copyOf(rawTopics);
        canonicalTopics = List.copyOf(canonicalTopics);
        sinks = List.copyOf(sinks);
    }

    /**
     * One connector.
     *
     * @param name the connector's name
     * @param type {@code source} or {@code sink}
     * @param state the connector's state, e.g. {@code RUNNING}
     * @param runningTasks tasks in state RUNNING
     * @param tasks all tasks
     * @param records records a source wrote to Kafka or a sink delivered, as the running {@code up} reports them;
     *     -1 when nothing reports them (an external Connect cluster)
     * @param lag its consumer group's lag (sinks; {@link #NO_LAG}, {@link #UNKNOWN}; sources {@link #NO_LAG})
     * @param dlqTopic its dead-letter topic, or null when it has none
     * @param deadLetters records in that topic (0 when it has none)
     * @param stats the sink's delivery figures and latency, or null when nothing reports them
     */
    public record Connector(String name, String type, String state, int runningTasks, int tasks, long records,
                            long lag, String dlqTopic, long deadLetters, PipelineStats.SinkStats stats) {

        /** {@code RUNNING (1/1 tasks)}. */
        public String stateWithTasks() {
            return state + " (" + runningTasks + "/" + tasks + " tasks)";
        }
    }

    /**
     * The normalizer application.
     *
     * @param applicationId its Kafka Streams application id (and consumer group)
     * @param running whether the {@code up} this was read from runs it
     * @param in records in the raw topics
     * @param out records in the canonical topics
     * @param lag its consumer group's lag, {@link #NO_LAG} or {@link #UNKNOWN}
     * @param dlqTopic its dead-letter topic
     * @param deadLetters records in that topic
     */
    public record Normalizer(String applicationId, boolean running, long in, long out, long lag, String dlqTopic,
                             long deadLetters) {
    }

    /**
     * What to read the figures from.
     *
     * @param topics every non-internal topic with its record count
     * @param connectors every connector's status
     * @param dlqTopicOf a connector's dead-letter topic (its {@code errors.deadletterqueue.topic.name}), or null
     * @param lagOf a consumer group's lag ({@link #NO_LAG} when it committed nothing; may throw)
     * @param sinkStats what the running {@code up} reports of its sinks, by connector (empty when nothing does)
     * @param sourceRecords what the running {@code up} reports its sources wrote, by connector (empty likewise)
     * @param normalizerApp the normalizer's application id
     * @param normalizerRunning whether a running {@code up} runs the normalizer
     * @param normalizerDlqTopic the normalizer's dead-letter topic
     * @param gateway the webhook gateway's URL, or null
     */
    public record Inputs(List<KafkaTopics.TopicInfo> topics, List<ConnectRestClient.ConnectorStatus> connectors,
                         Function<String, String> dlqTopicOf, ToLongFunction<String> lagOf,
                         Map<String, PipelineStats.SinkStats> sinkStats, Map<String, Long> sourceRecords,
                         String normalizerApp, boolean normalizerRunning, String normalizerDlqTopic,
                         String gateway) {
    }

    /** Computes the figures; a lag that cannot be read is {@link #UNKNOWN}, never a failure of the whole. */
    public static PipelineFigures collect(Inputs in) {
        List<KafkaTopics.TopicInfo> raw = in.topics().stream().filter(t -> t.name().startsWith("raw.")).toList();
        List<KafkaTopics.TopicInfo> canonical = in.topics().stream().filter(t -> t.name().startsWith("canonical."))
                .toList();
        List<Connector> sources = new ArrayList<>();
        List<Connector> sinks = new ArrayList<>();
        for (ConnectRestClient.ConnectorStatus c : in.connectors()) {
            int running = (int) c.tasks().stream().filter(t -> t.state().equals("RUNNING")).count();
            if (c.type().equals("source")) {
                Long written = in.sourceRecords().get(c.name());
                sources.add(new Connector(c.name(), c.type(), c.state(), running, c.tasks().size(),
                        written == null ? -1 : written, NO_LAG, null, 0, null));
            } else if (c.type().equals("sink")) {
                String dlq = dlqTopic(in.dlqTopicOf(), c.name());
                PipelineStats.SinkStats stats = in.sinkStats().get(c.name());
                sinks.add(new Connector(c.name(), c.type(), c.state(), running, c.tasks().size(),
                        stats == null ? -1 : stats.delivered(), lag(in.lagOf(), "connect-" + c.name()), dlq,
                        dlq == null ? 0 : records(in.topics(), dlq), stats));
            }
        }
        long rawRecords = raw.stream().mapToLong(KafkaTopics.TopicInfo::records).sum();
        long canonicalRecords = canonical.stream().mapToLong(KafkaTopics.TopicInfo::records).sum();
        Normalizer normalizer = new Normalizer(in.normalizerApp(), in.normalizerRunning(), rawRecords,
                canonicalRecords, lag(in.lagOf(), in.normalizerApp()), in.normalizerDlqTopic(),
                records(in.topics(), in.normalizerDlqTopic()));
        return new PipelineFigures(System.currentTimeMillis(), sources, in.gateway(), raw, normalizer, canonical,
                sinks);
    }

    /** Records in all raw topics. */
    public long rawRecords() {
        return normalizer.in();
    }

    /** Records in all canonical topics. */
    public long canonicalRecords() {
        return normalizer.out();
    }

    /** Whether the topic exists among those the figures were read from. */
    public static boolean exists(List<KafkaTopics.TopicInfo> topics, String topic) {
        return topics.stream().anyMatch(t -> t.name().equals(topic));
    }

    private static long records(List<KafkaTopics.TopicInfo> topics, String topic) {
        return topics.stream().filter(t -> t.name().equals(topic)).mapToLong(KafkaTopics.TopicInfo::records).sum();
    }

    private static long lag(ToLongFunction<String> lagOf, String group) {
        try {
            long lag = lagOf.applyAsLong(group);
            return lag < 0 ? NO_LAG : lag;
        } catch (RuntimeException e) {
            return UNKNOWN;
        }
    }

    private static String dlqTopic(Function<String, String> dlqTopicOf, String connector) {
        try {
            String topic = dlqTopicOf.apply(connector);
            return topic == null || topic.isBlank() ? null : topic;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
