package io.syncline.connect.support;

import java.nio.charset.StandardCharsets;
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
 * The Zendesk calls the support source makes, on top of the shared {@link SynclineHttpClient} (SSRF guard, the
 * export request window, authentication, retries with backoff and jitter honouring Retry-After, one failure table).
 * This class only builds the requests and reads the pages.
 */
final class ZendeskExports implements AutoCloseable {

    /** One export page with the moment it arrived and the server's clock, when it sent one. */
    record Fetched(ExportPage page, long receivedAtMillis) {
    }

    /** The acting user ({@code GET /api/v2/users/me}): its role, and the server's clock. */
    record Me(String role, Optional<Instant> serverDate) {
    }

    private final String baseUrl;
    private final SynclineHttpClient http;

    ZendeskExports(SupportSourceConfig config, String name, RetryPolicy retryPolicy) {
        this.baseUrl = config.baseUrl();
        this.http = OutboundHttpConfig.client(config, name)
                .retryPolicy(retryPolicy)
                .userAgent("Syncline-Support-Connector")
                .build();
    }

    /** One page of {@code object}'s export for {@code request}. */
    Fetched page(ZendeskObject object, ExportOffset.Request request, int pageSize, String what)
            throws ExportCallException {
        SynclineRequest.Builder b = SynclineRequest.get(baseUrl + object.exportPath());
        if (request instanceof ExportOffset.Cursor c) {
            b.query("cursor", c.cursor());
        } else {
            b.query("start_time", Long.toString(((ExportOffset.Start) request).startTime()));
        }
        if (object.cursorBased()) {
            b.query("per_page", Integer.toString(pageSize));
        }
        if (object.auditComments()) {
            b.query("include", "comment_events");
        }
        // A start_time inside the minute Zendesk leaves out is a 422 the stream waits out (see ExportStream).
        b.accept(422);
        SynclineRequest r = b.build();
        HttpResult result = http.execute(r, CallContext.config(what));
        if (!result.isSuccess()) {
            throw ExportCallException.of(result.failure());
        }
        SynclineResponse response = result.response();
        long receivedAt = System.currentTimeMillis();
        if (response.status() == 422) {
            String body = new String(response.body(), StandardCharsets.UTF_8);
            boolean tooRecent = body.contains("Too recent start_time");
            throw new ExportCallException(tooRecent ? FailureKind.RETRY : FailureKind.PERMANENT_CONFIG,
                    r.describe() + " (" + what + ") answered 422: " + ExportPage.excerpt(response.body()), null, 422,
                    tooRecent);
        }
        try {
            return new Fetched(ExportPage.parse(response.body(), object), receivedAt);
        } catch (JsonPages.MalformedPageException e) {
            throw new ExportCallException(FailureKind.RETRY, r.describe() + " (" + what + "): the response is not a "
                    + "complete export page (" + e.getMessage() + ")", null, 0, false);
        }
    }

    /** {@code GET /api/v2/users/me}: who the credentials act as, and the server's clock. */
    Me me(String what) throws ExportCallException {
        SynclineRequest r = SynclineRequest.get(baseUrl + "/api/v2/users/me.json").build();
        HttpResult result = http.execute(r, CallContext.config(what));
        if (!result.isSuccess()) {
            throw ExportCallException.of(result.failure());
        }
        SynclineResponse response = result.response();
        String body = new String(response.body(), StandardCharsets.UTF_8);
        String role = null;
        try {
            com.fasterxml.jackson.databind.JsonNode user = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(body).path("user");
            if (user.isObject() && user.path("role").isTextual()) {
                role = user.get("role").asText();
            }
        } catch (java.io.IOException notJson) {
            role = null;
        }
        if (role == null) {
            throw new ExportCallException(FailureKind.PERMANENT_CONFIG, r.describe() + " (" + what + "): the answer "
                    + "is not a Zendesk user (" + ExportPage.excerpt(response.body()) + ")", null, response.status(),
                    false);
        }
        return new Me(role, serverDate(response));
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
     * A call that did not produce a page: a classified HTTP failure, a body that is not an export page, or a 422
     * ({@link #tooRecent()}: a start time inside the minute Zendesk leaves out of the exports).
     */
    static final class ExportCallException extends Exception {
        private static final long serialVersionUID = 1L;

        private final FailureKind kind;
        private final transient HttpFailure failure;
        private final int status;
        private final boolean tooRecent;

        ExportCallException(FailureKind kind, String message, HttpFailure failure, int status, boolean tooRecent) {
            super(message);
            this.kind = kind;
            this.failure = failure;
            this.status = status;
            this.tooRecent = tooRecent;
        }

        static ExportCallException of(HttpFailure failure) {
            return new ExportCallException(failure.kind(), failure.message(), failure, failure.status().orElse(0),
                    false);
        }

        FailureKind kind() {
            return kind;
        }

        Optional<HttpFailure> failure() {
            return Optional.ofNullable(failure);
        }

        int status() {
            return status;
        }

        boolean tooRecent() {
            return tooRecent;
        }

        /** When to come back, if the server (or our own limiter) said. */
        Optional<Duration> retryAfter() {
            return failure == null ? Optional.empty() : failure.retryAfter();
        }
    }
}
