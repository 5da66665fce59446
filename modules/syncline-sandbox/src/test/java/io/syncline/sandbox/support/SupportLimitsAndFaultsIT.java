package io.syncline.sandbox.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.syncline.sandbox.testing.HttpTestClient;

class SupportLimitsAndFaultsIT {

    private SupportSandbox zendesk;
    private HttpTestClient api;

    @BeforeEach
    void start() {
        zendesk = SupportSandbox.builder().seed(17).rateLimitPerMinute(5).build().start();
        api = Zendesk.client(zendesk);
    }

    @AfterEach
    void stop() {
        zendesk.close();
    }

    @Test
    void theAccountWideLimitAnswers429WithRetryAfterAndRateLimitHeaders() throws Exception {
        for (int i = 0; i < 5; i++) {
            HttpTestClient.Response ok = api.get("/api/v2/users/me.json");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.header("X-Rate-Limit")).isEqualTo("5");
            assertThat(ok.header("X-Rate-Limit-Remaining")).isEqualTo(Integer.toString(4 - i));
        }
        HttpTestClient.Response limited = api.get("/api/v2/tickets.json");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(limited.header("X-Rate-Limit-Remaining")).isEqualTo("0");
        assertThat(limited.raw()).isEqualTo("Number of allowed API requests per minute exceeded");
        // Writes count against the same account-wide minute.
        api.postJson("/api/v2/users.json", "{}");
        zendesk.rateLimiter().configure(0, Duration.ofMinutes(1));
        assertThat(api.get("/api/v2/tickets.json").status()).isEqualTo(200);
        assertThat(zendesk.requestLog().records(r -> "rate_limited".equals(r.fault()))).hasSize(2);
    }

    @Test
    void injectedFaultsUseZendeskShapesAndChangeNothing() throws Exception {
        zendesk.rateLimiter().configure(0, Duration.ofMinutes(1));
        zendesk.faults().serverErrorRatio(1).serverErrorStatus(503);
        HttpTestClient.Response unavailable = api.postJson("/api/v2/users.json",
                "{\"user\":{\"name\":\"x\",\"email\":\"x@example.com\"}}");
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(unavailable.header("Retry-After")).isEqualTo("1");
        assertThat(unavailable.json().get("error").asText()).isEqualTo("ServiceUnavailable");
        assertThat(zendesk.writes()).isEmpty();

        zendesk.faults().reset().rateLimitRatio(1);
        HttpTestClient.Response throttled = api.get("/api/v2/users/me.json");
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.header("Retry-After")).isEqualTo("1");
        assertThat(throttled.header("Content-Type")).startsWith("text/plain");

        zendesk.faults().reset().malformedRatio(1);
        HttpTestClient.Response cut = api.get("/api/v2/users/me.json");
        assertThat(cut.status()).isEqualTo(200);
        assertThatThrownBy(() -> new ObjectMapper().readTree(cut.raw())).isInstanceOf(IOException.class);
        zendesk.faults().reset();
        assertThat(zendesk.requestLog().records()).extracting(r -> r.fault())
                .containsExactly("server_error", "rate_limit", "malformed");
    }

    @Test
    void heldRequestsOutlastClientTimeoutsAndResetsDropConnections() {
        zendesk.rateLimiter().configure(0, Duration.ofMinutes(1));
        zendesk.faults().timeoutRatio(1).timeoutMs(3_000);
        assertThatThrownBy(() -> api.get("/api/v2/users/me.json", Duration.ofMillis(300)))
                .isInstanceOf(HttpTimeoutException.class);
        zendesk.faults().reset().connectionResetRatio(1);
        assertThatThrownBy(() -> api.get("/api/v2/users/me.json")).isInstanceOf(IOException.class);
        zendesk.faults().reset();
    }

    @Test
    void theAdminApiChangesKnobsAndHandsOutOAuthTokens() throws Exception {
        HttpTestClient admin = new HttpTestClient(zendesk.url());
        assertThat(admin.postJson("/_sandbox/faults", "{\"webhookDropRatio\":0.5}").json()
                .get("webhookDropRatio").asDouble()).isEqualTo(0.5);
        assertThat(zendesk.faults().webhookDropRatio()).isEqualTo(0.5);
        String token = admin.postJson("/_sandbox/oauth/tokens", "").json().get("access_token").asText();
        zendesk.rateLimiter().configure(0, Duration.ofMinutes(1));
        assertThat(new HttpTestClient(zendesk.url()).bearer(token).get("/api/v2/users/me.json").status())
                .isEqualTo(200);
        assertThat(admin.get("/_sandbox/health").json().get("sandbox").asText()).isEqualTo("support");
    }
}
