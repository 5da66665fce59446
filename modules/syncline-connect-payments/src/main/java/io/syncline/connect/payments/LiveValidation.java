package io.syncline.connect.payments;

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
 * The live half of validation (CONVENTIONS rule 3): with a statically valid config, call the API the way the task
 * will and report what fails on the key to fix: the base URL ({@code stripe.base.url}), the key
 * ({@code auth.bearer.token}), the allow-list or plain-HTTP key for a target the SSRF guard refuses, or an object the
 * key may not read ({@code stripe.objects}). Messages never repeat the key.
 */
final class LiveValidation {

    /** A quick verdict: a second attempt for a passing hiccup, then report. */
    private static final RetryPolicy VALIDATION_RETRIES = RetryPolicy.builder().maxAttempts(3)
            .maxElapsed(Duration.ofSeconds(15)).baseDelay(Duration.ofMillis(200)).maxDelay(Duration.ofSeconds(2))
            .maxRetryAfter(Duration.ofSeconds(3)).build();

    private LiveValidation() {
    }

    /** Problems by config key; empty when the API answered every call the task will make. */
    static Map<String, List<String>> check(PaymentsSourceConfig config) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        String base = config.baseUrl();
        try (StripeApi api = new StripeApi(config, "payments-validate", VALIDATION_RETRIES)) {
            StripeObject first = config.objects().get(0);
            try {
                api.events(first, new StripeApi.ListQuery(1, null, null, null), "validating the connector config");
            } catch (StripeApi.StripeCallException e) {
                add(problems, keyFor(e), messageFor(e, base, "/v1/events"));
                return problems;
            }
            for (StripeObject o : config.objects()) {
                try {
                    api.list(o, new StripeApi.ListQuery(1, null, null, null), "validating the connector config");
                } catch (StripeApi.StripeCallException e) {
                    if (e.status() == 403) {
                        add(problems, PaymentsSourceConfig.OBJECTS, PaymentsSourceConfig.OBJECTS + ": the API key "
                                + "may not read " + o.apiName() + " (GET " + o.listPath() + " answered 403); give the "
                                + "key read access to it or remove " + o.apiName() + " from the list");
                    } else {
                        add(problems, keyFor(e), messageFor(e, base, o.listPath()));
                    }
                }
            }
        }
        return problems;
    }

    /**
     * The key to fix: the key for 401/403, the allow-list or plain-HTTP key for an SSRF refusal (the base URL is
     * fine, the policy refused it), else the base URL.
     */
    private static String keyFor(StripeApi.StripeCallException e) {
        if (e.status() == 401 || e.status() == 403) {
            return PaymentsSourceConfig.API_KEY;
        }
        return e.failure().flatMap(LiveValidation::refusal).map(OutboundHttpConfig::keyFor)
                .orElse(PaymentsSourceConfig.BASE_URL);
    }

    private static Optional<SsrfRefusedException> refusal(HttpFailure f) {
        return f.rule() != FailureRule.SSRF_REFUSED ? Optional.empty()
                : f.cause().filter(c -> c instanceof SsrfRefusedException).map(c -> (SsrfRefusedException) c);
    }

    private static String messageFor(StripeApi.StripeCallException e, String base, String path) {
        String call = "GET " + base + path;
        if (e.status() == 401) {
            return PaymentsSourceConfig.API_KEY + ": the API at " + base + " rejected the key (" + call + " answered "
                    + "401); check that it is a current secret or restricted key of the right account";
        }
        if (e.status() == 403) {
            return PaymentsSourceConfig.API_KEY + ": the key may not read " + path + " (" + call + " answered 403); "
                    + "the connector needs read access to events and to every object in " + PaymentsSourceConfig.OBJECTS;
        }
        HttpFailure f = e.failure().orElse(null);
        if (f == null) {
            // A body that is not a Stripe list.
            return PaymentsSourceConfig.BASE_URL + ": " + base + " does not look like the Stripe API: "
                    + e.getMessage();
        }
        FailureRule rule = f.rule();
        return switch (rule) {
            case SSRF_REFUSED -> "calls to " + base + " (" + PaymentsSourceConfig.BASE_URL + ") are refused: "
                    + refusal(f).map(c -> c.detail() + "; " + c.hint()).orElse(f.message());
            case CLIENT_ERROR -> PaymentsSourceConfig.BASE_URL + ": " + base + " does not look like the Stripe API ("
                    + call + " answered " + f.status().map(String::valueOf).orElse("?") + ")";
            case RATE_LIMITED, SERVER_ERROR, RETRYABLE_STATUS, LOCAL_RATE_LIMIT -> PaymentsSourceConfig.BASE_URL
                    + ": could not verify " + base + " now (" + call + " kept failing: "
                    + f.status().map(s -> "HTTP " + s).orElse(rule.name()) + "); try again later";
            default -> PaymentsSourceConfig.BASE_URL + ": cannot reach " + base + " (" + call + ": "
                    + rule.condition() + ")";
        };
    }

    private static void add(Map<String, List<String>> problems, String key, String message) {
        problems.computeIfAbsent(key, k -> new ArrayList<>()).add(message);
    }
}
