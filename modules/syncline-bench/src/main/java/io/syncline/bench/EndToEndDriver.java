package io.syncline.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import io.syncline.cli.SynclineCli;
import io.syncline.cli.dist.SynclineProcess;
import io.syncline.cli.up.RunningFile;
import io.syncline.cli.up.StackContext;
import io.syncline.kafka.FreePorts;
import io.syncline.ops.PipelineStats;
import io.syncline.sandbox.payments.StripeSignature;

/**
 * Load driver for issue 5 §5: end-to-end latency at a steady rate on {@code syncline up}, from a webhook the gateway
 * accepts to the CRM acknowledging the contact write.
 *
 * <p>Runs the distribution's {@code up --demo} (payments generator almost idle), then posts Stripe-signed webhooks
 * to the gateway at a constant arrival rate (open model: each request is sent at its scheduled time whatever the
 * previous ones did): first a {@code customer.created} for each of {@code --contacts} payers (in the warm-up), then
 * {@code charge.succeeded} events, each for one of the payers, so every charge becomes a contact upsert in the CRM
 * sandbox through raw topic, normalizer (exactly-once), canonical topic, customer-activity join and CRM sink. The end-to-end figures are the sink's own (from the canonical record's ingested-at, the gateway's receive
 * time, to the CRM's acknowledgement), p50/p99 over the last minute, read from {@code pipeline-stats.json} at the end
 * of the steady window. It also reports the gateway's accept latency seen by the driver and whether every event was
 * delivered, and where the time goes per stage ({@link StageProbe}: normalizer commit, join, sink, CRM).
 *
 * <p>{@code java -cp modules/syncline-bench/target/benchmarks.jar io.syncline.bench.EndToEndDriver
 * [--dist modules/syncline-cli/target/syncline] [--rate 500] [--warmup 20] [--seconds 60] [--contacts 5000]
 * [--java-opts "-Xmx1500m"] [--config syncline.yaml]}.
 */
public final class EndToEndDriver {

