package io.syncline.connect.http;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncline.delivery.CanonicalFields;
import io.syncline.delivery.Change;
import io.syncline.delivery.Deliverer;
import io.syncline.delivery.DeliveryConfig;
import io.syncline.delivery.DeliveryEngine;
import io.syncline.delivery.DeliveryFailure;
import io.syncline.delivery.DeliverySinkTask;
import io.syncline.delivery.HttpDeliverer;
import io.syncline.delivery.mapping.RecordView;
import io.syncline.http.SynclineHttpClient;
import io.syncline.mapping.MappingContext;
import io.syncline.mapping.MappingException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The generic HTTP sink's task: maps each record to a request per {@link HttpSinkConfig} and hands it to the shared
 * delivery engine. Tombstones and (unless a delete method is configured) DELETE changes are skipped and counted;
 * changes older than one already taken for their key are skipped as stale; a record that cannot become a request
 * (a URL placeholder without a value, an unknown currency) goes to the dead-letter queue with reason {@code mapping}.
 */
public class HttpSinkTask extends DeliverySinkTask {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpSinkConfig sinkConfig;
    private RecordView view;
    private String correlationField;

    @Override
    protected AbstractConfig parseConfig(Map<String, String> props) {
        sinkConfig = new HttpSinkConfig(props);
        view = sinkConfig.view();
        String corr = sinkConfig.getString(HttpSinkConfig.BATCH_CORRELATION_FIELD);
        correlationField = corr == null || corr.isBlank() ? null : corr.trim();
        return sinkConfig;
    }

    @Override
    protected Deliverer deliverer(SynclineHttpClient client) {
        String wrapper = sinkConfig.getString(HttpSinkConfig.BATCH_WRAPPER);
        HttpDeliverer.BatchFormat format = new HttpDeliverer.BatchFormat(wrapper == null ? "" : wrapper.trim(),
                sinkConfig.getString(HttpSinkConfig.BATCH_RESULTS_FIELD),
                sinkConfig.getString(HttpSinkConfig.BATCH_ERRORS_FIELD), Map.of());
        return new HttpDeliverer(client, sinkConfig.getString(DeliveryConfig.IDEMPOTENCY_HEADER),
                sinkConfig.headers(), sinkConfig.acceptStatuses(), format, stats);
    }

    @Override
    protected DeliveryEngine.Settings engineSettings(String name) {
        return new DeliveryEngine.Settings(name,
                sinkConfig.getInt(DeliveryConfig.LANES),
                sinkConfig.getInt(HttpSinkConfig.BATCH_MAX_RECORDS),
                sinkConfig.getInt(HttpSinkConfig.BATCH_MAX_BYTES),
                Duration.ofMillis(sinkConfig.getLong(HttpSinkConfig.BATCH_MAX_WAIT_MS)));
    }

    @Override
    protected void handle(SinkRecord record) {
        if (record.value() == null) {
            skip(record, "tombstone");
            return;
        }
        MappingContext ctx;
        boolean delete;
        String key;
        Long version;
        String idempotencyKey;
        try {
            ctx = view.of(record);
            delete = "DELETE".equals(sinkConfig.operation().text(ctx));
            key = sinkConfig.orderingKey() == null ? null : sinkConfig.orderingKey().text(ctx);
            version = sinkConfig.version() == null ? null : CanonicalFields.version(sinkConfig.version().eval(ctx));
            idempotencyKey = sinkConfig.idempotencyKey() == null ? null : sinkConfig.idempotencyKey().text(ctx);
        } catch (MappingException e) {
            deadLetterNow(List.of(record), DeliveryFailure.of("mapping", e));
            return;
        }
        String method = delete ? sinkConfig.deleteMethod() : sinkConfig.method();
        if (method == null) {
            skip(record, "delete");
            return;
        }
        if (key == null) {
            key = record.originalTopic() + "-" + record.originalKafkaPartition();
        }
        if (!versions.admit(partitionOf(record), key, version)) {
            skip(record, "stale");
            return;
        }
        if (idempotencyKey == null) {
            idempotencyKey = record.originalTopic() + "-" + record.originalKafkaPartition() + "-"
                    + record.originalKafkaOffset();
        }
        try {
            String url = (delete ? sinkConfig.deleteUrl() : sinkConfig.url()).expand(ctx);
            byte[] body = null;
            if (!delete) {
                JsonNode json = sinkConfig.body().apply(ctx);
                if (correlationField != null && sinkConfig.batching()) {
                    if (!(json instanceof ObjectNode object)) {
                        throw new MappingException("", "the body is not a JSON object, so " + HttpSinkConfig
                                .BATCH_CORRELATION_FIELD + " '" + correlationField + "' cannot be added to it");
                    }
                    object.put(correlationField, idempotencyKey);
                }
                body = JSON.writeValueAsBytes(json);
            }
            submit(Change.builder(record)
                    .orderingKey(key)
                    .idempotencyKey(idempotencyKey)
                    .request(method, url)
                    .body(body)
                    .batchable(sinkConfig.batching() && !delete)
                    .correlationIds(Set.of(idempotencyKey))
                    .originMillis(CanonicalFields.origin(record))
                    .description(describe(record, key))
                    .build());
        } catch (MappingException e) {
            deadLetterNow(List.of(record), DeliveryFailure.of("mapping", e));
        } catch (JsonProcessingException e) {
            deadLetterNow(List.of(record), DeliveryFailure.of("mapping", new MappingException("",
                    "the body could not be written as JSON: " + e.getOriginalMessage())));
        }
    }

    static String describe(SinkRecord record, String key) {
        return "change " + key + " from " + record.originalTopic() + "-" + record.originalKafkaPartition() + "@"
                + record.originalKafkaOffset();
    }
}
