package io.syncline.http;

import static io.syncline.http.ScriptedServer.json;
import static io.syncline.http.ScriptedServer.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OAuth2 token handling against a real token endpoint and API on loopback. */
class OAuth2IT {
    private static final String SECRET = "cs.very.secret.client.value";

    private final ManualTimeSource time = new ManualTimeSource();
    private final AtomicInteger issued = new AtomicInteger();
    private ScriptedServer auth;
    private ScriptedServer api;

    @BeforeEach
    void start() throws Exception {
        auth = new ScriptedServer();
        api = new ScriptedServer();
        // By default the endpoint issues at-000001, at-000002, ... valid for an hour.
        auth.otherwise(seen -> json(200, "{\"access_token\":\"at-" + String.format("%06d", issued.incrementAndGet())
                + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
    }

    @AfterEach
    void stop() {
        auth.close();
        api.close();
    }

    private SynclineHttpClient client(OAuth2Settings settings) {
        return Loopback.client(time).oauth2(settings).build();
    }

    private OAuth2Settings clientCredentials() {
        return OAuth2Settings.clientCredentials(auth.url("/oauth/token"), "client-1", SECRET).build();
    }

    private HttpResult get(SynclineHttpClient http) {
        return http.execute(SynclineRequest.get(api.url("/v1/items")).build(), CallContext.config("listing items"));
    }

    private List<String> tokenRequestBodies() {
        List<String> bodies = new ArrayList<>();
        auth.requests().forEach(r -> bodies.add(r.body));
        return bodies;
    }

    @Test
    void refreshesTheTokenOnceOn401ThenSucceeds() {
        api.otherwise(seen -> "Bearer at-000002".equals(seen.header("Authorization"))
                ? reply(200, "items") : reply(401, "expired"));
        try (SynclineHttpClient http = client(clientCredentials())) {

            HttpResult result = get(http);

            assertThat(result.response().bodyAsString()).isEqualTo("items");
            assertThat(auth.requests()).hasSize(2);
            assertThat(api.requests()).extracting(r -> r.header("Authorization"))
                    .containsExactly("Bearer at-000001", "Bearer at-000002");
            assertThat(time.sleeps()).as("a refresh is not a backoff").isEmpty();
        }
    }

    @Test
    void failsNamingTheKeyWhenTheApiRejectsTheRefreshedTokenToo() {
        api.otherwise(seen -> reply(401, "{\"category\":\"EXPIRED_AUTHENTICATION\"}"));
        OAuth2Settings settings = OAuth2Settings.refreshToken(auth.url("/oauth/token"), "client-1", SECRET, "rt-1")
                .configKeys("crm.oauth.client.id", "crm.oauth.client.secret", "crm.oauth.refresh.token",
                        "crm.oauth.scope")
                .build();
        try (SynclineHttpClient http = client(settings)) {

            HttpFailure failure = get(http).failure();

            assertThat(failure.kind()).isEqualTo(FailureKind.AUTH);
            assertThat(failure.configKey()).contains("crm.oauth.refresh.token");
            assertThat(failure.message()).isEqualTo("GET " + api.url("/v1/items") + " (listing items): 401 "
                    + "Unauthorized even after a token refresh; the credentials were rejected: check "
                    + "'crm.oauth.refresh.token'; response: {\"category\":\"EXPIRED_AUTHENTICATION\"}");
            assertThat(auth.requests()).hasSize(2);
            assertThat(api.requests()).hasSize(2);
        }
    }

    @Test
    void staticBearerTokenRejectionNamesItsKeyWithoutARetry() {
        api.otherwise(seen -> reply(401, ""));
        try (SynclineHttpClient http = Loopback.client(time)
                .authenticator(Authenticator.bearer("sk_test_123456789", "stripe.api.key")).build()) {

            HttpFailure failure = get(http).failure();

            assertThat(failure.kind()).isEqualTo(FailureKind.AUTH);
            assertThat(failure.message()).endsWith(": 401 Unauthorized; the credentials were rejected: check "
                    + "'stripe.api.key'");
            assertThat(api.requests()).hasSize(1);
        }
    }

    @Test
    void concurrentCallersShareASingleTokenRequest() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        auth.then(seen -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return json(200, "{\"access_token\":\"at-shared-token\",\"expires_in\":3600}");
        });
        api.otherwise(seen -> "Bearer at-shared-token".equals(seen.header("Authorization"))
                ? reply(200, "ok") : reply(401, ""));
        int callers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Thread> threads = new CopyOnWriteArrayList<>();
        try (SynclineHttpClient http = client(clientCredentials())) {
            List<Future<HttpResult>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    threads.add(Thread.currentThread());
                    return get(http);
                }));
            }
            // One caller waits on the token endpoint's answer; every other caller must be parked waiting for it.
            await().atMost(Duration.ofSeconds(60)).until(() -> auth.requests().size() == 1 && threads.size() == callers
                    && threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
            release.countDown();

            for (Future<HttpResult> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS).isSuccess()).isTrue();
            }
            assertThat(auth.requests()).hasSize(1);
            assertThat(api.requests()).hasSize(callers);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void concurrent401sWithTheSameTokenCauseOneRefresh() throws Exception {
        api.otherwise(seen -> "Bearer at-000001".equals(seen.header("Authorization"))
                ? reply(401, "") : reply(200, "ok"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (SynclineHttpClient http = client(clientCredentials())) {
            get(http); // issues at-000001, rejected, refreshed to at-000002
            List<Future<HttpResult>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> get(http)));
            }
            for (Future<HttpResult> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS).isSuccess()).isTrue();
            }
            assertThat(auth.requests()).hasSize(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refreshesAheadOfExpiry() {
        auth.otherwise(seen -> json(200, "{\"access_token\":\"at-" + issued.incrementAndGet()
                + "\",\"expires_in\":300}"));
        api.otherwise(seen -> reply(200, "ok"));
        OAuth2Settings settings = OAuth2Settings.clientCredentials(auth.url("/oauth/token"), "client-1", SECRET)
                .refreshSkew(Duration.ofSeconds(60)).build();
        try (SynclineHttpClient http = client(settings)) {
            get(http).orThrow();
            time.advance(Duration.ofSeconds(200));
            get(http).orThrow();
            assertThat(auth.requests()).as("still 100 s before the skew window").hasSize(1);

            time.advance(Duration.ofSeconds(50)); // 250 s: inside the last 60 s of the token's 300 s
            get(http).orThrow();

            assertThat(auth.requests()).hasSize(2);
            assertThat(api.requests()).extracting(r -> r.header("Authorization"))
                    .containsExactly("Bearer at-1", "Bearer at-1", "Bearer at-2");
        }
    }

    @Test
    void keepsAndReportsARotatedRefreshToken() {
        AtomicInteger rotation = new AtomicInteger(1);
        auth.otherwise(seen -> json(200, "{\"access_token\":\"at-" + issued.incrementAndGet()
                + "\",\"expires_in\":1800,\"token_type\":\"bearer\",\"refresh_token\":\"rt-"
                + rotation.incrementAndGet() + "\"}"));
        api.otherwise(seen -> seen.header("Authorization").equals("Bearer at-1") ? reply(401, "") : reply(200, ""));
        List<String> persisted = new CopyOnWriteArrayList<>();
        OAuth2Settings settings = OAuth2Settings.refreshToken(auth.url("/oauth/token"), "client-1", SECRET, "rt-1")
                .clientAuth(OAuth2Settings.ClientAuth.CLIENT_SECRET_POST)
                .onRefreshTokenRotated(persisted::add).build();
        try (SynclineHttpClient http = client(settings)) {

            get(http).orThrow();

            assertThat(tokenRequestBodies()).containsExactly(
                    "grant_type=refresh_token&refresh_token=rt-1&client_id=client-1&client_secret=" + SECRET,
                    "grant_type=refresh_token&refresh_token=rt-2&client_id=client-1&client_secret=" + SECRET);
            assertThat(persisted).containsExactly("rt-2", "rt-3");
            assertThat(((OAuth2Authenticator) http.authenticator()).currentRefreshToken()).contains("rt-3");
        }
    }

    @Test
    void authenticatesTheClientWithBasicAuthByDefault() {
        api.otherwise(seen -> reply(200, ""));
        OAuth2Settings settings = OAuth2Settings.clientCredentials(auth.url("/oauth/token"), "client 1", "p@ss:word")
                .scope("crm.read crm.write").build();
        try (SynclineHttpClient http = client(settings)) {

            get(http).orThrow();

            ScriptedServer.Seen token = auth.requests().get(0);
            assertThat(token.method).isEqualTo("POST");
            assertThat(token.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
            // RFC 6749 2.3.1: id and secret are form-encoded before basic auth joins them.
            assertThat(token.header("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                    .encodeToString("client+1:p%40ss%3Aword".getBytes(StandardCharsets.UTF_8)));
            assertThat(token.body).isEqualTo("grant_type=client_credentials&scope=crm.read+crm.write");
        }
    }

    @Test
    void invalidGrantIsAClearPermanentFailure() {
        auth.otherwise(seen -> json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been "
                + "expired or revoked.\"}"));
        OAuth2Settings settings = OAuth2Settings.refreshToken(auth.url("/oauth/token"), "client-1", SECRET,
                "rt-revoked-123456").configKeys("crm.oauth.client.id", "crm.oauth.client.secret",
                "crm.oauth.refresh.token", "crm.oauth.scope").build();
        try (SynclineHttpClient http = client(settings)) {

            HttpFailure failure = get(http).failure();

            assertThat(failure.kind()).isEqualTo(FailureKind.AUTH);
            assertThat(failure.rule()).isEqualTo(FailureRule.TOKEN_REJECTED);
            assertThat(failure.configKey()).contains("crm.oauth.refresh.token");
            assertThat(failure.message()).isEqualTo("GET " + api.url("/v1/items") + " (listing items): could not get "
                    + "credentials: OAuth2 token request to " + auth.url("/oauth/token") + " rejected the refresh "
                    + "token (400 Bad Request, invalid_grant: Token has been expired or revoked.): it was revoked, "
                    + "expired or already used; authorize the app again and set 'crm.oauth.refresh.token' to the "
                    + "new refresh token");
            assertThat(auth.requests()).hasSize(1);
            assertThat(api.requests()).isEmpty();
        }
    }

    @Test
    void retriesATokenEndpointOutage() {
        auth.then(reply(503, "").header("Retry-After", "3"));
        api.otherwise(seen -> reply(200, "ok"));
        try (SynclineHttpClient http = client(clientCredentials())) {

            HttpResult result = get(http);

            assertThat(result.isSuccess()).as("%s", result).isTrue();
            assertThat(auth.requests()).hasSize(2);
            assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(3));
        }
    }

    @Test
    void tokensAndSecretsNeverAppearInMessagesOrLogs() {
        String refreshToken = "rt.super.secret.refresh";
        // An API that echoes the Authorization header back in its error body, and a token endpoint that rotates
        // the refresh token and then echoes the client secret in an error description: nothing may leak.
        auth.then(json(200, "{\"access_token\":\"at-super-secret-one\",\"expires_in\":3600,"
                        + "\"refresh_token\":\"rt-rotated-secret-value\"}"),
                json(200, "{\"access_token\":\"at-super-secret-two\",\"expires_in\":3600}"),
                json(401, "{\"error\":\"invalid_client\",\"error_description\":\"bad secret " + SECRET + "\"}"));
        api.otherwise(seen -> reply(401, "you sent " + seen.header("Authorization")));
        OAuth2Settings settings = OAuth2Settings.refreshToken(auth.url("/oauth/token"), "client-1", SECRET,
                refreshToken).build();
        try (LogCapture logs = new LogCapture("io.syncline.http");
             SynclineHttpClient http = client(settings)) {

            HttpFailure rejected = get(http).failure();
            HttpFailure refreshFailed;
            try (SynclineHttpClient second = client(settings)) {
                refreshFailed = get(second).failure();
            }

            assertThat(rejected.kind()).isEqualTo(FailureKind.AUTH);
            assertThat(rejected.message()).endsWith("; response: you sent Bearer ****");
            assertThat(refreshFailed.kind()).isEqualTo(FailureKind.AUTH);
            assertThat(refreshFailed.message()).contains("rejected the client credentials (401 Unauthorized, "
                    + "invalid_client: bad secret ****)");
            assertThat(logs.text()).as("the capture works").contains("retrying once with a refreshed token",
                    "got an access token");
            for (HttpFailure failure : List.of(rejected, refreshFailed)) {
                String everything = failure.message() + failure + failure.toException()
                        + failure.responseExcerpt().orElse("") + logs.text();
                assertThat(everything).doesNotContain("at-super-secret-one", "at-super-secret-two",
                        "rt-rotated-secret-value", refreshToken, SECRET);
            }
        }
    }

    @Test
    void basicAuthCredentialsEchoedByTheServerAreMasked() {
        api.otherwise(seen -> reply(400, "bad request from " + seen.header("Authorization")));
        try (SynclineHttpClient http = Loopback.client(time)
                .authenticator(Authenticator.basic("agent@example.com/token", "zd-api-token-123", "zendesk.api.token"))
                .build()) {

            HttpFailure failure = http.execute(SynclineRequest.put(api.url("/api/v2/tickets/1.json")).jsonBody("{}")
                    .build(), CallContext.record("updating ticket 1")).failure();

            assertThat(failure.kind()).isEqualTo(FailureKind.PERMANENT_RECORD);
            assertThat(failure.message()).endsWith("response: bad request from Basic ****");
            assertThat(api.requests().get(0).header("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                    .encodeToString("agent@example.com/token:zd-api-token-123".getBytes(StandardCharsets.UTF_8)));
        }
    }
}
