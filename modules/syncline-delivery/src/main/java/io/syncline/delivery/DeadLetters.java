package io.syncline.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Hands rejected records to Connect's errant record reporter, which writes them to the connector's dead-letter topic
 * ({@code errors.deadletterqueue.topic.name}) with the original key and value and these headers (the names the
 * normalizer's {@code dlq.normalizer} uses, plus the HTTP details):
 *
 * <table>
 *   <caption>dead-letter headers</caption>
 *   <tr><td>{@value #ERROR_CLASS}</td><td>the kind of failure (exception class)</td></tr>
 *   <tr><td>{@value #ERROR_MESSAGE}</td><td>what we were doing and what the target said</td></tr>
 *   <tr><td>{@value #ERROR_REASON}</td><td>{@code rejected}, {@code batch-item}, {@code mapping}, ...</td></tr>
 *   <tr><td>{@value #ERROR_STAGE}</td><td>{@code sink.<connector name>}</td></tr>
 *   <tr><td>{@value #HTTP_STATUS}</td><td>the target's HTTP status (absent when none)</td></tr>
 *   <tr><td>{@value #HTTP_BODY}</td><td>the start of the response body, at most 1 KB</td></tr>
 *   <tr><td>{@value #ATTEMPTS}</td><td>HTTP attempts made</td></tr>
 *   <tr><td>{@value #SOURCE_TOPIC}, {@value #SOURCE_PARTITION}, {@value #SOURCE_OFFSET}</td><td>where it was read</td></tr>
 *   <tr><td>{@value #FIRST_SEEN}</td><td>when the sink first took it (ISO-8601), kept across replays</td></tr>
 *   <tr><td>{@value #ATTEMPT}</td><td>1, or the replay count a replayed record carries</td></tr>
 * </table>
 */
public final class DeadLetters {
    public static final String ERROR_CLASS = "syncline.error.class";
    public static final String ERROR_MESSAGE = "syncline.error.message";
    public static final String ERROR_REASON = "syncline.error.reason";
    public static final String ERROR_STAGE = "syncline.error.stage";
    public static final String HTTP_STATUS = "syncline.error.http.status";
    public static final String HTTP_BODY = "syncline.error.http.body";
    public static final String ATTEMPTS = "syncline.error.attempts";
    public static final String SOURCE_TOPIC = "syncline.source.topic";
    public static final String SOURCE_PARTITION = "syncline.source.partition";
    public static final String SOURCE_OFFSET = "syncline.source.offset";
    public static final String FIRST_SEEN = "syncline.first-seen";
    public static final String ATTEMPT = "syncline.attempt";

    /** The headers this class sets (replacing any the record already had), first-seen and attempt aside. */
    public static final Set<String> ERROR_HEADERS = Set.of(ERROR_CLASS, ERROR_MESSAGE, ERROR_REASON, ERROR_STAGE,
            HTTP_STATUS, HTTP_BODY, ATTEMPTS, SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET);

    private static final long REPORT_TIMEOUT_SECONDS = 60;

    private final ErrantRecordReporter reporter;
    private final String stage;
    private final DeliveryStats stats;

    /**
     * A dead-letter writer.
     *
     * @param reporter the worker's errant record reporter
     * @param connectorName goes into the stage header as {@code sink.<connectorName>}
     */
    public DeadLetters(ErrantRecordReporter reporter, String connectorName, DeliveryStats stats) {
        this.reporter = reporter;
        this.stage = "sink." + connectorName;
        this.stats = stats;
    }

    /** The stage name, {@code sink.<connector>}. */
    public String stage() {
        return stage;
    }

    /**
     * Writes the records to the dead-letter queue and waits until the worker has them (so a following offset commit
     * cannot pass them).
     *
     * @throws ConnectException when the worker could not write them
     */
    public void report(List<SinkRecord> records, DeliveryFailure failure, Instant firstSeen) {
        for (SinkRecord record : records) {
            SinkRecord withHeaders = withErrorHeaders(record, failure, firstSeen, stage);
            Future<Void> written = reporter.report(withHeaders, new DeliveryRejectedException(failure.message()));
            try {
                written.get(REPORT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectException("interrupted while writing a record to the dead-letter queue", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new ConnectException("writing " + record.topic() + "-" + record.kafkaPartition() + "@"
                        + record.kafkaOffset() + " to the dead-letter queue failed (" + failure.reason() + ": "
                        + failure.message() + "): " + e, e);
            }
        }
        stats.deadLettered(records.size());
    }

    /**
     * A copy of {@code record} with the dead-letter headers. It is a plain {@link SinkRecord}, so the worker writes it
     * with the task's converters: the Avro converter turns a value it read back into the same schema id and bytes.
     */
    static SinkRecord withErrorHeaders(SinkRecord record, DeliveryFailure failure, Instant firstSeen, String stage) {
        ConnectHeaders headers = new ConnectHeaders();
        String previousFirstSeen = null;
        String previousAttempt = null;
        for (Header h : record.headers()) {
            if (h.key().equals(FIRST_SEEN)) {
                previousFirstSeen = String.valueOf(h.value());
            } else if (h.key().equals(ATTEMPT)) {
                previousAttempt = String.valueOf(h.value());
            } else if (!ERROR_HEADERS.contains(h.key())) {
                headers.add(h.key(), h.value(), h.schema());
            }
        }
        headers.addString(ERROR_CLASS, failure.errorClass());
        headers.addString(ERROR_MESSAGE, failure.message());
        headers.addString(ERROR_REASON, failure.reason());
        headers.addString(ERROR_STAGE, stage);
        if (failure.status() > 0) {
            headers.addString(HTTP_STATUS, Integer.toString(failure.status()));
        }
        if (failure.responseBody() != null) {
            headers.addString(HTTP_BODY, failure.responseBody());
        }
        headers.addString(ATTEMPTS, Integer.toString(failure.attempts()));
        headers.addString(SOURCE_TOPIC, record.originalTopic());
        headers.addString(SOURCE_PARTITION, String.valueOf(record.originalKafkaPartition()));
        headers.addString(SOURCE_OFFSET, Long.toString(record.originalKafkaOffset()));
        headers.addString(FIRST_SEEN, previousFirstSeen != null ? previousFirstSeen : firstSeen.toString());
        headers.addString(ATTEMPT, previousAttempt != null ? previousAttempt : "1");
        return new SinkRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                record.valueSchema(), record.value(), record.kafkaOffset(), record.timestamp(), record.timestampType(),
                headers);
    }
}
