package io.syncline.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.syncline.cli.up.StackContext;
import io.syncline.config.NormalizerConfig;
import io.syncline.kafka.ConnectRestClient;
import io.syncline.ops.KafkaTopics;
import io.syncline.ops.PipelineFigures;
import io.syncline.ops.PipelineStats;

/**
 * The pipeline section of {@code syncline status}: per stage (sources, raw topics, the normalizer, canonical topics,
 * sinks) the records in and out, consumer lag, dead letters, and the end-to-end latency of the sinks, as
 * {@link PipelineFigures} computes them for the console too.
 */
final class PipelineView {

    private PipelineView() {
    }

    static Table table(ConnectionOptions.Endpoints endpoints, List<KafkaTopics.TopicInfo> topics,
                       List<ConnectRestClient.ConnectorStatus> connectors, ConnectRestClient rest) {
        PipelineFigures figures = figures(endpoints, topics, connectors, rest);
        Table t = Table.of("STAGE", "NAME", "STATE", "RECORDS", "LAG", "DEAD LETTERS", "END TO END (last min)");
        for (PipelineFigures.Connector c : figures.sources()) {
            t.row("source", c.name(), c.stateWithTasks(), c.records() < 0 ? "-" : c.records() + " written", "-", "-",
                    "-");
        }
        if (figures.gateway() != null) {
            t.row("webhooks", figures.gateway() + "/webhooks/*", "up", "-", "-", "-", "-");
        }
        t.row("raw topics", "raw.*", "-", figures.rawRecords() + " records", "-", "-", "-");
        PipelineFigures.Normalizer n = figures.normalizer();
        Map<String, Long> unread;
        try {
            unread = KafkaTopics.unreadPerTopic(endpoints.bootstrapServers(), n.applicationId(), "raw.");
        } catch (RuntimeException e) {
            unread = Map.of();
        }
        rawTopicRows(t, topics, endpoints.fromRunningUp() ? PipelineStats.rawTopics(endpoints.dataDir())
                .orElse(Map.of()) : Map.of(), unread);
        t.row("normalizer", n.applicationId(), n.running() ? "up" : "-", n.in() + " in, " + n.out() + " out",
                lag(n.lag()), deadLetters(topics, n.dlqTopic(), n.deadLetters()), "-");
        Optional<PipelineStats.ActivityStats> activity = endpoints.fromRunningUp()
                ? PipelineStats.activity(endpoints.dataDir()) : Optional.empty();
        activity.ifPresent(a -> t.row("join", "customer-activity", "up", a.written() + " written, "
                + a.waitingNow() + " payment changes waiting for their customer, " + a.skipped() + " skipped", "-",
                "-", "-"));
        t.row("canonical topics", "canonical.*", "-", figures.canonicalRecords() + " records", "-", "-", "-");
        for (PipelineFigures.Connector c : figures.sinks()) {
            t.row("sink", c.name(), c.stateWithTasks(), c.stats() == null ? "-" : c.stats().delivered() + " delivered",
                    lag(c.lag()), c.dlqTopic() == null ? "-" : deadLetters(topics, c.dlqTopic(), c.deadLetters()),
                    latency(c.stats(), endpoints));
        }
        return t;
    }

    /** The figures of the stack {@code endpoints} found; the running {@code up}'s own reports when there is one. */
    static PipelineFigures figures(ConnectionOptions.Endpoints endpoints, List<KafkaTopics.TopicInfo> topics,
                                   List<ConnectRestClient.ConnectorStatus> connectors, ConnectRestClient rest) {
        Map<String, PipelineStats.SinkStats> stats = endpoints.fromRunningUp()
                ? PipelineStats.read(endpoints.dataDir()).orElse(Map.of()) : Map.of();
        Map<String, Long> written = endpoints.fromRunningUp()
                ? PipelineStats.sourceRecords(endpoints.dataDir()).orElse(Map.of()) : Map.of();
        String app = endpoints.running().getOrDefault(StackContext.NORMALIZER, NormalizerConfig.DEFAULT_APPLICATION_ID);
        return PipelineFigures.collect(new PipelineFigures.Inputs(topics, connectors,
                name -> rest.connectorConfig(name).get("errors.deadletterqueue.topic.name"),
                group -> KafkaTopics.lag(endpoints.bootstrapServers(), group), stats, written, app,
                endpoints.running().containsKey(StackContext.NORMALIZER), NormalizerConfig.DEFAULT_DLQ_TOPIC,
                endpoints.running().get(StackContext.GATEWAY)));
    }

    /**
     * One row per raw topic: its records, what the normalizer made of them (canonical records out; dropped as
     * duplicate or stale; skipped on purpose; dead-lettered) and how many it has not read yet, so that nothing sits
     * unnoticed. Figures count this run of the normalizer (they restart with it); unread comes from its consumer
     * group, so a topic it never read shows all of its records.
     */
    static void rawTopicRows(Table t, List<KafkaTopics.TopicInfo> topics, Map<String, PipelineStats.RawTopicStats> stats,
            Map<String, Long> unread) {
        for (KafkaTopics.TopicInfo topic : topics) {
            if (!topic.name().startsWith("raw.")) {
                continue;
            }
            PipelineStats.RawTopicStats s = stats.get(topic.name());
            String figures = s == null ? topic.records() + " records"
                    : s.in() + " in, " + s.out() + " out, dropped " + s.duplicate() + " duplicate / " + s.stale()
                    + " stale, " + s.skipped() + " skipped";
            Long left = unread.get(topic.name());
            t.row("raw topic", topic.name(), "-", figures, left == null ? "-" : left + " unread",
                    s == null ? "-" : s.deadLettered() + " to dlq.normalizer", "-");
        }
    }

    private static String latency(PipelineStats.SinkStats s, ConnectionOptions.Endpoints endpoints) {
        if (s == null) {
            return endpoints.fromRunningUp() ? "-" : "see the worker's JMX";
        }
        if (s.latencyCount() == 0 || s.p50Millis() < 0) {
            return "no deliveries";
        }
        return "p50 " + s.p50Millis() + " ms, p99 " + s.p99Millis() + " ms (" + s.latencyCount() + ")";
    }

    private static String lag(long lag) {
        if (lag == PipelineFigures.UNKNOWN) {
            return "?";
        }
        return lag < 0 ? "-" : String.valueOf(lag);
    }

    private static String deadLetters(List<KafkaTopics.TopicInfo> topics, String topic, long records) {
        return PipelineFigures.exists(topics, topic) ? records + " in " + topic : "0";
    }
}
