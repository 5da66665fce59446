package io.syncline.connect.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.syncline.connect.common.OutboundHttpConfig;
import io.syncline.http.FailureRule;
import io.syncline.http.HttpFailure;
import io.syncline.http.RetryPolicy;
import io.syncline.http.SsrfRefusedException;

/**
 * The live half of the support source's validation (CONVENTIONS rule 3): with a statically valid config, ask the desk
 * who the credentials act as ({@code GET /api/v2/users/me}, which the export limit does not count) and report what
 * fails on the key to fix: the URL ({@code zendesk.url}), the credential ({@code auth.basic.password} or
 * {@code auth.bearer.token}), the allow-list or plain-HTTP key for a target the SSRF guard refuses, or a user who is
 * not an admin (Zendesk's incremental exports need one).
 */
final class SourceLiveValidation {

    /** A quick verdict: a second attempt for a passing hiccup, then report. */
    private static final RetryPolicy VALIDATION_RETRIES = RetryPolicy.builder().maxAttempts(3)
            .maxElapsed(Duration.ofSeconds(15)).baseDelay(Duration.ofMillis(200)).maxDelay(Duration.ofSeconds(2))
            .maxRetryAfter(Duration.ofSeconds(3)).build();

    private SourceLiveValidation() {
    }

    /** Problems by config key; empty when the desk accepted the credentials of an admin. */
    static Map<String, List<String>> check(SupportSourceConfig config) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        String base = config.baseUrl();
        String call = "GET " + base + "/api/v2/users/me.json";
        try (ZendeskExports api = new ZendeskExports(config, "support-validate", VALIDATION_RETRIES)) {
            ZendeskExports.Me me = api.me("validating the connector config");
            if (!"admin".equals(me.role())) {
                add(problems, config.credentialKey(), config.credentialKey() + ": the credentials act as a user "
                        + "with role '" + me.role() + "' (" + call + "); Zendesk's incremental exports need an "
                        + "admin: use an admin's API token or OAuth token");
            }
        } catch (ZendeskExports.ExportCallException e) {
            add(problems, keyFor(e, config), messageFor(e, config, base, call));
        }
        return problems;
    }

    private static String keyFor(ZendeskExports.ExportCallException e, SupportSourceConfig config) {
        if (e.status() == 401 || e.status() == 403) {
            return config.credentialKey();
        }
        return e.failure().flatMap(SourceLiveValidation::refusal).map(OutboundHttpConfig::keyFor)
                .orElse(SupportSourceConfig.BASE_URL);
    }

    private static Optional<SsrfRefusedException> refusal(HttpFailure f) {
        return f.rule() != FailureRule.SSRF_REFUSED ? Optional.empty()
                : f.cause().filter(c -> c instanceof SsrfRefusedException).map(c -> (SsrfRefusedException) c);
    }

    private static String messageFor(ZendeskExports.ExportCallException e, SupportSourceConfig config, String base,
                                     String call) {
        if (e.status() == 401 || e.status() == 403) {
            return config.credentialKey() + ": the desk at " + base + " rejected the credentials (" + call
                    + " answered " + e.status() + "); check the API token (or OAuth token) and, for basic auth, "
                    + OutboundHttpConfig.AUTH_BASIC_USERNAME + " (<agent e-mail>/token)";
        }
        HttpFailure f = e.failure().orElse(null);
        if (f == null) {
            return SupportSourceConfig.BASE_URL + ": " + base + " does not look like the Zendesk API: "
                    + e.getMessage();
        }
        FailureRule rule = f.rule();
        return switch (rule) {
            case SSRF_REFUSED -> "calls to " + base + " (" + SupportSourceConfig.BASE_URL + ") are refused: "
                    + refusal(f).map(c -> c.detail() + "; " + c.hint()).orElse(f.message());
            case CLIENT_ERROR -> SupportSourceConfig.BASE_URL + ": " + base + " does not look like the Zendesk API ("
                    + call + " answered " + f.status().map(String::valueOf).orElse("?") + ")";
            case RATE_LIMITED, SERVER_ERROR, RETRYABLE_STATUS, LOCAL_RATE_LIMIT -> SupportSourceConfig.BASE_URL
                    + ": could not verify " + base + " now (" + call + " kept failing: "
                    + f.status().map(s -> "HTTP " + s).orElse(rule.name()) + "); try again later";
            default -> SupportSourceConfig.BASE_URL + ": cannot reach " + base + " (" + call + ": "
                    + rule.condition() + ")";
        };
    }

    private static void add(Map<String, List<String>> problems, String key, String message) {
        problems.computeIfAbsent(key, k -> new ArrayList<>()).add(message);
    }
}
