package io.syncline.cli.sandbox;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import io.syncline.cli.common.HelpOption;
import io.syncline.sandbox.support.SupportSandbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sandbox support}: the Zendesk Support API v2 compatible desk. */
@Command(name = "support",
        description = "Zendesk Support API v2 compatible desk: users, organizations, tickets, comments, search, "
                + "incremental exports, OAuth, signed event webhooks.")
final class SupportCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "12113", description = "Port (default: ${DEFAULT-VALUE}; 0 = any free).")
    int port;

    @Option(names = "--rate-limit", defaultValue = "700", paramLabel = "REQUESTS_PER_MINUTE",
            description = "Account-wide requests per minute before 429 with Retry-After; 0 = unlimited "
                    + "(default: ${DEFAULT-VALUE}).")
    int rateLimit;

    @Option(names = "--export-rate-limit", defaultValue = "10", paramLabel = "REQUESTS_PER_MINUTE",
            description = "Incremental export requests per minute before 429; 0 = unlimited (default: ${DEFAULT-VALUE}).")
    int exportRateLimit;

    @Option(names = "--api-token", defaultValue = SupportSandbox.DEFAULT_API_TOKEN,
            description = "API token for basic auth <agent e-mail>/token:<token> (default: ${DEFAULT-VALUE}).")
    String apiToken;

    @Option(names = "--agent-email", defaultValue = SupportSandbox.DEFAULT_AGENT_EMAIL,
            description = "E-mail of the admin user API clients act as (default: ${DEFAULT-VALUE}).")
    String agentEmail;

    @Option(names = "--client-id", defaultValue = SupportSandbox.DEFAULT_CLIENT_ID,
            description = "OAuth client id for POST /oauth/tokens (default: ${DEFAULT-VALUE}).")
    String clientId;

    @Option(names = "--client-secret", defaultValue = SupportSandbox.DEFAULT_CLIENT_SECRET,
            description = "OAuth client secret (default: the sandbox's built-in test secret).")
    String clientSecret;

    @Option(names = "--token-ttl-seconds", defaultValue = "172800",
            description = "Lifetime of OAuth access tokens in seconds (default: ${DEFAULT-VALUE}).")
    long tokenTtlSeconds;

    @Option(names = "--webhook", paramLabel = "URL",
            description = "Register a webhook for every event type at start (repeatable); its signing secret is "
                    + "printed.")
    List<String> webhooks = List.of();

    @Mixin
    ProviderSandboxOptions sandboxOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        double rate = sandboxOptions.rate(spec);
        SupportSandbox.Builder builder;
        try {
            builder = SupportSandbox.builder().host(sandboxOptions.host).port(port).seed(sandboxOptions.seed)
                    .rateLimitPerMinute(rateLimit)
                    .exportRateLimitPerMinute(exportRateLimit).apiToken(apiToken).agentEmail(agentEmail)
                    .clientId(clientId).clientSecret(clientSecret)
                    .accessTokenTtl(Duration.ofSeconds(tokenTtlSeconds)).faults(sandboxOptions.toFaults());
            if (rate > 0) {
                builder.generatorRate(rate).startGenerator(true);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        SupportSandbox sandbox = builder.build().start();
        out.println("support sandbox (Zendesk Support API v2) listening on " + sandbox.url() + "/api/v2");
        out.println("  auth: basic " + agentEmail + "/token:<--api-token>"
                + (apiToken.equals(SupportSandbox.DEFAULT_API_TOKEN) ? " (default " + SupportSandbox.DEFAULT_API_TOKEN
                + ")" : "") + ", or OAuth via POST /oauth/tokens with --client-id/--client-secret");
        out.println(sandboxOptions.generatorLine());
        out.println("  admin: " + sandbox.url() + "/_sandbox/faults, /_sandbox/generator, /_sandbox/writes, "
                + "/_sandbox/clock, /_sandbox/oauth/tokens");
        ProviderSandboxOptions.registerWebhooks(webhooks, url -> {
            SupportSandbox.WebhookEndpoint we = sandbox.registerWebhook(url);
            return List.of(String.valueOf(we.id()), we.secret());
        }, sandbox, spec, out);
        out.flush();
        SandboxCommand.runUntilShutdown(sandbox, out);
        return 0;
    }
}
