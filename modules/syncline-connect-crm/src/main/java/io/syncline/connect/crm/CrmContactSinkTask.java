package io.syncline.connect.crm;

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
import io.syncline.delivery.mapping.ConnectJson;
import io.syncline.delivery.mapping.RecordView;
import io.syncline.delivery.mapping.SinkMappings;
import io.syncline.http.SynclineHttpClient;
import io.syncline.mapping.MappingContext;
import io.syncline.mapping.MappingException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRM contact sink's task, stateless: each canonical {@code finance.CustomerActivity} (a payer's customer, newest
 * payment and lifetime value, joined by the normalizer in Kafka Streams state) becomes one upsert of the contact with
 * the record's e-mail, batched into HubSpot's {@code batch/upsert}. Changes are ordered by contact (the e-mail). Each
 * carries the key {@code <payer>:<revision>} as its idempotency key and as the input's {@code objectWriteTraceId}, so a
 * batch rebuilt after a restart repeats the same keys. The task remembers nothing but Connect's offsets, so it scales
 * with {@code tasks.max}.
 */
public class CrmContactSinkTask extends DeliverySinkTask {

    private static final Logger log = LoggerFactory.getLogger(CrmContactSinkTask.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private CrmContactSinkConfig sinkConfig;
    private CrmContactSinkConfig.Mappings m;
    private RecordView activityView;
    private RecordView customerView;
    private RecordView paymentView;

    @Override
    protected AbstractConfig parseConfig(Map<String, String> props) {
        sinkConfig = new CrmContactSinkConfig(props);
        m = sinkConfig.mappings();
        activityView = m.activityScope().view();
        customerView = m.customerScope().view();
        paymentView = m.paymentScope().view();
        for (String key : CrmContactSinkConfig.deprecatedKeys(props)) {
            log.warn("{} is deprecated and has no effect: the CRM contact sink reads {}, whose records the normalizer "
                    + "joins from customers and payments (payments wait for their customer there); remove it "
                    + "(docs/connectors/crm.md)", key, CrmContactSinkConfig.ACTIVITY_TOPIC);
        }
        return sinkConfig;
    }

    @Override
    protected Deliverer deliverer(SynclineHttpClient client) {
        return new HttpDeliverer(client, sinkConfig.getString(DeliveryConfig.IDEMPOTENCY_HEADER), List.of(),
                new int[0], HttpDeliverer.BatchFormat.wrapped("inputs"), stats);
    }

    @Override
    protected DeliveryEngine.Settings engineSettings(String name) {
        return new DeliveryEngine.Settings(name, sinkConfig.getInt(DeliveryConfig.LANES),
                sinkConfig.getInt(CrmContactSinkConfig.BATCH_MAX_RECORDS),
                sinkConfig.getInt(CrmContactSinkConfig.BATCH_MAX_BYTES),
                Duration.ofMillis(sinkConfig.getLong(CrmContactSinkConfig.BATCH_MAX_WAIT_MS)));
    }

    @Override
    protected void handle(SinkRecord record) {
        if (record.value() == null) {
            skip(record, "tombstone");
            return;
        }
        String entity = record.valueSchema() == null ? null : record.valueSchema().name();
        if (entity == null || !entity.endsWith(".CustomerActivity") || !(record.value() instanceof Struct)) {
            deadLetterNow(List.of(record), new DeliveryFailure("unsupported", "the CRM contact sink takes canonical "
                    + "finance.CustomerActivity records (topic " + CrmContactSinkConfig.ACTIVITY_TOPIC + "), not "
                    + (entity == null ? "a record without a schema name" : entity), MappingException.class.getName(),
                    0, null, 0));
            return;
        }
        try {
            MappingContext ctx = activityView.of(record);
            if ("DELETE".equals(m.operation().text(ctx))) {
                // A customer deleted at the provider is no reason to delete a CRM contact that sales owns.
                skip(record, "delete");
                return;
            }
            String email = m.email().text(ctx);
            if (email == null || email.isBlank()) {
                skip(record, "no-email"); // the CRM matches contacts by e-mail; a customer without one has none
                return;
            }
            ObjectNode properties = JSON.createObjectNode();
            part(record, "customer", customerView, m.customerProperties(), properties);
            part(record, "newest_payment", paymentView, m.paymentProperties(), properties);
            put(properties, m.activityProperties().apply(ctx));
            upsert(record, email, m.id().text(ctx) + ":" + m.revision().text(ctx), properties);
        } catch (MappingException e) {
            deadLetterNow(List.of(record), DeliveryFailure.of("mapping", e));
        }
    }

    /** The properties of one part of the activity (its customer, its newest payment), evaluated on that part alone. */
    private void part(SinkRecord record, String field, RecordView view, SinkMappings.Body mapping,
            ObjectNode properties) {
        Field f = record.valueSchema().field(field);
        Object value = f == null ? null : ((Struct) record.value()).get(f);
        if (value == null) {
            return; // a guest has no customer, a payer before its first payment no newest payment
        }
        Schema schema = f.schema();
        SinkRecord sub = record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                schema, value, record.timestamp());
        put(properties, mapping.apply(view.of(sub)));
    }

    private static void put(ObjectNode properties, JsonNode mapped) {
        mapped.fields().forEachRemaining(e -> properties.put(e.getKey(), ConnectJson.text(e.getValue())));
    }

    private void upsert(SinkRecord record, String email, String change, ObjectNode properties) {
        try {
            ObjectNode input = JSON.createObjectNode();
            input.put("idProperty", sinkConfig.getString(CrmContactSinkConfig.ID_PROPERTY));
            input.put("id", email);
            // HubSpot's per-input trace id, echoed in the result: one change of one payer, the same in every batch
            // that carries it (the CRM sandbox also treats a repeat as already applied).
            input.put("objectWriteTraceId", change);
            input.set("properties", properties);
            submit(Change.builder(record)
                    .orderingKey(email)
                    .idempotencyKey(change)
                    .request("POST", sinkConfig.upsertUrl())
                    .body(JSON.writeValueAsBytes(input))
                    .batchable(true)
                    .correlationIds(Set.of(email))
                    .originMillis(CanonicalFields.origin(record))
                    .description("contact " + email + " (" + change + ") from " + record.originalTopic() + "-"
                            + record.originalKafkaPartition() + "@" + record.originalKafkaOffset())
                    .build());
        } catch (JsonProcessingException e) {
            deadLetterNow(List.of(record), DeliveryFailure.of("mapping", new MappingException("",
                    "the contact could not be written as JSON: " + e.getOriginalMessage())));
        }
    }
}
