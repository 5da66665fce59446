package io.syncline.connect.crm.source;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.syncline.connect.common.EnumValues;
import io.syncline.connect.common.OutboundHttpConfig;
import io.syncline.http.CallContext;
import io.syncline.http.FailureRule;
import io.syncline.http.HttpFailure;
import io.syncline.http.HttpResult;
import io.syncline.http.RetryPolicy;
import io.syncline.http.SsrfRefusedException;
import io.syncline.http.SynclineHttpClient;
import io.syncline.http.SynclineRequest;
import io.syncline.http.SynclineResponse;
import io.syncline.json.JsonPages;

/**
 * The live half of validation (CONVENTIONS rule 3): with a statically valid config, read one object of each
 * configured type the way the task will ({@code GET <crm.url>/crm/v3/objects/<type>?limit=1}) and report what fails
 * on the key to fix: the base URL ({@code crm.url}) when nothing HubSpot-like answers there, the token
 * ({@code auth.bearer.token}) when it is refused, the object list ({@code crm.objects}) when the token may not read a
 * type (403: a private app without that scope), the allow-list or plain-HTTP key when the SSRF guard refuses the
 * target. Messages never repeat the token.
 *
 * <p>An OAuth2 refresh token is never exchanged here (HubSpot may rotate it on use, which would invalidate the one
 * the running connector holds): with that grant the check reads without credentials, expecting HubSpot's 401, and
 * only learns that the CRM and the token endpoint are there.
 */
final class LiveValidation {

    /** A quick verdict: a second attempt for a passing hiccup, then report. */
    private static final RetryPolicy VALIDATION_RETRIES = RetryPolicy.builder().maxAttempts(2)
            .maxElapsed(Duration.ofSeconds(10)).baseDelay(Duration.ofMillis(200)).maxDelay(Duration.ofSeconds(1))
            .maxRetryAfter(Duration.ofSeconds(2)).build();
    private static final String WHAT = "validating the connector config";

    private LiveValidation() {
    }

    /** Problems by config key; empty when HubSpot answered every read the task will make. */
    static Map<String, List<String>> check(CrmSourceConfig config, String connectorName) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        boolean refreshGrant = OutboundHttpConfig.authType(config) == OutboundHttpConfig.AuthType.OAUTH2
                && EnumValues.parse(OutboundHttpConfig.GrantType.class,
                config.getString(OutboundHttpConfig.OAUTH2_GRANT_TYPE)) == OutboundHttpConfig.GrantType.REFRESH_TOKEN;
        String base = config.baseUrl();
        try (SynclineHttpClient http = OutboundHttpConfig.client(config, connectorName + "-validate", !refreshGrant)
                .retryPolicy(VALIDATION_RETRIES)
                .requestTimeout(Duration.ofSeconds(10))
                .rateLimitWait(Duration.ofSeconds(2))
                .build()) {
            if (refreshGrant) {
                URI tokenUrl = URI.create(config.getString(OutboundHttpConfig.OAUTH2_TOKEN_URL).trim());
                HttpResult token = http.execute(SynclineRequest.get(tokenUrl.toString()).build(),
                        CallContext.config(WHAT));
                if (!token.isSuccess() && unreachable(token.failure())) {
                    add(problems, refused(token.failure()).map(OutboundHttpConfig::keyFor)
                            .orElse(OutboundHttpConfig.OAUTH2_TOKEN_URL), OutboundHttpConfig.OAUTH2_TOKEN_URL
                            + ": cannot reach " + tokenUrl + " (" + token.failure().rule().condition() + ")");
                }
            }
            for (CrmObjectType type : config.objects()) {
                String path = "/crm/v3/objects/" + type.path();
                HttpResult r = http.execute(SynclineRequest.get(base + path).query("limit", "1").build(),
                        CallContext.config(WHAT));
                if (r.isSuccess()) {
                    SynclineResponse response = r.response();
                    if (!looksLikeHubSpot(response)) {
                        add(problems, CrmSourceConfig.BASE_URL, CrmSourceConfig.BASE_URL + ": " + base + " does not "
                                + "look like the HubSpot API (GET " + base + path + " answered " + response.status()
                                + " without a results array)");
                        return problems;
                    }
                    continue;
                }
                HttpFailure f = r.failure();
                int status = f.status().orElse(0);
                if (refreshGrant && status == 401) {
                    continue; // no credentials sent on purpose: HubSpot is there
                }
                if (status == 401) {
                    add(problems, config.credentialKey(), config.credentialKey() + ": HubSpot at " + base
                            + " rejected the credentials (GET " + base + path + " answered 401); check that they "
                            + "are current and belong to the right account");
                    return problems;
                }
                if (status == 403) {
                    add(problems, CrmSourceConfig.OBJECTS, CrmSourceConfig.OBJECTS + ": the credentials may not "
                            + "read " + type.path() + " (GET " + base + path + " answered 403); give the app the "
                            + "crm.objects." + type.path() + ".read scope or remove " + type.singular()
                            + " from the list");
                    continue;
                }
                add(problems, keyFor(f), messageFor(f, base, path));
                return problems;
            }
        }
        return problems;
    }

    private static boolean looksLikeHubSpot(SynclineResponse response) {
        try {
            ObjectPage.parse(response.body(), ObjectPage.paths("hs_lastmodifieddate"));
            return true;
        } catch (JsonPages.MalformedPageException e) {
            return false;
        }
    }

    private static boolean unreachable(HttpFailure f) {
        return switch (f.rule()) {
            case CONNECT_FAILED, UNKNOWN_HOST, TLS, SSRF_REFUSED -> true;
            default -> false;
        };
    }

    private static String keyFor(HttpFailure f) {
        return refused(f).map(OutboundHttpConfig::keyFor).orElse(CrmSourceConfig.BASE_URL);
    }

    private static Optional<SsrfRefusedException> refused(HttpFailure f) {
        return f.rule() != FailureRule.SSRF_REFUSED ? Optional.empty()
                : f.cause().filter(c -> c instanceof SsrfRefusedException).map(c -> (SsrfRefusedException) c);
    }

    private static String messageFor(HttpFailure f, String base, String path) {
        String call = "GET " + base + path;
        FailureRule rule = f.rule();
        return switch (rule) {
            case SSRF_REFUSED -> "calls to " + base + " (" + CrmSourceConfig.BASE_URL + ") are refused: "
                    + refused(f).map(c -> c.detail() + "; " + c.hint()).orElse(f.message());
            case CLIENT_ERROR -> CrmSourceConfig.BASE_URL + ": " + base + " does not look like the HubSpot API ("
                    + call + " answered " + f.status().map(String::valueOf).orElse("?") + ")";
            case RATE_LIMITED, SERVER_ERROR, RETRYABLE_STATUS, LOCAL_RATE_LIMIT -> CrmSourceConfig.BASE_URL
                    + ": could not verify " + base + " now (" + call + " kept failing: "
                    + f.status().map(s -> "HTTP " + s).orElse(rule.name()) + "); try again later";
            default -> CrmSourceConfig.BASE_URL + ": cannot reach " + base + " (" + call + ": " + rule.condition()
                    + ")";
        };
    }

    private static void add(Map<String, List<String>> problems, String key, String message) {
        problems.computeIfAbsent(key, k -> new ArrayList<>()).add(message);
    }
}
