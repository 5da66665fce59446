package io.syncline.delivery;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.syncline.connect.common.ConnectorValidation;
import io.syncline.connect.common.EnumValues;
import io.syncline.connect.common.OutboundHttpConfig;
import io.syncline.connect.common.OutboundHttpConfig.AuthType;
import io.syncline.connect.common.OutboundHttpConfig.GrantType;
import io.syncline.http.CallContext;
import io.syncline.http.FailureRule;
import io.syncline.http.HttpFailure;
import io.syncline.http.HttpResult;
import io.syncline.http.RetryPolicy;
import io.syncline.http.SsrfRefusedException;
import io.syncline.http.SynclineHttpClient;
import io.syncline.http.SynclineRequest;
import org.apache.kafka.common.config.AbstractConfig;

/**
 * The live half of a sink's validation (CONVENTIONS rule 3): with a statically valid config, send the target one
 * read-only request the way the task would (same outbound policy, same credentials) and report what fails on the key
 * to fix: the target's URL key when it cannot be reached, the allow-list or plain-HTTP key when the SSRF guard refuses
 * it, the credential's key when the target answers 401 or 403 or the token endpoint rejects the client.
 *
 * <p>Side-effect free and quick: a {@code GET} only, at most two attempts within a few seconds, and an OAuth2 refresh
 * token is never exchanged here (a server that rotates refresh tokens would invalidate the one the running connector
 * holds); with that grant only the target and the token endpoint are checked for reachability. Any other answer (a
 * 2xx, 404, 405, 5xx, 429) means the target is there and took the credentials: writes may still be refused per
 * record, which the task handles.
 */
public final class LiveValidation {

    /** A quick verdict: a second attempt for a passing hiccup, then report. */
    private static final RetryPolicy VALIDATION_RETRIES = RetryPolicy.builder().maxAttempts(2)
            .maxElapsed(Duration.ofSeconds(5)).baseDelay(Duration.ofMillis(200)).maxDelay(Duration.ofSeconds(1))
            .maxRetryAfter(Duration.ZERO).build();
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MAX_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final String WHAT = "validating the connector config";

    /**
     * The read-only request a sink's validation sends.
     *
     * @param urlKey the key the URL comes from, where an unreachable target is reported
     * @param url a URL of the target a GET may be sent to, e.g. the list endpoint under the write endpoint
     */
    public record Probe(String urlKey, URI url) {
    }

    private LiveValidation() {
    }

    /** Problems by key; empty when the target answered with the credentials accepted. */
    public static Map<String, List<String>> check(AbstractConfig config, Probe probe, String connectorName) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        AuthType auth = OutboundHttpConfig.authType(config);
        boolean refreshGrant = auth == AuthType.OAUTH2 && EnumValues.parse(GrantType.class,
                config.getString(OutboundHttpConfig.OAUTH2_GRANT_TYPE)) == GrantType.REFRESH_TOKEN;
        boolean withCredentials = auth != AuthType.NONE && !refreshGrant;
        try (SynclineHttpClient http = client(config, connectorName, withCredentials)) {
            if (refreshGrant) {
                URI tokenUrl = URI.create(config.getString(OutboundHttpConfig.OAUTH2_TOKEN_URL).trim());
                probe(http, new Probe(OutboundHttpConfig.OAUTH2_TOKEN_URL, tokenUrl), null, problems);
            }
            probe(http, probe, withCredentials ? OutboundHttpConfig.credentialKey(config) : null, problems);
        }
        return problems;
    }

    private static SynclineHttpClient client(AbstractConfig config, String connectorName, boolean withCredentials) {
        return OutboundHttpConfig.client(config, connectorName + "-validate", withCredentials)
                .retryPolicy(VALIDATION_RETRIES)
                .connectTimeout(min(Duration.ofMillis(config.getLong(OutboundHttpConfig.CONNECT_TIMEOUT_MS)),
                        MAX_CONNECT_TIMEOUT))
                .requestTimeout(min(Duration.ofMillis(config.getLong(OutboundHttpConfig.REQUEST_TIMEOUT_MS)),
                        MAX_REQUEST_TIMEOUT))
                .rateLimitWait(Duration.ofSeconds(1))
                .build();
    }

    private static void probe(SynclineHttpClient http, Probe probe, String credentialKey,
                              Map<String, List<String>> problems) {
        String call = "GET " + probe.url();
        HttpResult result = http.execute(SynclineRequest.get(probe.url().toString()).build(), CallContext.config(WHAT));
        if (result.isSuccess()) {
            return;
        }
        HttpFailure f = result.failure();
        FailureRule rule = f.rule();
        switch (rule) {
            case UNAUTHORIZED -> {
                if (credentialKey != null) {
                    ConnectorValidation.add(problems, credentialKey, credentialKey + ": the target rejected the "
                            + "credentials (" + call + " answered " + f.status().map(String::valueOf).orElse("401")
                            + "); check that they are current and may use this API");
                }
            }
            case TOKEN_REJECTED -> ConnectorValidation.add(problems, f.configKey().orElse(credentialKey),
                    f.message());
            case SSRF_REFUSED -> {
                Optional<SsrfRefusedException> refusal = f.cause().filter(c -> c instanceof SsrfRefusedException)
                        .map(c -> (SsrfRefusedException) c);
                String key = refusal.map(OutboundHttpConfig::keyFor).orElse(OutboundHttpConfig.ALLOW_LIST);
                ConnectorValidation.add(problems, key, "calls to " + probe.url() + " (" + probe.urlKey()
                        + ") are refused: " + refusal.map(r -> r.detail() + "; " + r.hint()).orElse(f.message()));
            }
            case CONNECT_FAILED, UNKNOWN_HOST, TLS -> ConnectorValidation.add(problems,
                    probe.urlKey(), probe.urlKey() + ": cannot reach " + origin(probe.url()) + " (" + call + ": "
                            + rule.condition() + ")");
            default -> {
                // The target answered (404, 405, 5xx, 429, a redirect of a list URL): it is there, and a
                // credential it did not refuse is not a problem this check can see. A timeout or a dropped
                // connection may be passing: refusing the config for it would make validation flaky.
            }
        }
    }

    private static String origin(URI url) {
        return url.getScheme() + "://" + url.getRawAuthority();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
