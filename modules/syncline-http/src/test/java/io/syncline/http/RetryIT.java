package io.syncline.http;

import static io.syncline.http.ScriptedServer.json;
import static io.syncline.http.ScriptedServer.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Retries, backoff and the failure table against real HTTP servers on loopback, with a manual clock. */
class RetryIT {

    private final ManualTimeSource time = new ManualTimeSource();

    @Test
    void retriesOn429HonouringRetryAfter() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
             SynclineHttpClient http = Loopback.client(time).build()) {
            server.then(json(429, "{\"error\":\"rate_limit\"}").header("Retry-After", "7"), json(200, "{\"ok\":true}"));

            HttpResult result = http.execute(SynclineRequest.get(server.url("/v1/charges")).build(),
                    CallContext.config("page 1"));

            assertThat(result.isSuccess()).isTrue();
            assertThat(result.response().bodyAsString()).isEqualTo("{\"ok\":true}");
            assertThat(result.response().attempts()).isEqualTo(2);
            // Backoff alone would wait 0.5 s; the server asked for 7 s.
            assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(7));
            assertThat(server.requests()).hasSize(2);
        }
    }

    @Test
    void honoursAnHttpDateRetryAfter() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
             SynclineHttpClient http = Loopback.client(time).build()) {
            String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    time.now().plusSeconds(12).atOffset(ZoneOffset.UTC));
            server.then(reply(503, "").header("Retry-After", date), reply(200, "done"));

            HttpResult result = http.execute(SynclineRequest.get(server.url("/x")).build(), CallContext.config(""));

            assertThat(result.response().bodyAsString()).isEqualTo("done");
            assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(12));
        }
    }

    @Test
    void backsOffExponentiallyOn5xxThenSucceeds() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
             SynclineHttpClient http = Loopback.client(time).build()) {
            server.then(reply(500, "boom"), reply(502, ""), reply(504, ""), reply(200, "fine"));

            HttpResult result = http.execute(SynclineRequest.get(server.url("/x")).build(), CallContext.config(""));

            assertThat(result.response().bodyAsString()).isEqualTo("fine");
            assertThat(result.response().attempts()).isEqualTo(4);
            assertThat(time.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1),
                    Duration.ofSeconds(2));
        }
    }

    @Test
    void givesUpAtMaxAttemptsWithAMessageSayingWhatItWasDoing() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
             SynclineHttpClient http = Loopback.client(time)
                     .retryPolicy(RetryPolicy.builder().jitter(RetryPolicy.Jitter.NONE).maxAttempts(5).build())
                     .build()) {
            server.otherwise(seen -> json(503, "{\"error\":\"maintenance\"}"));

            HttpResult result = http.execute(
                    SynclineRequest.get(server.url("/v1/charges")).query("limit", "100").build(),
                    CallContext.config("page 3"));

            HttpFailure failure = result.failure();
            assertThat(failure.kind()).isEqualTo(FailureKind.RETRY);
            assertThat(failure.rule()).isEqualTo(FailureRule.SERVER_ERROR);
            assertThat(failure.attempts()).isEqualTo(5);
            assertThat(failure.status()).contains(503);
            // 0.5 + 1 + 2 + 4 s of backoff on the manual clock.
            assertThat(failure.message()).isEqualTo("GET " + server.url("/v1/charges?limit=100")
                    + " (page 3): 503 Service Unavailable after 5 attempts over 7.5 s; response: {\"error\":\"maintenance\"}");
            assertThat(server.requests()).hasSize(5);
        }
    }

    @Test
    void givesUpWhenTheRetryTimeBudgetWouldBePassed() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
             SynclineHttpClient http = Loopback.client(time)
                     .retryPolicy(RetryPolicy.builder().jitter(RetryPolicy.Jitter.NONE).maxAttempts(100)
                             .maxElapsed(Duration.ofSeconds(10)).build())
                     .build()) {
            server.otherwise(seen -> reply(500, ""));

            HttpFailure failure = http.execute(SynclineRequest.get(server.url("/x")).build(),
                    CallContext.config("")).failure();

            // Waits of 0.5, 1, 2, 4 s fit in 10 s; the next (8 s) would end at 15.5 s.
            assertThat(time.sleeps()).hasSize(4);
            assertThat(failure.attempts()).isEqualTo(5);
            assertThat(failure.message()).endsWith("500 Server Error after 5 attempts over 7.5 s; gave up: waiting "
                    + "8.0 s more would pass the retry time budget of 10.0 s");
        }
    }

    @Test
    void givesUpAtOnceWhenTheServerAsksForALongerWaitThanThePolicyHonours() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
             SynclineHttpClient http = Loopback.client(time).build()) {
            server.then(reply(429, "").header("Retry-After", "3600"));

            HttpFailure failure = http.execute(SynclineRequest.get(server.url("/x")).build(),
                    CallContext.config("")).failure();

            assertThat(failure.kind()).isEqualTo(FailureKind.RETRY);
            assertThat(failure.retryAfter()).contains(Duration.ofHours(1));
            assertThat(failure.message()).contains("gave up: the server asked to wait 3600.0 s, more than the 120.0 s");
            assertThat(time.sleeps()).isEmpty();
        }
    }

    @Test
    void doesNotRetry400Or404AndClassifiesThemByCallLevel() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
             SynclineHttpClient http = Loopback.client(time).build()) {
            server.then(json(400, "{\"message\":\"email is invalid\"}"), reply(404, "no such path"));

            HttpFailure perRecord = http.execute(SynclineRequest.put(server.url("/contacts/42")).jsonBody("{}").build(),
                    CallContext.record("upserting contact 42")).failure();
            HttpFailure config = http.execute(SynclineRequest.get(server.url("/wrong-base")).build(),
                    CallContext.config("validating base URL")).failure();

            assertThat(perRecord.kind()).isEqualTo(FailureKind.PERMANENT_RECORD);
            assertThat(perRecord.message()).isEqualTo("PUT " + server.url("/contacts/42")
                    + " (upserting contact 42): 400 Bad Request; response: {\"message\":\"email is invalid\"}");
            assertThat(config.kind()).isEqualTo(FailureKind.PERMANENT_CONFIG);
            assertThat(config.status()).contains(404);
            assertThat(server.requests()).hasSize(2);
            assertThat(time.sleeps()).isEmpty();
        }
    }

    @Test
    void treats501AsPermanent() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
             SynclineHttpClient http = Loopback.client(time).build()) {
            server.otherwise(seen -> reply(501, ""));

            HttpFailure failure = http.execute(SynclineRequest.method("PATCH", server.url("/x")).build(),
                    CallContext.record("")).failure();

            assertThat(failure.kind()).isEqualTo(FailureKind.PERMANENT_CONFIG);
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void returnsAcceptedStatusesAsResponses() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
             SynclineHttpClient http = Loopback.client(time).build()) {
            server.then(reply(404, "gone"));

            SynclineResponse response = http.execute(SynclineRequest.get(server.url("/tickets/9")).accept(404).build(),
                    CallContext.record("reading ticket 9")).orThrow();

            assertThat(response.status()).isEqualTo(404);
            assertThat(response.bodyAsString()).isEqualTo("gone");
        }
    }

    @Test
    void retriesAConnectionReset() throws Exception {
        try (RawServer server = new RawServer(RawServer.Behaviour.RESET, RawServer.Behaviour.RESET,
                RawServer.Behaviour.OK);
             SynclineHttpClient http = Loopback.client(time).build()) {

            HttpResult result = http.execute(SynclineRequest.get(server.url("/x")).build(), CallContext.config(""));

            assertThat(result.isSuccess()).as("%s", result).isTrue();
            assertThat(result.response().attempts()).isEqualTo(3);
            assertThat(server.connections()).isEqualTo(3);
        }
    }

    @Test
    void reportsAConnectionResetThatOutlastsTheAttempts() throws Exception {
        try (RawServer server = new RawServer(RawServer.Behaviour.RESET, RawServer.Behaviour.RESET);
             SynclineHttpClient http = Loopback.client(time)
                     .retryPolicy(RetryPolicy.builder().jitter(RetryPolicy.Jitter.NONE).maxAttempts(2).build())
                     .build()) {

            HttpFailure failure = http.execute(SynclineRequest.get(server.url("/x")).build(),
                    CallContext.config("")).failure();

            assertThat(failure.kind()).isEqualTo(FailureKind.RETRY);
            assertThat(failure.rule()).isEqualTo(FailureRule.CONNECTION_LOST);
            assertThat(failure.message()).contains("connection lost before a response").contains("after 2 attempts");
        }
    }

    @Test
    void doesNotRepeatAPostWithoutIdempotencyKeyAfterAReset() throws Exception {
        try (RawServer server = new RawServer(RawServer.Behaviour.RESET, RawServer.Behaviour.OK);
             SynclineHttpClient http = Loopback.client(time).build()) {

            HttpFailure failure = http.execute(SynclineRequest.post(server.url("/charges")).jsonBody("{}").build(),
                    CallContext.record("creating charge")).failure();

            assertThat(failure.kind()).isEqualTo(FailureKind.RETRY);
            assertThat(failure.message()).contains("not retried: a POST without an Idempotency-Key may already have "
                    + "been applied");
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void repeatsAPostThatCarriesAnIdempotencyKey() throws Exception {
        try (RawServer server = new RawServer(RawServer.Behaviour.RESET, RawServer.Behaviour.OK);
             SynclineHttpClient http = Loopback.client(time).build()) {

            HttpResult result = http.execute(SynclineRequest.post(server.url("/charges")).jsonBody("{}")
                    .idempotencyKey("change-17").build(), CallContext.record("creating charge"));

            assertThat(result.isSuccess()).as("%s", result).isTrue();
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void retriesTimeouts() throws Exception {
        try (RawServer server = new RawServer(RawServer.Behaviour.SILENT, RawServer.Behaviour.OK);
             SynclineHttpClient http = Loopback.client(time).requestTimeout(Duration.ofSeconds(2)).build()) {

            HttpResult result = http.execute(SynclineRequest.get(server.url("/slow")).build(), CallContext.config(""));

            assertThat(result.isSuccess()).as("%s", result).isTrue();
            assertThat(result.response().attempts()).isEqualTo(2);
        }
    }

    @Test
    void classifiesATimeoutThatOutlastsTheAttempts() throws Exception {
        try (RawServer server = new RawServer(RawServer.Behaviour.SILENT);
             SynclineHttpClient http = Loopback.client(time).requestTimeout(Duration.ofMillis(500))
                     .retryPolicy(RetryPolicy.noRetries()).build()) {

            HttpFailure failure = http.execute(SynclineRequest.get(server.url("/slow")).build(),
                    CallContext.config("")).failure();

            assertThat(failure.rule()).isEqualTo(FailureRule.TIMEOUT);
            assertThat(failure.kind()).isEqualTo(FailureKind.RETRY);
            assertThat(failure.message()).contains("timed out");
        }
    }

    @Test
    void retriesATruncatedBody() throws Exception {
        try (RawServer server = new RawServer(RawServer.Behaviour.TRUNCATED, RawServer.Behaviour.OK);
             SynclineHttpClient http = Loopback.client(time).build()) {

            HttpResult result = http.execute(SynclineRequest.get(server.url("/page")).build(), CallContext.config(""));

            assertThat(result.isSuccess()).as("%s", result).isTrue();
            assertThat(result.response().bodyAsString()).isEqualTo("ok");
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void retriesWhenTheConnectionIsRefused() throws Exception {
        int port;
        try (RawServer probe = new RawServer()) {
            port = probe.port();
        }
        try (SynclineHttpClient http = Loopback.client(time)
                .retryPolicy(RetryPolicy.builder().jitter(RetryPolicy.Jitter.NONE).maxAttempts(3).build()).build()) {

            HttpFailure failure = http.execute(SynclineRequest.post("http://127.0.0.1:" + port + "/x").build(),
                    CallContext.record("")).failure();

            // Nothing was sent, so even a POST without an idempotency key is repeated.
            assertThat(failure.rule()).isEqualTo(FailureRule.CONNECT_FAILED);
            assertThat(failure.attempts()).isEqualTo(3);
        }
    }

    @Test
    void boundsTheResponseBodyInFailureMessages() throws Exception {
        String huge = "x".repeat(10_000);
        try (ScriptedServer server = new ScriptedServer();
             SynclineHttpClient http = Loopback.client(time).build()) {
            server.then(reply(422, huge));

            HttpFailure failure = http.execute(SynclineRequest.post(server.url("/x")).jsonBody("{}").build(),
                    CallContext.record("")).failure();

            assertThat(failure.responseExcerpt()).hasValueSatisfying(e -> assertThat(e.length()).isLessThan(2200));
            assertThat(failure.message().length()).isLessThan(2400);
            assertThat(failure.message()).endsWith("... (10000 bytes in all)");
        }
    }

    @Test
    void refusesResponsesLargerThanTheLimit() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
             SynclineHttpClient http = Loopback.client(time).maxResponseBytes(1000).build()) {
            server.then(reply(200, "y".repeat(5000)));

            HttpFailure failure = http.execute(SynclineRequest.get(server.url("/big")).build(),
                    CallContext.config("")).failure();

            assertThat(failure.rule()).isEqualTo(FailureRule.RESPONSE_TOO_LARGE);
            assertThat(failure.kind()).isEqualTo(FailureKind.PERMANENT_CONFIG);
            assertThat(failure.message()).contains("1000-byte limit");
        }
    }

    @Test
    void closeWakesACallWaitingToRetry() throws Exception {
        try (ScriptedServer server = new ScriptedServer()) {
            server.otherwise(seen -> reply(503, "").header("Retry-After", "100"));
            SynclineHttpClient http = SynclineHttpClient.builder().outboundPolicy(Loopback.policy()).build();
            CompletableFuture<HttpResult> call = CompletableFuture.supplyAsync(() ->
                    http.execute(SynclineRequest.get(server.url("/x")).build(), CallContext.config("")));
            await().atMost(Duration.ofSeconds(30)).until(() -> server.requests().size() == 1);

            http.close();

            HttpResult result = call.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(result.failure().kind()).isEqualTo(FailureKind.CANCELLED);
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void interruptingTheCallingThreadEndsTheCallCancelled() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
             SynclineHttpClient http = SynclineHttpClient.builder().outboundPolicy(Loopback.policy()).build()) {
            server.otherwise(seen -> reply(503, "").header("Retry-After", "100"));
            List<HttpResult> results = new CopyOnWriteArrayList<>();
            List<Boolean> stillInterrupted = new CopyOnWriteArrayList<>();
            Thread caller = new Thread(() -> {
                results.add(http.execute(SynclineRequest.get(server.url("/x")).build(), CallContext.config("")));
                stillInterrupted.add(Thread.currentThread().isInterrupted());
            });
            caller.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> server.requests().size() == 1);

            caller.interrupt();
            caller.join(30_000);

            assertThat(results).hasSize(1);
            assertThat(results.get(0).failure().kind()).isEqualTo(FailureKind.CANCELLED);
            assertThat(stillInterrupted).containsExactly(true);
        }
    }

    @Test
    void doesNotRetryTheLocalRateLimitWhenTheCallerAsksNotToWait() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
             SynclineHttpClient http = Loopback.client(time).rateLimit(1, 1).build()) {
            CallContext nonBlocking = CallContext.config("poll").withRateLimitWait(Duration.ZERO);

            HttpResult first = http.execute(SynclineRequest.get(server.url("/x")).build(), nonBlocking);
            HttpResult second = http.execute(SynclineRequest.get(server.url("/x")).build(), nonBlocking);

            assertThat(first.isSuccess()).isTrue();
            assertThat(second.failure().rule()).isEqualTo(FailureRule.LOCAL_RATE_LIMIT);
            assertThat(second.failure().kind()).isEqualTo(FailureKind.RETRY);
            assertThat(second.failure().retryAfter()).contains(Duration.ofSeconds(1));
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void waitsForTheRateLimitAndSlowsDownAfterA429() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
             SynclineHttpClient http = Loopback.client(time).rateLimit(10, 1).build()) {
            server.then(reply(429, ""), reply(200, ""), reply(200, ""));

            http.execute(SynclineRequest.get(server.url("/x")).build(), CallContext.config("")).orThrow();
            http.execute(SynclineRequest.get(server.url("/x")).build(), CallContext.config("")).orThrow();

            TokenBucket bucket = (TokenBucket) http.rateLimiter("127.0.0.1");
            assertThat(bucket.currentRate()).isLessThan(10).isGreaterThan(4.9);
            assertThat(server.requests()).hasSize(3);
        }
    }
    @Test
    void reportsAttemptsRetriesByReasonAndRateLimitWaitsToTheMetricsListener() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        HttpMetricsListener listener = new HttpMetricsListener() {
            @Override
            public void attempt(String target, String method) {
                events.add("attempt " + target + " " + method);
            }

            @Override
            public void retry(String target, FailureRule reason, Duration delay) {
                events.add("retry " + reason + " " + delay.toMillis());
            }

            @Override
            public void rateLimitWait(String target, Duration waited) {
                events.add("wait " + waited.toMillis());
            }

            @Override
            public void success(String target, int status, int attempts, Duration elapsed) {
                events.add("success " + status + " " + attempts);
            }

            @Override
            public void failure(String target, FailureKind kind, FailureRule reason, int attempts, Duration elapsed) {
                events.add("failure " + kind + " " + reason + " " + attempts);
            }
        };
        try (ScriptedServer server = new ScriptedServer();
             SynclineHttpClient http = Loopback.client(time).rateLimit(2, 1).adaptiveRateLimit(false)
                     .metricsListener(listener).build()) {
            server.then(reply(429, "").header("Retry-After", "1"), reply(200, ""), reply(404, ""));

            http.execute(SynclineRequest.get(server.url("/a")).build(), CallContext.config(""));
            http.execute(SynclineRequest.get(server.url("/b")).build(), CallContext.config(""));

            assertThat(events).containsExactly(
                    "attempt 127.0.0.1 GET",
                    "retry RATE_LIMITED 1000",
                    "attempt 127.0.0.1 GET",
                    "success 200 2",
                    "wait 500",
                    "attempt 127.0.0.1 GET",
                    "failure PERMANENT_CONFIG CLIENT_ERROR 1");
        }
    }
}
