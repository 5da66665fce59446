package io.syncline.cli.sandbox;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import io.syncline.cli.common.HelpOption;
import io.syncline.sandbox.crm.CrmSandbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sandbox crm}: the HubSpot CRM v3 compatible API. */
@Command(name = "crm",
        description = "HubSpot CRM v3 compatible API: contacts, companies, deals; search, batch, OAuth 2.0.")
final class CrmCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "12112", description = "Port (default: ${DEFAULT-VALUE}; 0 = any free).")
    int port;

    @Option(names = "--rate-limit", defaultValue = "100", paramLabel = "REQUESTS_PER_10S",
            description = "Requests per rolling 10 s before TEN_SECONDLY_ROLLING 429s; 0 = unlimited "
                    + "(default: ${DEFAULT-VALUE}).")
    int rateLimit;

    @Option(names = "--search-rate-limit", defaultValue = "5", paramLabel = "REQUESTS_PER_SECOND",
            description = "Search requests per second before SECONDLY 429s; 0 = unlimited (default: ${DEFAULT-VALUE}).")
    int searchRateLimit;

    @Option(names = "--client-id", defaultValue = CrmSandbox.DEFAULT_CLIENT_ID,
            description = "OAuth client id (default: ${DEFAULT-VALUE}).")
    String clientId;

    @Option(names = "--client-secret", defaultValue = CrmSandbox.DEFAULT_CLIENT_SECRET,
            description = "OAuth client secret (default: the sandbox's built-in test secret).")
    String clientSecret;

    @Option(names = "--private-app-token", defaultValue = CrmSandbox.DEFAULT_PRIVATE_APP_TOKEN,
            description = "Static private-app bearer token (default: ${DEFAULT-VALUE}).")
    String privateAppToken;

    @Option(names = "--token-ttl-seconds", defaultValue = "1800",
            description = "Lifetime of OAuth access tokens in seconds (default: ${DEFAULT-VALUE}).")
    long tokenTtlSeconds;

    @Option(names = "--rotate-refresh-tokens", description = "Replace the refresh token on every refresh.")
    boolean rotateRefreshTokens;

    @Option(names = "--webhook", paramLabel = "URL",
            description = "Subscribe a webhook URL at start, as a HubSpot app does, to every creation, property "
                    + "change, deletion and merge of contacts, companies and deals (repeatable); batches are signed "
                    + "(v3) with --client-secret.")
    List<String> webhooks = List.of();

    @Mixin
    ProviderSandboxOptions sandboxOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        double rate = sandboxOptions.rate(spec);
        CrmSandbox.Builder builder;
        try {
            builder = CrmSandbox.builder().host(sandboxOptions.host).port(port).seed(sandboxOptions.seed)
                    .tenSecondlyLimit(rateLimit)
                    .searchRequestsPerSecond(searchRateLimit).clientId(clientId).clientSecret(clientSecret)
                    .privateAppToken(privateAppToken).accessTokenTtl(Duration.ofSeconds(tokenTtlSeconds))
                    .rotateRefreshTokens(rotateRefreshTokens).faults(sandboxOptions.toFaults());
            if (rate > 0) {
                builder.generatorRate(rate).startGenerator(true);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        CrmSandbox sandbox = builder.build().start();
        out.println("crm sandbox (HubSpot CRM v3) listening on " + sandbox.url());
        out.println("  auth: Authorization: Bearer <--private-app-token>"
                + (privateAppToken.equals(CrmSandbox.DEFAULT_PRIVATE_APP_TOKEN)
                ? " (default " + CrmSandbox.DEFAULT_PRIVATE_APP_TOKEN + ")" : "")
                + ", or OAuth via POST /oauth/v1/token with --client-id/--client-secret");
        out.println("  refresh tokens: POST " + sandbox.url() + "/_sandbox/oauth/refresh-tokens");
        out.println(sandboxOptions.generatorLine());
        out.println("  admin: " + sandbox.url() + "/_sandbox/faults, /_sandbox/generator, /_sandbox/writes, "
                + "/_sandbox/clock");
        // HubSpot signs with the app's client secret, not a per-subscription one: that is what a receiver needs.
        ProviderSandboxOptions.registerWebhooks(webhooks, url -> List.of(sandbox.registerWebhook(url),
                "the --client-secret"), sandbox, spec, out);
        out.flush();
        SandboxCommand.runUntilShutdown(sandbox, out);
        return 0;
    }
}
