package io.syncline.connect.crm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The CRM contact sink's task: a canonical Customer becomes an upsert of the contact with its e-mail; a canonical
 * Payment becomes an upsert of its payer's contact with the last-payment properties. Changes are ordered by contact
 * (the e-mail), so a customer and its payments reach the CRM in offset order, and batched into HubSpot's
 * {@code batch/upsert}. A payment without an e-mail waits (uncommitted) for its customer record, then goes to the
 * dead-letter queue with reason {@code no-contact}; nothing is dropped silently.
 */
public class CrmContactSinkTask extends DeliverySinkTask {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The most customer id → e-mail pairs kept; the oldest are forgotten first. */
    private static final int MAX_KNOWN_CUSTOMERS = 1_000_000;

    private CrmContactSinkConfig sinkConfig;
    private CrmContactSinkConfig.Mappings m;
    private RecordView view;
    private Duration customerWait;
    /** Customer source id → contact e-mail, from the Customer records read so far. */
    private final Map<String, String> emails = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_KNOWN_CUSTOMERS;
        }
    };
    /** Contact e-mail → created_at of the newest payment sent for it, so an older payment does not overwrite it. */
    private final Map<String, Long> newestPayment = new HashMap<>();
    /** Payments waiting for their customer's e-mail, by customer id, in arrival order. */
    private final Map<String, List<Waiting>> waiting = new LinkedHashMap<>();

    private record Waiting(SinkRecord record, long since) {
    }

    @Override
    protected AbstractConfig parseConfig(Map<String, String> props) {
        sinkConfig = new CrmContactSinkConfig(props);
        m = sinkConfig.mappings();
        view = sinkConfig.view();
        customerWait = Duration.ofMillis(sinkConfig.getLong(CrmContactSinkConfig.CUSTOMER_WAIT_MS));
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
        try {
            MappingContext ctx = view.of(record);
            if ("DELETE".equals(m.operation().text(ctx))) {
                // A deleted customer or payment at the provider is no reason to delete a CRM contact that sales owns.
                skip(record, "delete");
                return;
            }
            String type = entity(record.valueSchema());
            switch (type) {
                case "Customer" -> customer(record, ctx);
                case "Payment" -> payment(record, ctx, System.currentTimeMillis());
                default -> deadLetterNow(List.of(record), new DeliveryFailure("unsupported", "the CRM contact sink "
                        + "takes canonical finance.Customer and finance.Payment records, not " + type,
                        MappingException.class.getName(), 0, null, 0));
            }
        } catch (MappingException e) {
            deadLetterNow(List.of(record), DeliveryFailure.of("mapping", e));
        }
    }

    private static String entity(Schema schema) {
        String name = schema == null ? null : schema.name();
        if (name == null) {
            return "a record without a schema name";
        }
        return name.endsWith(".Customer") ? "Customer" : name.endsWith(".Payment") ? "Payment" : name;
    }

    private void customer(SinkRecord record, MappingContext ctx) {
        String id = m.id().text(ctx);
        String email = normalizedEmail(m.email().text(ctx));
        if (email == null) {
            skip(record, "no-email");
            return;
        }
        if (id != null) {
            emails.put(id, email);
        }
        if (!versions.admit(partitionOf(record), "customer:" + id, CanonicalFields.version(m.updatedAt().eval(ctx)))) {
            skip(record, "stale");
        } else {
            upsert(record, ctx, email, m.customerProperties(), "contact");
        }
        List<Waiting> released = id == null ? null : waiting.remove(id);
        if (released != null) {
            long now = System.currentTimeMillis();
            for (Waiting w : released) {
                try {
                    payment(w.record, view.of(w.record), now);
                } catch (MappingException e) {
                    deadLetterNow(List.of(w.record), DeliveryFailure.of("mapping", e));
                }
            }
        }
    }

    private void payment(SinkRecord record, MappingContext ctx, long now) {
        String email = m.paymentEmail() == null ? null : normalizedEmail(m.paymentEmail().text(ctx));
        String customerId = m.paymentCustomer() == null ? null : m.paymentCustomer().text(ctx);
        if (email == null && customerId != null) {
            email = emails.get(customerId);
        }
        if (email == null) {
            if (customerId == null) {
                // A guest checkout: no e-mail, no customer, so there is no contact to keep in step. Not an error.
                skip(record, "anonymous-payment");
                return;
            }
            hold(record);
            waiting.computeIfAbsent(customerId, k -> new ArrayList<>()).add(new Waiting(record, now));
            return;
        }
        if (!versions.admit(partitionOf(record), "payment:" + m.id().text(ctx),
                CanonicalFields.version(m.updatedAt().eval(ctx)))) {
            skip(record, "stale");
            return;
        }
        Long created = CanonicalFields.version(m.createdAt().eval(ctx));
        Long newest = newestPayment.get(email);
        if (created != null && newest != null && created < newest) {
            skip(record, "older-payment");
            return;
        }
        if (created != null) {
            newestPayment.put(email, created);
        }
        upsert(record, ctx, email, m.paymentProperties(), "payment");
    }

    private void upsert(SinkRecord record, MappingContext ctx, String email, SinkMappings.Body mapping, String what) {
        String eventId = m.eventId().text(ctx);
        String idempotencyKey = (eventId != null ? eventId : record.originalTopic() + "-"
                + record.originalKafkaPartition() + "-" + record.originalKafkaOffset()) + ":" + what;
        try {
            ObjectNode properties = JSON.createObjectNode();
            JsonNode mapped = mapping.apply(ctx);
            mapped.fields().forEachRemaining(e -> properties.put(e.getKey(), ConnectJson.text(e.getValue())));
            ObjectNode input = JSON.createObjectNode();
            input.put("idProperty", sinkConfig.getString(CrmContactSinkConfig.ID_PROPERTY));
            input.put("id", email);
            input.set("properties", properties);
            submit(Change.builder(record)
                    .orderingKey(email)
                    .idempotencyKey(idempotencyKey)
                    .request("POST", sinkConfig.upsertUrl())
                    .body(JSON.writeValueAsBytes(input))
                    .batchable(true)
                    .correlationIds(Set.of(email))
                    .originMillis(CanonicalFields.origin(record))
                    .description(what + " " + email + " from " + record.originalTopic() + "-"
                            + record.originalKafkaPartition() + "@" + record.originalKafkaOffset())
                    .build());
        } catch (MappingException e) {
            deadLetterNow(List.of(record), DeliveryFailure.of("mapping", e));
        } catch (JsonProcessingException e) {
            deadLetterNow(List.of(record), DeliveryFailure.of("mapping", new MappingException("",
                    "the contact could not be written as JSON: " + e.getOriginalMessage())));
        }
    }

    /** Payments that waited longer than the configured time for their customer go to the dead-letter queue. */
    @Override
    protected void afterPut() {
        long now = System.currentTimeMillis();
        for (Iterator<Map.Entry<String, List<Waiting>>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, List<Waiting>> e = it.next();
            List<Waiting> expired = new ArrayList<>();
            e.getValue().removeIf(w -> now - w.since >= customerWait.toMillis() && expired.add(w));
            for (Waiting w : expired) {
                deadLetterNow(List.of(w.record), new DeliveryFailure("no-contact", "no e-mail for customer "
                        + e.getKey() + " after waiting " + customerWait.toSeconds() + " s for its customer record ("
                        + CrmContactSinkConfig.CUSTOMER_WAIT_MS + ")", MappingException.class.getName(), 0, null, 0));
            }
            if (e.getValue().isEmpty()) {
                it.remove();
            }
        }
    }

    /** Payments waiting for their customer (for tests and status). */
    public int waitingPayments() {
        return waiting.values().stream().mapToInt(List::size).sum();
    }

    private static String normalizedEmail(String email) {
        if (email == null) {
            return null;
        }
        String e = email.trim().toLowerCase(Locale.ROOT);
        return e.isEmpty() ? null : e;
    }
}
