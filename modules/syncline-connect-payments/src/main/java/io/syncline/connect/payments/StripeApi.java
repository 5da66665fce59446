package io.syncline.connect.payments;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import io.syncline.connect.common.OutboundHttpConfig;
import io.syncline.http.CallContext;
import io.syncline.http.FailureKind;
import io.syncline.http.HttpFailure;
import io.syncline.http.HttpResult;
import io.syncline.http.RetryPolicy;
import io.syncline.http.SynclineHttpClient;
import io.syncline.http.SynclineRequest;
import io.syncline.http.SynclineResponse;
import io.syncline.json.JsonPages;

/**
 * The Stripe calls the payments connector makes, on top of the shared {@link SynclineHttpClient} (SSRF guard,
 * request budget, bearer auth, retries with backoff and jitter honouring Retry-After, one failure table). This class
 * only builds the requests and reads the list pages.
 */
final class StripeApi implements AutoCloseable {

    /** One list page with the moment it arrived and the server's clock, when it sent one. */
    record Fetched(ListPage page, long receivedAtMillis, Optional<Instant> serverDate) {
    }

    /** The parameters of one list request. */
    record ListQuery(int limit, Long createdGte, Long createdLte, String startingAfter) {
    }

    private final String baseUrl;
    private final SynclineHttpClient http;

    StripeApi(PaymentsSourceConfig config, String name, RetryPolicy retryPolicy) {
        this.baseUrl = config.baseUrl();
        this.http = client(config, name, retryPolicy);
    }

    /**
     * The HTTP client the connector's settings describe (the shared outbound keys: allow-list, timeouts, the task's
     * share of the rate limit, the key as a bearer token), with {@code retryPolicy}.
     */
    static SynclineHttpClient client(PaymentsSourceConfig config, String name, RetryPolicy retryPolicy) {
        return OutboundHttpConfig.client(config, name)
                .retryPolicy(retryPolicy)
                .userAgent("Syncline-Payments-Connector")
                .build();
    }

    /** The retry policy the connector's retry keys describe. */
    static RetryPolicy retryPolicy(PaymentsSourceConfig config) {
        return OutboundHttpConfig.retryPolicy(config);
    }

    /** One page of {@code object}'s list endpoint, newest first. */
    Fetched list(StripeObject object, ListQuery q, String what) throws StripeCallException {
        SynclineRequest.Builder request = SynclineRequest.get(baseUrl + object.listPath());
        addPaging(request, q);
        if (q.startingAfter() != null) {
            // A starting_after object that no longer exists is a 400/404 the backfill handles itself.
            request.accept(400, 404);
        }
        return fetch(request.build(), what, false);
    }

    /** One page of {@code /v1/events} carrying {@code object}, newest first. */
    Fetched events(StripeObject object, ListQuery q, String what) throws StripeCallException {
        SynclineRequest.Builder request = SynclineRequest.get(baseUrl + "/v1/events");
        addPaging(request, q);
        for (String type : object.eventTypes()) {
            request.query("types[]", type);
        }
        return fetch(request.build(), what, true);
    }

    private static void addPaging(SynclineRequest.Builder request, ListQuery q) {
        request.query("limit", Integer.toString(q.limit()));
        if (q.createdGte() != null) {
            request.query("created[gte]", Long.toString(q.createdGte()));
        }
        if (q.createdLte() != null) {
            request.query("created[lte]", Long.toString(q.createdLte()));
        }
        if (q.startingAfter() != null) {
            request.query("starting_after", q.startingAfter());
        }
    }

    private Fetched fetch(SynclineRequest request, String what, boolean events) throws StripeCallException {
        HttpResult result = http.execute(request, CallContext.config(what));
        if (!result.isSuccess()) {
            throw StripeCallException.of(result.failure());
        }
        SynclineResponse response = result.response();
        long receivedAt = System.currentTimeMillis();
        if (response.status() != 200) {
            throw StripeCallException.rejected(response, request.describe() + " (" + what + ")");
        }
        try {
            return new Fetched(ListPage.parse(response.body(), events), receivedAt, serverDate(response));
        } catch (JsonPages.MalformedPageException e) {
            throw new StripeCallException(FailureKind.RETRY, request.describe() + " (" + what + "): the response is "
                    + "not a complete Stripe list (" + e.getMessage() + ")", null, 0, null);
        }
    }

    /** The {@code Date} header (RFC 1123, one-second resolution), if the server sent a valid one. */
    private static Optional<Instant> serverDate(SynclineResponse response) {
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
    }

    /**
     * A call that did not produce a list page: a classified HTTP failure, a body that is not a list, or a 400/404 the
     * caller accepted ({@link #status()} and {@link #stripeParam()} then say what Stripe objected to).
     */
    static final class StripeCallException extends Exception {
        private static final long serialVersionUID = 1L;

        private final FailureKind kind;
        private final transient HttpFailure failure;
        private final int status;
        private final String stripeParam;

        StripeCallException(FailureKind kind, String message, HttpFailure failure, int status, String stripeParam) {
            super(message);
            this.kind = kind;
            this.failure = failure;
            this.status = status;
            this.stripeParam = stripeParam;
        }

        static StripeCallException of(HttpFailure failure) {
            return new StripeCallException(failure.kind(), failure.message(), failure,
                    failure.status().orElse(0), null);
        }

        static StripeCallException rejected(SynclineResponse response, String what) {
            StripeError error = StripeError.parse(response.body());
            return new StripeCallException(FailureKind.PERMANENT_CONFIG, what + ": " + response.status() + " "
                    + error.describe(), null, response.status(), error.param());
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

        /** Stripe's {@code error.param} of an accepted 400/404, if any. */
        Optional<String> stripeParam() {
            return Optional.ofNullable(stripeParam);
        }

        /** When to come back, if the server (or our own limiter) said. */
        Optional<Duration> retryAfter() {
            return failure == null ? Optional.empty() : failure.retryAfter();
        }
    }
}
