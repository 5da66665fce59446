package io.syncline.sandbox.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.syncline.sandbox.core.MutableClock;
import io.syncline.sandbox.testing.HttpTestClient;
import io.syncline.sandbox.testing.HttpTestClient.Response;

/** OAuth 2.0 grants, token expiry, refresh-token rotation and revocation, and private-app tokens. */
class CrmAuthIT {

    private final MutableClock clock = MutableClock.fixedAt(Instant.parse("2026-02-01T09:00:00Z"));
    private CrmSandbox crm;
    private HttpTestClient anonymous;

    @BeforeEach
    void start() {
        crm = CrmSandbox.builder().seed(4).clock(clock).accessTokenTtl(Duration.ofSeconds(30)).tenSecondlyLimit(0)
                .clientId("app-1").clientSecret("s3cret").privateAppToken("pat-na1-test").build().start();
        anonymous = new HttpTestClient(crm.url());
    }

    @AfterEach
    void stop() {
        crm.close();
    }

    private Response token(String... form) throws Exception {
        return anonymous.postForm("/oauth/v1/token", form);
    }

    private int contactsWith(String accessToken) throws Exception {
        return new HttpTestClient(crm.url()).bearer(accessToken).get("/crm/v3/objects/contacts").status();
    }

    @Test
    void privateAppTokensAndMissingOrUnknownCredentials() throws Exception {
        assertThat(contactsWith("pat-na1-test")).isEqualTo(200);
        Response missing = anonymous.get("/crm/v3/objects/contacts");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.json().get("category").asText()).isEqualTo("INVALID_AUTHENTICATION");
        assertThat(missing.json().get("status").asText()).isEqualTo("error");
        assertThat(missing.json().get("correlationId").asText()).isEqualTo(missing.header("X-HubSpot-Correlation-Id"));
        assertThat(contactsWith("pat-na1-wrong")).isEqualTo(401);
    }

    @Test
    void clientCredentialsGrantIssuesBearerTokensThatExpireAfterTheTtl() throws Exception {
        Response granted = token("grant_type", "client_credentials", "client_id", "app-1", "client_secret", "s3cret");
        assertThat(granted.status()).as(granted.raw()).isEqualTo(200);
        JsonNode body = granted.json();
        assertThat(body.get("token_type").asText()).isEqualTo("bearer");
        assertThat(body.get("expires_in").asLong()).isEqualTo(30);
        assertThat(body.has("refresh_token")).isFalse();
        String access = body.get("access_token").asText();
        assertThat(contactsWith(access)).isEqualTo(200);

        clock.advance(Duration.ofSeconds(35));
        Response expired = new HttpTestClient(crm.url()).bearer(access).get("/crm/v3/objects/contacts");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().get("category").asText()).isEqualTo("EXPIRED_AUTHENTICATION");
        assertThat(expired.json().get("message").asText())
                .isEqualTo("The OAuth token used to make this call expired 5 second(s) ago.");
    }

    @Test
    void badClientCredentialsAndGrantsAreHubSpotShapedErrors() throws Exception {
        Response secret = token("grant_type", "client_credentials", "client_id", "app-1", "client_secret", "nope");
        assertThat(secret.status()).isEqualTo(400);
        assertThat(secret.json().get("status").asText()).isEqualTo("BAD_CLIENT_SECRET");
        assertThat(secret.json().get("error").asText()).isEqualTo("invalid_client");
        Response client = token("grant_type", "client_credentials", "client_id", "other", "client_secret", "s3cret");
        assertThat(client.json().get("status").asText()).isEqualTo("BAD_CLIENT_ID");
        Response grant = token("grant_type", "password", "client_id", "app-1", "client_secret", "s3cret");
        assertThat(grant.json().get("error").asText()).isEqualTo("unsupported_grant_type");
        Response refresh = token("grant_type", "refresh_token", "client_id", "app-1", "client_secret", "s3cret",
                "refresh_token", "not-a-token");
        assertThat(refresh.json().get("status").asText()).isEqualTo("BAD_REFRESH_TOKEN");
        assertThat(refresh.json().get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void refreshTokensRefreshAndRotateAndCanBeRevoked() throws Exception {
        String refresh = crm.oauth().issueRefreshToken();
        Response first = token("grant_type", "refresh_token", "client_id", "app-1", "client_secret", "s3cret",
                "refresh_token", refresh);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("refresh_token").asText()).isEqualTo(refresh);
        assertThat(contactsWith(first.json().get("access_token").asText())).isEqualTo(200);

        crm.oauth().rotateRefreshTokens(true);
        Response rotated = token("grant_type", "refresh_token", "client_id", "app-1", "client_secret", "s3cret",
                "refresh_token", refresh);
        String next = rotated.json().get("refresh_token").asText();
        assertThat(next).isNotEqualTo(refresh);
        assertThat(token("grant_type", "refresh_token", "client_id", "app-1", "client_secret", "s3cret",
                "refresh_token", refresh).status()).isEqualTo(400);

        assertThat(anonymous.delete("/oauth/v1/refresh-tokens/" + next).status()).isEqualTo(204);
        assertThat(token("grant_type", "refresh_token", "client_id", "app-1", "client_secret", "s3cret",
                "refresh_token", next).json().get("status").asText()).isEqualTo("BAD_REFRESH_TOKEN");
    }

    @Test
    void authorizationCodesAreExchangedOnceAndAdminEndpointsDriveExpiry() throws Exception {
        String code = anonymous.postJson("/_sandbox/oauth/codes", "").json().get("code").asText();
        Response exchanged = token("grant_type", "authorization_code", "client_id", "app-1", "client_secret",
                "s3cret", "code", code, "redirect_uri", "http://localhost/callback");
        assertThat(exchanged.status()).isEqualTo(200);
        assertThat(exchanged.json().get("refresh_token").asText()).isNotBlank();
        assertThat(token("grant_type", "authorization_code", "client_id", "app-1", "client_secret", "s3cret", "code",
                code).json().get("status").asText()).isEqualTo("BAD_AUTH_CODE");
        String access = exchanged.json().get("access_token").asText();
        assertThat(anonymous.postJson("/_sandbox/oauth/expire-access-tokens", "").status()).isEqualTo(200);
        assertThat(contactsWith(access)).isEqualTo(401);

        Response fresh = token("grant_type", "client_credentials", "client_id", "app-1", "client_secret", "s3cret");
        assertThat(contactsWith(fresh.json().get("access_token").asText())).isEqualTo(200);
        assertThat(anonymous.postJson("/_sandbox/clock/advance", "{\"seconds\":31}").status()).isEqualTo(200);
        assertThat(contactsWith(fresh.json().get("access_token").asText())).isEqualTo(401);
    }

    @Test
    void aRefreshTokenKeptOutsideTheSandboxIsAcceptedOnceRegisteredAndNotBefore() throws Exception {
        String kept = "kept-refresh-token-7f3a";
        assertThat(token("grant_type", "refresh_token", "client_id", "app-1", "client_secret", "s3cret",
                "refresh_token", kept).status()).isEqualTo(400);
        crm.oauth().acceptRefreshToken(kept);
        Response granted = token("grant_type", "refresh_token", "client_id", "app-1", "client_secret", "s3cret",
                "refresh_token", kept);
        assertThat(granted.status()).as(granted.raw()).isEqualTo(200);
        assertThat(contactsWith(granted.json().get("access_token").asText())).isEqualTo(200);
        // It belongs to the configured client only.
        assertThat(token("grant_type", "refresh_token", "client_id", "other-app", "client_secret", "s3cret",
                "refresh_token", kept).status()).isEqualTo(400);
    }
}
