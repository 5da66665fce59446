package io.syncline.connect.support;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncline.delivery.Change;
import io.syncline.delivery.Deliverer;
import io.syncline.delivery.DeliveryFailure;
import io.syncline.delivery.DeliveryRejectedException;
import io.syncline.delivery.DeliveryStats;
import io.syncline.delivery.Outcome;
import io.syncline.http.CallContext;
import io.syncline.http.HttpFailure;
import io.syncline.http.HttpResult;
import io.syncline.http.SynclineHttpClient;
import io.syncline.http.SynclineRequest;
import io.syncline.http.SynclineResponse;

/**
 * Writes one change to Zendesk, as its plan says ({@link SupportSinkTask} builds the plans):
 *
 * <ul>
 *   <li>a user: {@code POST /api/v2/users/create_or_update.json}, which matches by e-mail, so a repeat is harmless;
 *   <li>a ticket: looked up by {@code external_id} first. None: created with the change's {@code Idempotency-Key}
 *       (Zendesk answers a repeated create with the first answer), the requester by e-mail and the comment. Found:
 *       updated with {@code safe_update} and the {@code updated_at} just read; the comment goes along only when the
 *       ticket has no comment with that text yet; nothing is sent when the ticket already has every field and the
 *       comment. A 409 (someone changed the ticket meanwhile), a 5xx or a lost response reads it again and retries,
 *       up to {@code ticket.conflict.retries} times: the re-read shows whether the update went through. With
 *       {@code ticket.create=false} (update only) a ticket that does not exist is a skip ({@code no-ticket}).
 * </ul>
 *
 * Because the lookup comes first, a change replayed after a crash (its create went through, its offset was not
 * committed) finds its ticket instead of opening a second one. Failures map to outcomes as in the shared
 * {@code HttpDeliverer}: a rejection (422) dead-letters the change with the response body, retries exhausted or
 * credentials refused fail the task, leaving the change uncommitted.
 */