    private EndToEndDriver() {
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.Options opts = BenchSupport.options(args, Map.of("dist", "modules/syncline-cli/target/syncline",
                "rate", "500", "warmup", "20", "seconds", "60", "contacts", "5000", "java-opts", "", "config", ""));
        Path dist = Path.of(opts.text("dist"));
        int rate = opts.integer("rate");
        int warmup = opts.integer("warmup");
        int seconds = opts.integer("seconds");
        int contacts = opts.integer("contacts");
        String javaOpts = opts.text("java-opts");
        Path config = opts.text("config").isEmpty() ? null : Path.of(opts.text("config"));
        Path work = Files.createTempDirectory("syncline-e2e-bench");
        Path dataDir = work.resolve("data");
        Path upConfig = work.resolve("syncline.yaml");
        if (config != null) {
            Files.copy(config, upConfig); // e.g. to try normalizer.streams settings; none: the defaults
        }
        int gatewayPort = FreePorts.pick();
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + "; load average at start: " + BenchSupport.loadAverage());
        List<String> upArgs = List.of("up", "--demo", "--demo-rate", "0.2", "--data-dir", dataDir.toString(),
                "--config", upConfig.toString(), "--kafka-port", "0",
                "--kafka-controller-port", "0", "--registry-port", "0", "--connect-port", "0",
                "--gateway-port", String.valueOf(gatewayPort), "--console-port", "0", "--payments-sandbox-port", "0",
                "--crm-sandbox-port", "0", "--support-sandbox-port", "0", "--postgres-port", "0");
        System.out.println("up: " + String.join(" ", upArgs) + (javaOpts.isEmpty() ? "" : " with SYNCLINE_JAVA_OPTS="
                + javaOpts));
        try (SynclineProcess up = SynclineProcess.start(dist, work, upArgs,
                javaOpts.isEmpty() ? Map.of() : Map.of("SYNCLINE_JAVA_OPTS", javaOpts))) {
            up.awaitLine("Syncline is up", Duration.ofMinutes(5));
            Map<String, String> endpoints = RunningFile.read(dataDir).orElseThrow(() -> new IllegalStateException(
                    "up runs but wrote no " + RunningFile.NAME + " in " + dataDir));
            StageProbe probe = new StageProbe(endpoints.get(StackContext.KAFKA), "canonical.finance.payment.v1",
                    "canonical.finance.customer-activity.v1");
            if (rate * warmup < contacts) {
                System.out.println("note: the warm-up sends " + rate * warmup + " events, fewer than the "
                        + contacts + " customers: charges of the others wait for customers that never come");
            }
            String secret = Files.readString(dataDir.resolve("demo/stripe-webhook.secret")).strip();
            URI webhooks = URI.create("http://localhost:" + gatewayPort + "/webhooks/stripe");
            int payers = contacts;
            int warmupEvents = rate * warmup;
            LoadGenerator.Result warm;
            LoadGenerator.Result steady;
            // At most 128 connections, as a provider's webhook sender has a bounded pool; a request waiting for one
            // is still timed from its scheduled send time.
            try (LoadGenerator load = new LoadGenerator(128)) {
                System.out.println("warm-up: " + warmup + " s at " + rate + "/s");
                warm = load.openLoop("warm-up", i -> i < payers ? customerCreated(webhooks, secret, i)
                        : chargeSucceeded(webhooks, secret, i, payers), rate, 0, warmup);
                System.out.println("steady: " + seconds + " s at " + rate + "/s");
                steady = load.openLoop("steady", i -> chargeSucceeded(webhooks, secret, warmupEvents + i, payers), rate,
                        0, seconds);
            }
            Optional<PipelineStats.SinkStats> atEnd = sink(dataDir);
            // Where the backlog is, if there is one: the pipeline section of status at the end of the steady window.
            StringWriter status = new StringWriter();
            SynclineCli.commandLine().setOut(new PrintWriter(status, true))
                    .execute("status", "--data-dir", dataDir.toString());
            String pipeline = status.toString();
            int from = pipeline.indexOf("Pipeline");
            int to = pipeline.indexOf("Topics");
            System.out.println(from >= 0 && to > from ? pipeline.substring(from, to) : pipeline);
            long sentTotal = warm.ok() + steady.ok();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            long delivered = delivered(dataDir);
            while (delivered < sentTotal && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
                delivered = delivered(dataDir);
            }
            long firstSteady = warmupEvents;
            // Only the driver's own charges of the steady window; the sandbox's generator runs too.
            java.util.function.Predicate<String> steadyCharge = event -> event.startsWith("evt_e2e_")
                    && Long.parseLong(event.substring("evt_e2e_".length())) >= firstSteady;
            probe.awaitActivity(steadyCharge, steady.ok(), Duration.ofSeconds(60));
            probe.close();
            System.out.println();
            System.out.print(StageProbe.table(probe.stages(endpoints.get(StackContext.CRM_SANDBOX), steadyCharge,
                    paymentId -> paymentId.startsWith("stripe:ch_e2e_")
                            ? "evt_e2e_" + paymentId.substring("stripe:ch_e2e_".length()) : paymentId)));
            System.out.println();
            System.out.println("| rate | steady | sent (2xx) | rejected/failed | gateway accept p50 / p99 | "
                    + "end to end p50 / p99 (sink, last minute) | delivered / accepted | load average |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            System.out.printf(Locale.ROOT, "| %d/s | %d s | %d | %d | %.0f ms / %.0f ms | %s | %d / %d | %s |%n", rate,
                    seconds, steady.ok(), steady.errors() + warm.errors(), steady.percentileMillis(0.5),
                    steady.percentileMillis(0.99), atEnd.map(s -> s.p50Millis() + " ms / " + s.p99Millis() + " ms ("
                            + s.latencyCount() + " changes)").orElse("no stats"), delivered, sentTotal,
                    BenchSupport.loadAverage());
        }
    }

    private static long delivered(Path dataDir) {
        return sink(dataDir).map(PipelineStats.SinkStats::delivered).orElse(0L);
    }

    private static Optional<PipelineStats.SinkStats> sink(Path dataDir) {
        return PipelineStats.read(dataDir).map(m -> m.get("demo-crm-contacts"));
    }

    /** A Stripe-signed customer.created event for payer {@code n}, so that its charges have a customer to join. */
    private static LoadGenerator.Request customerCreated(URI uri, String secret, long n) {
        long now = Instant.now().getEpochSecond();
        String body = ("{\"id\":\"evt_e2e_%d\",\"object\":\"event\",\"type\":\"customer.created\",\"created\":%d,"
                + "\"livemode\":false,\"api_version\":\"2024-06-20\",\"data\":{\"object\":{\"id\":\"cus_e2e_%d\","
                + "\"object\":\"customer\",\"email\":\"payer%d@example.com\",\"name\":\"Payer %d\",\"created\":%d,"
                + "\"livemode\":false,\"metadata\":{}}}}").formatted(n, now, n, n, n, now);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new LoadGenerator.Request(uri, Map.of(StripeSignature.HEADER, StripeSignature.header(secret, bytes, now)), bytes);
    }

    /** A Stripe-signed charge.succeeded event, the {@code n}-th of the run, for one of {@code payers} payers. */
    private static LoadGenerator.Request chargeSucceeded(URI uri, String secret, long n, int payers) {
        long now = Instant.now().getEpochSecond();
        int payer = (int) (n % payers);
        long amount = 100 + ThreadLocalRandom.current().nextInt(100_000);
        String body = ("{\"id\":\"evt_e2e_%d\",\"object\":\"event\",\"type\":\"charge.succeeded\",\"created\":%d,"
                + "\"livemode\":false,\"api_version\":\"2024-06-20\",\"data\":{\"object\":{\"id\":\"ch_e2e_%d\","
                + "\"object\":\"charge\",\"amount\":%d,\"amount_captured\":%d,\"amount_refunded\":0,"
                + "\"currency\":\"usd\",\"status\":\"succeeded\",\"paid\":true,\"captured\":true,"
                + "\"refunded\":false,\"customer\":\"cus_e2e_%d\",\"created\":%d,\"livemode\":false,"
                + "\"description\":\"Load test payment\",\"payment_method_details\":{\"type\":\"card\","
                + "\"card\":{\"brand\":\"visa\",\"last4\":\"4242\"}},\"billing_details\":{\"name\":\"Payer %d\","
                + "\"email\":\"payer%d@example.com\",\"address\":{\"city\":\"Berlin\",\"country\":\"DE\"}},"
                + "\"metadata\":{\"order\":\"%d\"}}}}").formatted(n, now, n, amount, amount, payer, now, payer,
                payer, n);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new LoadGenerator.Request(uri, Map.of(StripeSignature.HEADER, StripeSignature.header(secret, bytes, now)), bytes);
    }
}
