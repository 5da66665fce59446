package io.syncline.connect.crm.source;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncline.connect.common.OutboundHttpConfig;
import io.syncline.http.AccountBudgets;
import io.syncline.http.CallContext;
import io.syncline.http.FailureKind;
import io.syncline.http.HttpFailure;
import io.syncline.http.HttpResult;
import io.syncline.http.RetryPolicy;
import io.syncline.http.SynclineHttpClient;
import io.syncline.http.SynclineRequest;
import io.syncline.http.SynclineResponse;
import io.syncline.json.JsonPages;
import io.syncline.json.PathTrie;

/**
 * The HubSpot calls the CRM source makes, on top of the shared {@link SynclineHttpClient} (SSRF guard, the account's
 * request window shared with the CRM sink, bearer or OAuth2 auth with refresh, retries with backoff and jitter
 * honouring Retry-After, one failure table): list pages, search pages under the account's separate search budget,
 * and v4 association batch reads. This class builds the requests and reads the answers; what to ask is
 * {@link ObjectStream}'s.
 */
final class HubSpotApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One page with the moment it arrived and the server's clock, when it sent one. */
    record Fetched(ObjectPage page, long receivedAtMillis, Optional<Instant> serverDate) {
    }

    /** One search filter, as HubSpot takes it. */
    record Filter(String property, String operator, String value) {
    }

    /** An associated object: its id and whether the association carries HubSpot's Primary label. */
    record Associated(String id, boolean primary) {
    }

    private final String baseUrl;
    private final SynclineHttpClient http;
    private final AccountBudgets.Lease searchBudget;
    private final Map<CrmObjectType, PathTrie> paths = new EnumMap<>(CrmObjectType.class);

    HubSpotApi(CrmSourceConfig config, String name, RetryPolicy retryPolicy) {
        this.baseUrl = config.baseUrl();
        this.http = OutboundHttpConfig.client(config, name)
                .retryPolicy(retryPolicy)
                .userAgent("Syncline-CRM-Source")
                .build();
        this.searchBudget = searchBudget(config, name);
        for (CrmObjectType t : CrmObjectType.values()) {
            paths.put(t, ObjectPage.paths(t.modifiedProperty()));
        }
    }

    /**
     * The account's search budget: HubSpot limits search to a few requests per second per account, separately from
     * the rest of the API, so every task of this plugin in the worker that searches the same account (same base URL,
     * same credential) shares one.
     */
    private static AccountBudgets.Lease searchBudget(CrmSourceConfig config, String name) {
        double rate = config.searchRatePerSecond();
        int permits = rate >= 1 ? (int) Math.floor(rate) : 1;
        Duration window = rate >= 1 ? Duration.ofMillis(Math.round(1000 * permits / rate))
                : Duration.ofMillis(Math.round(1000 / rate));
        String account = SynclineHttpClient.accountTarget(URI.create(config.baseUrl())) + " "
                + OutboundHttpConfig.credentialId(config, true) + " search";
        return AccountBudgets.join(account, name, permits, window);
    }

    /** The client (its account budgets show in the task's metrics). */
    SynclineHttpClient http() {
        return http;
    }

    /** The search budget this task draws from. */
    AccountBudgets.Lease searchBudget() {
        return searchBudget;
    }

    /** One page of {@code type}'s list endpoint (archived objects, or live ones with their associations). */
    Fetched list(CrmObjectType type, int limit, String after, List<String> properties,
                 List<CrmObjectType> associations, boolean archived, String what) throws HubSpotCallException {
        SynclineRequest.Builder request = SynclineRequest.get(baseUrl + "/crm/v3/objects/" + type.path())
                .query("limit", Integer.toString(limit))
                .query("properties", String.join(",", properties))
                .query("archived", Boolean.toString(archived));
        if (!associations.isEmpty()) {
            request.query("associations", String.join(",", associations.stream().map(CrmObjectType::path).toList()));
        }
        if (after != null) {
            request.query("after", after);
        }
        return fetch(type, request.build(), CallContext.config(what));
    }

    /**
     * The first page of a search: {@code filters} ANDed, sorted ascending by {@code sortProperty}. The reading never
     * pages a search (no {@code after}): it narrows the next query instead, so HubSpot's 10,000-result cap per query
     * never applies.
     */
    Fetched search(CrmObjectType type, List<Filter> filters, String sortProperty, int limit, List<String> properties,
                   String what) throws HubSpotCallException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode group = body.putArray("filterGroups").addObject().putArray("filters");
        for (Filter f : filters) {
            group.addObject().put("propertyName", f.property()).put("operator", f.operator()).put("value", f.value());
        }
        body.putArray("sorts").addObject().put("propertyName", sortProperty).put("direction", "ASCENDING");
        ArrayNode props = body.putArray("properties");
        properties.forEach(props::add);
        body.put("limit", limit);
        SynclineRequest request = SynclineRequest.post(baseUrl + "/crm/v3/objects/" + type.path() + "/search")
                .jsonBody(body.toString())
                .idempotent(true) // a read, although a POST: safe to send again
                .build();
        return fetch(type, request, CallContext.config(what).withLimiter(searchBudget));
    }

    /**
     * The associations to {@code to} of the objects {@code ids} ({@code POST /crm/v4/associations/{from}/{to}/batch
     * /read}, up to 1,000 ids), each object's list in HubSpot's order; an object without any is absent (HubSpot
     * reports it among the batch's errors, with 207).
     */
    Map<String, List<Associated>> associations(CrmObjectType from, CrmObjectType to, List<String> ids, String what)
            throws HubSpotCallException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode inputs = body.putArray("inputs");
        ids.forEach(id -> inputs.addObject().put("id", id));
        SynclineRequest request = SynclineRequest.post(baseUrl + "/crm/v4/associations/" + from.path() + "/"
                        + to.path() + "/batch/read")
                .jsonBody(body.toString())
                .idempotent(true)
                .build();
        SynclineResponse response = execute(request, CallContext.config(what));
        if (response.status() != 200 && response.status() != 207) {
            throw HubSpotCallException.rejected(response, request.describe() + " (" + what + ")");
        }
        Map<String, List<Associated>> out = new LinkedHashMap<>();
        try {
            JsonNode root = JSON.readTree(response.body());
            JsonNode results = root == null ? null : root.get("results");
            if (results == null || !results.isArray()) {
                throw new HubSpotCallException(FailureKind.RETRY, request.describe() + " (" + what + "): the "
                        + "response has no results array", null, 0);
            }
            for (JsonNode r : results) {
                String fromId = r.path("from").path("id").asText("");
                List<Associated> list = new ArrayList<>();
                for (JsonNode t : r.path("to")) {
                    boolean primary = false;
                    for (JsonNode type : t.path("associationTypes")) {
                        primary |= "Primary".equalsIgnoreCase(type.path("label").asText(""));
                    }
                    list.add(new Associated(t.path("toObjectId").asText(""), primary));
                }
                if (!fromId.isEmpty()) {
                    out.put(fromId, list);
                }
            }
        } catch (java.io.IOException e) {
            throw new HubSpotCallException(FailureKind.RETRY, request.describe() + " (" + what + "): the response "
                    + "is not JSON (" + e.getClass().getSimpleName() + ")", null, 0);
        }
        return out;
    }

    private Fetched fetch(CrmObjectType type, SynclineRequest request, CallContext context)
            throws HubSpotCallException {
        SynclineResponse response = execute(request, context);
        long receivedAt = System.currentTimeMillis();
        if (response.status() != 200) {
            throw HubSpotCallException.rejected(response, request.describe() + " (" + context.description() + ")");
        }
        try {
            return new Fetched(ObjectPage.parse(response.body(), paths.get(type)), receivedAt, serverDate(response));
        } catch (JsonPages.MalformedPageException e) {
            throw new HubSpotCallException(FailureKind.RETRY, request.describe() + " (" + context.description()
                    + "): the response is not a complete HubSpot page (" + e.getMessage() + ")", null, 0);
        }
    }

    private SynclineResponse execute(SynclineRequest request, CallContext context) throws HubSpotCallException {
        HttpResult result = http.execute(request, context);
        if (!result.isSuccess()) {
            throw HubSpotCallException.of(result.failure());
        }
        return result.response();
    }

    /** The {@code Date} header (RFC 1123, one-second resolution), if the server sent a valid one. */
    static Optional<Instant> serverDate(SynclineResponse response) {
        return response.headers().first("Date").flatMap(d -> {
            try {
                return Optional.of(ZonedDateTime.parse(d, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public void close() {
        http.close();
        searchBudget.close();
    }

    /**
     * A call that did not produce what was asked: a classified HTTP failure, a body that is not a HubSpot page, or a
     * status the caller did not expect ({@link #status()} then says which, {@link #category()} HubSpot's category).
     */
    static final class HubSpotCallException extends Exception {
        private static final long serialVersionUID = 1L;

        private final FailureKind kind;
        private final transient HttpFailure failure;
        private final int status;
        private final String category;

        HubSpotCallException(FailureKind kind, String message, HttpFailure failure, int status) {
            this(kind, message, failure, status, null);
        }

        HubSpotCallException(FailureKind kind, String message, HttpFailure failure, int status, String category) {
            super(message);
            this.kind = kind;
            this.failure = failure;
            this.status = status;
            this.category = category;
        }

        static HubSpotCallException of(HttpFailure failure) {
            return new HubSpotCallException(failure.kind(), failure.message(), failure, failure.status().orElse(0));
        }

        static HubSpotCallException rejected(SynclineResponse response, String what) {
            String category = null;
            String message = "";
            try {
                JsonNode body = JSON.readTree(response.body());
                if (body != null) {
                    category = body.path("category").asText(null);
                    message = body.path("message").asText("");
                }
            } catch (java.io.IOException | RuntimeException notJson) {
                message = "(the body is not HubSpot's error JSON)";
            }
            return new HubSpotCallException(FailureKind.PERMANENT_CONFIG, what + ": " + response.status()
                    + (category == null ? "" : " " + category) + (message.isEmpty() ? "" : ": " + message), null,
                    response.status(), category);
        }

        /** What the caller should do (the failure table's verdict; RETRY for a malformed body). */
        FailureKind kind() {
            return kind;
        }

        /** The HTTP failure, when the shared client reported one. */
        Optional<HttpFailure> failure() {
            return Optional.ofNullable(failure);
        }

        /** The HTTP status, 0 when none arrived. */
        int status() {
            return status;
        }

        /** HubSpot's error category of an unexpected answer, if it sent one. */
        Optional<String> category() {
            return Optional.ofNullable(category);
        }

        /** When to come back, if the server (or our own limiter) said. */
        Optional<Duration> retryAfter() {
            return failure == null ? Optional.empty() : failure.retryAfter();
        }
    }
}