final class ZendeskDeliverer implements Deliverer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SynclineHttpClient http;
    private final String baseUrl;
    private final int conflictRetries;
    private final DeliveryStats stats;

    ZendeskDeliverer(SynclineHttpClient http, String baseUrl, int conflictRetries, DeliveryStats stats) {
        this.http = Objects.requireNonNull(http, "http");
        this.baseUrl = baseUrl;
        this.conflictRetries = conflictRetries;
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    /** A plan that could not be carried out, with the outcome to report. */
    private static final class Stop extends Exception {
        final transient Outcome outcome;

        Stop(Outcome outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }

    @Override
    public Duration untilPermit(Change change) {
        String host = URI.create(baseUrl).getHost();
        return host == null ? Duration.ZERO : http.rateLimiter(host).timeUntilAvailable();
    }

    @Override
    public List<Outcome> deliver(List<Change> batch) {
        List<Outcome> out = new ArrayList<>(batch.size());
        for (Change change : batch) {
            out.add(deliver(change));
        }
        return out;
    }

    private Outcome deliver(Change change) {
        JsonNode plan;
        try {
            plan = JSON.readTree(change.body());
        } catch (IOException e) {
            throw new IllegalStateException("a plan the task wrote is not JSON: " + change.description(), e);
        }
        try {
            if ("user".equals(plan.path("kind").asText())) {
                ObjectNode body = JSON.createObjectNode();
                body.set("user", plan.get("user"));
                call(SynclineRequest.post(baseUrl + "/api/v2/users/create_or_update.json").idempotent(true), body,
                        change.description());
                return Outcome.delivered();
            }
            return ticket(change, plan);
        } catch (Stop stop) {
            return stop.outcome;
        }
    }

    private Outcome ticket(Change change, JsonNode plan) throws Stop {
        String externalId = plan.get("external_id").asText();
        String comment = plan.path("comment").isTextual() ? plan.get("comment").asText() : null;
        boolean publicComment = plan.path("public").asBoolean(false);
        ObjectNode fields = (ObjectNode) plan.get("fields");
        for (int attempt = 0; ; attempt++) {
            JsonNode ticket = find(externalId, change.description());
            if (ticket == null && !plan.path("create").asBoolean(true)) {
                return Outcome.skipped("no-ticket"); // update only: nothing to comment on, nothing to open
            }
            if (ticket == null) {
                ObjectNode t = fields.deepCopy();
                t.put("external_id", externalId);
                t.set("requester", plan.get("requester"));
                String body = comment != null ? comment : fields.path("subject").asText(externalId);
                t.putObject("comment").put("body", body).put("public", publicComment);
                ObjectNode wrapper = JSON.createObjectNode();
                wrapper.set("ticket", t);
                // The key makes the create safe to repeat: Zendesk answers a repeat with the first ticket.
                call(SynclineRequest.post(baseUrl + "/api/v2/tickets.json").idempotencyKey(change.idempotencyKey()),
                        wrapper, change.description());
                return Outcome.delivered();
            }
            long id = ticket.get("id").asLong();
            ObjectNode update = JSON.createObjectNode();
            fields.fields().forEachRemaining(f -> {
                if (!f.getValue().equals(ticket.get(f.getKey()))) {
                    update.set(f.getKey(), f.getValue());
                }
            });
            boolean addComment = comment != null && !hasComment(id, comment, change.description());
            if (update.isEmpty() && !addComment) {
                return Outcome.delivered(); // the ticket already says all of it: a replay, or nothing new
            }
            if (addComment) {
                update.putObject("comment").put("body", comment).put("public", publicComment);
            }
            update.put("safe_update", true);
            update.put("updated_stamp", ticket.get("updated_at").asText());
            ObjectNode wrapper = JSON.createObjectNode();
            wrapper.set("ticket", update);
            // Not repeated blindly by the client: after a 5xx or a lost response the update may have been applied,
            // and a blind repeat could add the comment twice. Reading the ticket again (the next round) decides.
            HttpResult result = send(SynclineRequest.put(baseUrl + "/api/v2/tickets/" + id + ".json")
                    .idempotent(false).accept(409), wrapper, change.description());
            if (result.isSuccess() && result.response().status() != 409) {
                return Outcome.delivered();
            }
            Outcome failure = result.isSuccess() ? null : failed(result.failure());
            if (failure != null && !"retries-exhausted".equals(failure.failure() == null ? null
                    : failure.failure().reason())) {
                return failure; // rejected (422: dead letter), credentials, cancelled: re-reading cannot help
            }
            if (attempt >= conflictRetries) {
                if (failure != null) {
                    return failure;
                }
                SynclineResponse response = result.response();
                return Outcome.fatal(new DeliveryFailure("conflict", "ticket " + id + " (external id " + externalId
                        + ") kept changing while " + change.description() + " tried to update it: " + (attempt + 1)
                        + " updates answered 409 (" + SupportSinkConfig.TICKET_CONFLICT_RETRIES + "="
                        + conflictRetries + "); the change stays uncommitted and is tried again when the task runs "
                        + "again", DeliveryRejectedException.class.getName(), 409, response.bodyAsString(),
                        response.attempts()));
            }
        }
    }

    /** The live ticket with this external id (the oldest when several), or null. */
    private JsonNode find(String externalId, String what) throws Stop {
        SynclineResponse r = call(SynclineRequest.get(baseUrl + "/api/v2/tickets.json")
                .query("external_id", externalId), null, what);
        JsonNode tickets = parse(r).path("tickets");
        JsonNode oldest = null;
        for (JsonNode t : tickets) {
            if (oldest == null || t.path("id").asLong() < oldest.path("id").asLong()) {
                oldest = t;
            }
        }
        return oldest;
    }

    /** Whether ticket {@code id} has a comment with exactly this text; reads every page of its comments. */
    private boolean hasComment(long id, String text, String what) throws Stop {
        String url = baseUrl + "/api/v2/tickets/" + id + "/comments.json?page%5Bsize%5D=100";
        while (url != null) {
            JsonNode page = parse(call(SynclineRequest.get(url), null, what));
            for (JsonNode c : page.path("comments")) {
                if (text.equals(c.path("body").asText(null)) || text.equals(c.path("plain_body").asText(null))) {
                    return true;
                }
            }
            JsonNode next = page.path("links").path("next");
            url = page.path("meta").path("has_more").asBoolean(false) && next.isTextual() ? next.asText() : null;
        }
        return false;
    }

    private SynclineResponse call(SynclineRequest.Builder request, JsonNode body, String what) throws Stop {
        HttpResult result = send(request, body, what);
        if (!result.isSuccess()) {
            throw new Stop(failed(result.failure()));
        }
        return result.response();
    }

    private HttpResult send(SynclineRequest.Builder request, JsonNode body, String what) {
        if (body != null) {
            try {
                request.body(JSON.writeValueAsBytes(body), "application/json");
            } catch (IOException e) {
                throw new IllegalStateException("writing a request body", e);
            }
        }
        HttpResult result = http.execute(request.build(), CallContext.record(what));
        stats.request();
        return result;
    }

    private static JsonNode parse(SynclineResponse r) throws Stop {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new Stop(Outcome.fatal(new DeliveryFailure("bad-response", r.method() + " " + r.uri()
                    + " answered " + r.status() + " with a body that is not JSON: " + e.getMessage(),
                    DeliveryRejectedException.class.getName(), r.status(), r.bodyAsString(), r.attempts())));
        }
    }

    private static Outcome failed(HttpFailure failure) {
        int status = failure.status().orElse(0);
        String body = failure.responseExcerpt().orElse(null);
        return switch (failure.kind()) {
            case PERMANENT_RECORD -> Outcome.deadLetter(new DeliveryFailure("rejected", failure.message(),
                    DeliveryRejectedException.class.getName(), status, body, failure.attempts()));
            case CANCELLED -> Outcome.cancelled();
            case RETRY -> Outcome.fatal(new DeliveryFailure("retries-exhausted", "gave up: " + failure.message()
                    + "; the change stays uncommitted and is delivered when the task runs again",
                    DeliveryRejectedException.class.getName(), status, body, failure.attempts()));
            case AUTH, PERMANENT_CONFIG -> Outcome.fatal(new DeliveryFailure(failure.kind().name()
                    .toLowerCase(Locale.ROOT), failure.message(), DeliveryRejectedException.class.getName(), status,
                    body, failure.attempts()));
        };
    }
}
