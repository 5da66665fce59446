package io.syncline.delivery;

import java.time.Instant;
import java.util.List;

import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Records the target rejected for good, waiting for the task thread to hand them to the dead-letter queue.
 *
 * @param records the records of the rejected change
 * @param failure why
 * @param firstSeen when the sink took the change
 */
public record DeadLetter(List<SinkRecord> records, DeliveryFailure failure, Instant firstSeen) {
    public DeadLetter {
        records = List.copyOf(records);
    }
}
