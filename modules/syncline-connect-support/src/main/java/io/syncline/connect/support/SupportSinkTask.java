package io.syncline.connect.support;

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
import io.syncline.delivery.DeliveryEngine;
import io.syncline.delivery.DeliveryFailure;
import io.syncline.delivery.DeliverySinkTask;
import io.syncline.delivery.mapping.RecordView;
import io.syncline.http.SynclineHttpClient;
import io.syncline.mapping.MappingContext;
import io.syncline.mapping.MappingException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The support sink's task: each record that passes {@code record.filter} becomes a plan (the ticket's external id,
 * requester, fields and comment, or the user's fields) that {@link ZendeskDeliverer} carries out. Changes of one
 * ticket (one external id) or one user (one e-mail) go out one at a time and in offset order; a record that cannot
 * become a plan (no external id, no requester, an expression that fails) goes to the dead-letter queue with the
 * reason, a filtered, deleted or stale one is counted as skipped, so every record is accounted for.
 */
public class SupportSinkTask extends DeliverySinkTask {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SupportSinkConfig sinkConfig;
    private SupportSinkConfig.Mappings m;
    private RecordView view;

    @Override
    protected AbstractConfig parseConfig(Map<String, String> props) {
        sinkConfig = new SupportSinkConfig(props);
        m = sinkConfig.mappings();
        view = sinkConfig.view();
        return sinkConfig;
    }

    @Override
    protected Deliverer deliverer(SynclineHttpClient client) {
        return new ZendeskDeliverer(client, sinkConfig.baseUrl(),
                sinkConfig.getInt(SupportSinkConfig.TICKET_CONFLICT_RETRIES), stats);
    }

    /** One change per request: a ticket write is a lookup and a write, which Zendesk has no batch form of. */
    @Override
    protected DeliveryEngine.Settings engineSettings(String name) {
        return new DeliveryEngine.Settings(name, sinkConfig.getInt(io.syncline.delivery.DeliveryConfig.LANES), 1,
                1_000_000, Duration.ZERO);
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
                // A deleted payment or customer at the provider is no reason to delete what the support desk owns.
                skip(record, "delete");
                return;
            }
            if (m.filter() != null && !Boolean.TRUE.equals(m.filter().eval(ctx))) {
                skip(record, "filtered");
                return;
            }
            if (sinkConfig.target() == SupportSinkConfig.Target.USER) {
                user(record, ctx);
            } else {
                ticket(record, ctx);
            }
        } catch (MappingException e) {
            deadLetterNow(List.of(record), DeliveryFailure.of("mapping", e));
        }
    }

    private void ticket(SinkRecord record, MappingContext ctx) {
        String externalId = m.externalId().text(ctx);
        if (externalId == null || externalId.isBlank()) {
            deadLetterNow(List.of(record), missing("no-external-id", SupportSinkConfig.TICKET_EXTERNAL_ID));
            return;
        }
        boolean create = sinkConfig.getBoolean(SupportSinkConfig.TICKET_CREATE);
        String email = m.requesterEmail() == null ? null : m.requesterEmail().text(ctx);
        if (create && (email == null || email.isBlank())) {
            deadLetterNow(List.of(record), missing("no-requester", SupportSinkConfig.TICKET_REQUESTER_EMAIL));
            return;
        }
        if (!versions.admit(partitionOf(record), "ticket:" + externalId + ":" + m.id().text(ctx),
                CanonicalFields.version(m.updatedAt().eval(ctx)))) {
            skip(record, "stale");
            return;
        }
        ObjectNode plan = JSON.createObjectNode();
        plan.put("kind", "ticket");
        plan.put("external_id", externalId);
        plan.put("create", create);
        if (create) {
            ObjectNode requester = plan.putObject("requester");
            requester.put("email", email.trim());
            String name = m.requesterName() == null ? null : m.requesterName().text(ctx);
            if (name != null && !name.isBlank()) {
                requester.put("name", name.trim());
            }
        }
        JsonNode fields = m.ticketFields().apply(ctx);
        plan.set("fields", fields == null ? JSON.createObjectNode() : fields);
        String comment = m.comment() == null ? null : m.comment().text(ctx);
        if (comment != null && !comment.isBlank()) {
            plan.put("comment", comment);
        }
        plan.put("public", sinkConfig.getBoolean(SupportSinkConfig.TICKET_COMMENT_PUBLIC));
        submit(record, ctx, plan, externalId, "ticket " + externalId);
    }

    private void user(SinkRecord record, MappingContext ctx) {
        JsonNode fields = m.userFields().apply(ctx);
        String email = fields == null ? null : fields.path("email").asText(null);
        if (email == null || email.isBlank()) {
            deadLetterNow(List.of(record), missing("no-email", SupportSinkConfig.USER_FIELDS));
            return;
        }
        if (!versions.admit(partitionOf(record), "user:" + email, CanonicalFields.version(m.updatedAt().eval(ctx)))) {
            skip(record, "stale");
            return;
        }
        ObjectNode plan = JSON.createObjectNode();
        plan.put("kind", "user");
        plan.set("user", fields);
        submit(record, ctx, plan, email, "user " + email);
    }

    private void submit(SinkRecord record, MappingContext ctx, ObjectNode plan, String key, String what) {
        String eventId = m.eventId().text(ctx);
        String idempotencyKey = (eventId != null ? eventId : record.originalTopic() + "-"
                + record.originalKafkaPartition() + "-" + record.originalKafkaOffset()) + ":" + what;
        try {
            submit(Change.builder(record)
                    .orderingKey(key)
                    .idempotencyKey(idempotencyKey)
                    .request("POST", sinkConfig.baseUrl())
                    .body(JSON.writeValueAsBytes(plan))
                    .batchable(false)
                    .correlationIds(Set.of(key))
                    .originMillis(CanonicalFields.origin(record))
                    .description(what + " from " + record.originalTopic() + "-" + record.originalKafkaPartition()
                            + "@" + record.originalKafkaOffset())
                    .build());
        } catch (JsonProcessingException e) {
            deadLetterNow(List.of(record), DeliveryFailure.of("mapping", new MappingException("",
                    "the " + what + " could not be written as JSON: " + e.getOriginalMessage())));
        }
    }

    private static DeliveryFailure missing(String reason, String key) {
        return new DeliveryFailure(reason, "the record has no value for " + key + " (" + reason + ")",
                MappingException.class.getName(), 0, null, 0);
    }
}
