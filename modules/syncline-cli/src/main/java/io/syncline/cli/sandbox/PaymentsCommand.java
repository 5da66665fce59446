package io.syncline.cli.sandbox;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import io.syncline.cli.common.HelpOption;
import io.syncline.sandbox.payments.PaymentsSandbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sandbox payments}: the Stripe-compatible payments API. */
@Command(name = "payments",
        description = "Stripe-compatible payments API: customers, charges, payment intents, invoices, refunds, "
                + "events, signed webhooks.")
final class PaymentsCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "12111", description = "Port (default: ${DEFAULT-VALUE}; 0 = any free).")
    int port;

    @Option(names = "--rate-limit", defaultValue = "100", paramLabel = "REQUESTS_PER_SECOND",
            description = "API requests per second per key before 429; 0 = unlimited (default: ${DEFAULT-VALUE}).")
    int rateLimit;

    @Option(names = "--api-key", defaultValue = PaymentsSandbox.DEFAULT_API_KEY,
            description = "Secret key clients must send as Bearer token (default: ${DEFAULT-VALUE}).")
    String apiKey;

    @Option(names = "--webhook", paramLabel = "URL",
            description = "Register a webhook endpoint for all events at start (repeatable); its secret is printed.")
    List<String> webhooks = List.of();

    @Mixin
    ProviderSandboxOptions sandboxOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        double rate = sandboxOptions.rate(spec);
        PaymentsSandbox.Builder builder;
        try {
            builder = PaymentsSandbox.builder()
                    .host(sandboxOptions.host).port(port).seed(sandboxOptions.seed).apiKey(apiKey)
                    .rateLimitPerSecond(rateLimit).faults(sandboxOptions.toFaults());
            if (rate > 0) {
                builder.generatorRate(rate).startGenerator(true);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PaymentsSandbox sandbox = builder.build().start();
        out.println("payments sandbox (Stripe API " + PaymentsSandbox.API_VERSION + ") listening on " + sandbox.url());
        out.println("  auth: Authorization: Bearer <--api-key>" + (apiKey.equals(PaymentsSandbox.DEFAULT_API_KEY)
                ? " (default " + PaymentsSandbox.DEFAULT_API_KEY + ")" : ""));
        out.println(sandboxOptions.generatorLine());
        out.println("  admin: " + sandbox.url() + "/_sandbox/faults, /_sandbox/generator, /_sandbox/requests");
        ProviderSandboxOptions.registerWebhooks(webhooks, url -> {
            PaymentsSandbox.WebhookEndpoint we = sandbox.registerWebhook(url);
            return List.of(String.valueOf(we.id()), we.secret());
        }, sandbox, spec, out);
        out.flush();
        SandboxCommand.runUntilShutdown(sandbox, out);
        return 0;
    }
}
