package io.syncline.sandbox.support;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import io.syncline.sandbox.core.MutableClock;
import io.syncline.sandbox.testing.HttpTestClient;

/** Test helpers: clients with Zendesk's basic API-token auth and a sandbox on a standing clock. */
final class Zendesk {

    static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    private Zendesk() {
    }

    static String basic(String email, String token) {
        return "Basic " + Base64.getEncoder().encodeToString((email + "/token:" + token)
                .getBytes(StandardCharsets.UTF_8));
    }

    static HttpTestClient client(SupportSandbox s) {
        return new HttpTestClient(s.url()).header("Authorization", basic(s.agentEmail(), s.apiToken()));
    }

    /** A sandbox on a clock standing at {@link #T0}, without rate limits unless a test sets them. */
    static SupportSandbox.Builder standing(MutableClock clock) {
        return SupportSandbox.builder().clock(clock).rateLimitPerMinute(0).exportRateLimitPerMinute(0);
    }
}
