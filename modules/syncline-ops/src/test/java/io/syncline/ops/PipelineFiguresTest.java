package io.syncline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.syncline.kafka.ConnectRestClient;
import org.junit.jupiter.api.Test;

class PipelineFiguresTest {

    private static final List<KafkaTopics.TopicInfo> TOPICS = List.of(
            new KafkaTopics.TopicInfo("canonical.finance.payment.v1", 12, 40),
            new KafkaTopics.TopicInfo("canonical.finance.customer.v1", 12, 2),
            new KafkaTopics.TopicInfo("dlq.normalizer", 1, 3),
            new KafkaTopics.TopicInfo("dlq.sink.crm", 1, 5),
            new KafkaTopics.TopicInfo("raw.stripe.charge", 12, 50),
            new KafkaTopics.TopicInfo("raw.stripe.event", 12, 7));

    private static ConnectRestClient.ConnectorStatus connector(String name, String type, String... taskStates) {
        List<ConnectRestClient.TaskStatus> tasks = new java.util.ArrayList<>();
        for (int i = 0; i < taskStates.length; i++) {
            tasks.add(new ConnectRestClient.TaskStatus(i, taskStates[i], "w", null));
        }
        return new ConnectRestClient.ConnectorStatus(name, type, "RUNNING", "w", tasks);
    }

    @Test
    void everyStageGetsItsRecordsLagAndDeadLetters() {
        PipelineFigures f = PipelineFigures.collect(new PipelineFigures.Inputs(TOPICS,
                List.of(connector("payments", "source", "RUNNING"), connector("crm", "sink", "RUNNING", "FAILED")),
                name -> name.equals("crm") ? "dlq.sink.crm" : null,
                group -> group.equals("connect-crm") ? 4 : 9,
                Map.of("crm", new PipelineStats.SinkStats(30, 5, 120, 480, 30)), Map.of("payments", 57L),
                "syncline-normalizer", true, "dlq.normalizer", "http://localhost:8080"));

        assertThat(f.sources()).singleElement().satisfies(s -> {
            assertThat(s.records()).isEqualTo(57);
            assertThat(s.stateWithTasks()).isEqualTo("RUNNING (1/1 tasks)");
        });
        assertThat(f.rawTopics()).extracting(KafkaTopics.TopicInfo::name)
                .containsExactly("raw.stripe.charge", "raw.stripe.event");
        assertThat(f.rawRecords()).isEqualTo(57);
        assertThat(f.canonicalRecords()).isEqualTo(42);
        assertThat(f.normalizer().lag()).isEqualTo(9);
        assertThat(f.normalizer().deadLetters()).isEqualTo(3);
        assertThat(f.sinks()).singleElement().satisfies(s -> {
            assertThat(s.stateWithTasks()).isEqualTo("RUNNING (1/2 tasks)");
            assertThat(s.records()).isEqualTo(30);
            assertThat(s.lag()).isEqualTo(4);
            assertThat(s.dlqTopic()).isEqualTo("dlq.sink.crm");
            assertThat(s.deadLetters()).isEqualTo(5);
            assertThat(s.stats().p99Millis()).isEqualTo(480);
        });
        assertThat(f.gateway()).isEqualTo("http://localhost:8080");
    }

    @Test
    void aLagThatCannotBeReadIsUnknownAndAMissingReportIsMinusOne() {
        PipelineFigures f = PipelineFigures.collect(new PipelineFigures.Inputs(TOPICS,
                List.of(connector("payments", "source", "RUNNING"), connector("crm", "sink", "RUNNING")),
                name -> {
                    throw new IllegalStateException("Connect does not answer");
                },
                group -> {
                    throw new IllegalStateException("Kafka does not answer");
                }, Map.of(), Map.of(), "app", false, "dlq.other", null));

        assertThat(f.normalizer().lag()).isEqualTo(PipelineFigures.UNKNOWN);
        assertThat(f.normalizer().deadLetters()).isZero();
        assertThat(f.sources().get(0).records()).isEqualTo(-1);
        assertThat(f.sinks().get(0).dlqTopic()).isNull();
        assertThat(f.sinks().get(0).lag()).isEqualTo(PipelineFigures.UNKNOWN);
        assertThat(f.sinks().get(0).stats()).isNull();
    }

    @Test
    void aGroupThatCommittedNothingHasNoLag() {
        PipelineFigures f = PipelineFigures.collect(new PipelineFigures.Inputs(List.of(), List.of(), n -> null,
                g -> -1, Map.of(), Map.of(), "app", true, "dlq.normalizer", null));
        assertThat(f.normalizer().lag()).isEqualTo(PipelineFigures.NO_LAG);
        assertThat(f.rawRecords()).isZero();
    }
}
