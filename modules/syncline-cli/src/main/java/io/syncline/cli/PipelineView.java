package io.syncline.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.syncline.cli.up.StackContext;
import io.syncline.config.NormalizerConfig;
import io.syncline.kafka.ConnectRestClient;
import io.syncline.ops.KafkaTopics;
import io.syncline.ops.PipelineStats;

/**
 * The pipeline section of {@code syncline status}: per stage (sources, raw topics, the normalizer, canonical topics,
 * sinks) the records in and out, consumer lag, dead letters, and the end-to-end latency of the sinks.
 */
final class PipelineView {

    private PipelineView() {
    }

    static Table table(ConnectionOptions.Endpoints endpoints, List<KafkaTopics.TopicInfo> topics,
                       List<ConnectRestClient.ConnectorStatus> connectors, ConnectRestClient rest) {
        Table t = Table.of("STAGE", "NAME", "STATE", "RECORDS", "LAG", "DEAD LETTERS", "END TO END (last min)");
        long raw = sum(topics, "raw.");
        long canonical = sum(topics, "canonical.");
        Optional<Map<String, PipelineStats.SinkStats>> stats = endpoints.fromRunningUp()
                ? PipelineStats.read(endpoints.dataDir()) : Optional.empty();
        Map<String, Long> written = endpoints.fromRunningUp()
                ? PipelineStats.sourceRecords(endpoints.dataDir()).orElse(Map.of()) : Map.of();
        for (ConnectRestClient.ConnectorStatus c : connectors) {
            if (c.type().equals("source")) {
                Long n = written.get(c.name());
                t.row("source", c.name(), state(c), n == null ? "-" : n + " written", "-", "-", "-");
            }
        }
        String gateway = endpoints.running().get(StackContext.GATEWAY);
        if (gateway != null) {
            t.row("webhooks", gateway + "/webhooks/*", "up", "-", "-", "-", "-");
        }
        t.row("raw topics", "raw.*", "-", raw + " records", "-", "-", "-");
        String app = endpoints.running().getOrDefault(StackContext.NORMALIZER, NormalizerConfig.DEFAULT_APPLICATION_ID);
        t.row("normalizer", app, endpoints.running().containsKey(StackContext.NORMALIZER) ? "up" : "-",
                raw + " in, " + canonical + " out", lag(endpoints, app),
                count(topics, NormalizerConfig.DEFAULT_DLQ_TOPIC), "-");
        t.row("canonical topics", "canonical.*", "-", canonical + " records", "-", "-", "-");
        for (ConnectRestClient.ConnectorStatus c : connectors) {
            if (!c.type().equals("sink")) {
                continue;
            }
            String dlq = dlqTopic(rest, c.name());
            PipelineStats.SinkStats s = stats.map(m -> m.get(c.name())).orElse(null);
            t.row("sink", c.name(), state(c), s == null ? "-" : s.delivered() + " delivered",
                    lag(endpoints, "connect-" + c.name()), dlq == null ? "-" : count(topics, dlq),
                    latency(s, endpoints));
        }
        return t;
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

    private static String dlqTopic(ConnectRestClient rest, String connector) {
        try {
            return rest.connectorConfig(connector).get("errors.deadletterqueue.topic.name");
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String state(ConnectRestClient.ConnectorStatus c) {
        long running = c.tasks().stream().filter(x -> x.state().equals("RUNNING")).count();
        return c.state() + " (" + running + "/" + c.tasks().size() + " tasks)";
    }

    private static String lag(ConnectionOptions.Endpoints endpoints, String group) {
        try {
            long lag = KafkaTopics.lag(endpoints.bootstrapServers(), group);
            return lag < 0 ? "-" : String.valueOf(lag);
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private static long sum(List<KafkaTopics.TopicInfo> topics, String prefix) {
        return topics.stream().filter(x -> x.name().startsWith(prefix)).mapToLong(KafkaTopics.TopicInfo::records).sum();
    }

    private static String count(List<KafkaTopics.TopicInfo> topics, String topic) {
        return topics.stream().filter(x -> x.name().equals(topic)).findFirst()
                .map(x -> x.records() + " in " + topic).orElse("0");
    }
}
