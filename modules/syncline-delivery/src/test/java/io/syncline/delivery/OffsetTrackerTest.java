package io.syncline.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private static SinkRecord record(int partition, long offset) {
        return new SinkRecord("t", partition, Schema.STRING_SCHEMA, "k", null, "v", offset);
    }

    @Test
    void commitsOnlyBelowTheLowestUnfinishedRecordOfEachPartition() {
        OffsetTracker tracker = new OffsetTracker();
        for (long o = 10; o < 15; o++) {
            tracker.register(record(0, o));
        }
        tracker.complete(record(0, 10));
        tracker.complete(record(0, 12)); // finished out of order: 11 still holds the partition back
        tracker.complete(record(0, 13));

        Map<TopicPartition, OffsetAndMetadata> safe = tracker.safeOffsets(Map.of(P0, new OffsetAndMetadata(15),
                P1, new OffsetAndMetadata(7)));

        assertThat(safe.get(P0).offset()).isEqualTo(11);
        assertThat(safe.get(P1).offset()).as("nothing unfinished: the worker's position").isEqualTo(7);
    }

    @Test
    void aPartitionWhoseRecordsAreAllFinishedCommitsTheWorkersPosition() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.register(record(0, 3));
        tracker.register(record(0, 4));
        tracker.complete(record(0, 4));
        tracker.complete(record(0, 3));

        assertThat(tracker.safeOffsets(Map.of(P0, new OffsetAndMetadata(9))).get(P0).offset()).isEqualTo(9);
        assertThat(tracker.pendingCount()).isZero();
    }

    @Test
    void transformsThatRenameTopicsDoNotConfuseThePartitionBookkeeping() {
        OffsetTracker tracker = new OffsetTracker();
        SinkRecord original = record(0, 5);
        SinkRecord renamed = original.newRecord("renamed", 3, original.keySchema(), original.key(),
                original.valueSchema(), original.value(), original.timestamp());
        tracker.register(renamed);

        assertThat(tracker.safeOffsets(Map.of(P0, new OffsetAndMetadata(6))).get(P0).offset()).isEqualTo(5);
        tracker.complete(renamed);
        assertThat(tracker.safeOffsets(Map.of(P0, new OffsetAndMetadata(6))).get(P0).offset()).isEqualTo(6);
    }

    @Test
    void forgettingRevokedPartitionsDropsTheirBookkeeping() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.register(record(0, 1));
        tracker.register(record(1, 1));
        tracker.forget(List.of(P0));
        assertThat(tracker.lowestPending(P0)).isEqualTo(-1);
        assertThat(tracker.lowestPending(P1)).isEqualTo(1);
    }
}
