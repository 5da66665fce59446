package io.syncline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.syncline.ops.KafkaTopics;
import io.syncline.ops.PipelineStats;
import org.junit.jupiter.api.Test;

/** status shows every raw topic: what came in, what went out, what was dropped or skipped, dead letters, unread. */
class PipelineViewTest {

    @Test
    void everyRawTopicGetsARowWithWhatTheNormalizerMadeOfItAndWhatItHasNotRead() {
        Table t = Table.of("STAGE", "NAME", "STATE", "RECORDS", "LAG", "DEAD LETTERS", "END TO END (last min)");
        PipelineView.rawTopicRows(t, List.of(new KafkaTopics.TopicInfo("canonical.finance.payment.v1", 12, 9),
                new KafkaTopics.TopicInfo("raw.stripe.charge", 12, 10),
                new KafkaTopics.TopicInfo("raw.stripe.event", 12, 313),
                new KafkaTopics.TopicInfo("raw.acme.widget", 1, 4)),
                Map.of("raw.stripe.charge", new PipelineStats.RawTopicStats(10, 7, 1, 1, 0, 1),
                        "raw.stripe.event", new PipelineStats.RawTopicStats(313, 0, 0, 0, 0, 313)),
                Map.of("raw.stripe.charge", 0L, "raw.stripe.event", 0L, "raw.acme.widget", 4L));

        assertThat(t.render()).isEqualTo("""
                STAGE      NAME               STATE  RECORDS                                                  LAG       DEAD LETTERS           END TO END (last min)
                raw topic  raw.stripe.charge  -      10 in, 7 out, dropped 1 duplicate / 1 stale, 0 skipped   0 unread  1 to dlq.normalizer    -
                raw topic  raw.stripe.event   -      313 in, 0 out, dropped 0 duplicate / 0 stale, 0 skipped  0 unread  313 to dlq.normalizer  -
                raw topic  raw.acme.widget    -      4 records                                                4 unread  -                      -
                """);
    }
}
