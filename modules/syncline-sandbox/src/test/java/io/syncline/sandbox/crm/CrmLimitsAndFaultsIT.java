package io.syncline.sandbox.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.syncline.sandbox.testing.HttpTestClient;
import io.syncline.sandbox.testing.HttpTestClient.Response;

/** HubSpot's ten-secondly and search limits, and the shared fault knobs in HubSpot's shapes. */
class CrmLimitsAndFaultsIT {

    private static CrmSandbox crm;
    private static HttpTestClient api;

    @BeforeAll
    static void start() {
        crm = CrmSandbox.builder().seed(23).build().start();
        api = new HttpTestClient(crm.url()).bearer(crm.privateAppToken());
        crm.generator().runSteps(20);
    }

    @AfterAll
    static void stop() {
        crm.close();
    }

    @BeforeEach
    void reset() {
        crm.faults().reset();
        crm.rateLimiter().configure(1000, Duration.ofSeconds(10));
        crm.searchRateLimiter().configure(1000, Duration.ofSeconds(1));
    }

    @Test
    void burstsOverTheTenSecondlyLimitGet429WithHubSpotsPolicyName() throws Exception {
        try (CrmSandbox limited = CrmSandbox.builder().seed(24).tenSecondlyLimit(3).build().start()) {
            // A long window keeps the test independent of how slow this machine is; HubSpot's is 10 s.
            limited.rateLimiter().configure(3, Duration.ofMinutes(10));
            HttpTestClient client = new HttpTestClient(limited.url()).bearer(limited.privateAppToken());
            for (int left = 2; left >= 0; left--) {
                Response ok = client.get("/crm/v3/objects/contacts?limit=1");
                assertThat(ok.status()).isEqualTo(200);
                assertThat(ok.header("X-HubSpot-RateLimit-Max")).isEqualTo("3");
                assertThat(ok.header("X-HubSpot-RateLimit-Interval-Milliseconds")).isEqualTo("600000");
                assertThat(ok.header("X-HubSpot-RateLimit-Remaining")).isEqualTo(Integer.toString(left));
            }
            Response refused = client.get("/crm/v3/objects/contacts?limit=1");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.json().get("policyName").asText()).isEqualTo("TEN_SECONDLY_ROLLING");
            assertThat(refused.json().get("errorType").asText()).isEqualTo("RATE_LIMIT");
            assertThat(refused.json().get("message").asText())
                    .isEqualTo("You have reached your ten_secondly_rolling limit.");
            assertThat(new HttpTestClient(limited.url()).postJson("/_sandbox/rate-limit", "{\"maxRequests\":100,"
                    + "\"windowMs\":10000}").status()).isEqualTo(200);
            assertThat(client.get("/crm/v3/objects/contacts?limit=1").status()).isEqualTo(200);
        }
    }

    @Test
    void searchHasItsOwnLowerPerSecondLimit() throws Exception {
        crm.searchRateLimiter().configure(2, Duration.ofMinutes(1));
        assertThat(api.postJson("/crm/v3/objects/contacts/search", "{}").status()).isEqualTo(200);
        assertThat(api.postJson("/crm/v3/objects/contacts/search", "{}").status()).isEqualTo(200);
        Response limited = api.postJson("/crm/v3/objects/contacts/search", "{}");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().get("policyName").asText()).isEqualTo("SECONDLY");
        assertThat(api.get("/crm/v3/objects/contacts").status()).isEqualTo(200);
    }

    @Test
    void injectedFaultsUseHubSpotShapes() throws Exception {
        crm.faults().serverErrorRatio(1.0).serverErrorStatus(502);
        Response error = api.get("/crm/v3/objects/deals");
        assertThat(error.status()).isEqualTo(502);
        assertThat(error.json().get("status").asText()).isEqualTo("error");
        assertThat(error.json().get("correlationId").asText()).isNotBlank();
        crm.faults().reset().rateLimitRatio(1.0);
        Response throttled = api.get("/crm/v3/objects/deals");
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.json().get("policyName").asText()).isEqualTo("TEN_SECONDLY_ROLLING");
        crm.faults().reset().malformedRatio(1.0);
        Response cut = api.get("/crm/v3/objects/deals");
        assertThat(cut.status()).isEqualTo(200);
        assertThatThrownBy(() -> new ObjectMapper().readTree(cut.raw())).isInstanceOf(IOException.class);
    }

    @Test
    void heldRequestsOutlastClientTimeoutsAndResetsDropConnections() {
        crm.faults().timeoutRatio(1.0).timeoutMs(3_000);
        assertThatThrownBy(() -> api.get("/crm/v3/objects/contacts", Duration.ofMillis(300)))
                .isInstanceOf(HttpTimeoutException.class);
        crm.faults().reset().connectionResetRatio(1.0);
        assertThatThrownBy(() -> api.get("/crm/v3/objects/contacts")).isInstanceOf(IOException.class);
    }

    @Test
    void faultedWritesAreNotApplied() throws Exception {
        crm.writeLog().clear();
        crm.faults().serverErrorRatio(1.0);
        assertThat(api.postJson("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"f@example.com\"}}")
                .status()).isEqualTo(500);
        assertThat(crm.writes()).isEmpty();
        crm.faults().reset().malformedRatio(1.0);
        // A malformed answer hides a write that did happen: the case idempotency keys exist for.
        assertThat(api.postJson("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"f@example.com\"}}")
                .status()).isEqualTo(201);
        assertThat(crm.writes()).hasSize(1);
    }
}
