package io.syncline.bench.oracle;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.syncline.bench.BenchSupport;
import io.syncline.cli.SynclineCli;
import io.syncline.cli.dist.SynclineProcess;
import io.syncline.cli.up.DemoSandboxesComponent;
import io.syncline.kafka.FreePorts;
import io.syncline.sandbox.crm.CrmSandbox;
import io.syncline.sandbox.payments.PaymentsSandbox;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The proof run of issue 14: {@code up --demo} against the payments and CRM sandboxes running as separate processes
 * ({@code syncline sandbox payments|crm}, which survive like real providers), the payments generator at a steady
 * rate, {@code up} killed with SIGKILL or stopped with SIGTERM and restarted at planned moments; then the generator
 * stops, the pipeline drains, and {@link CrmOracle} compares every payer's CRM contact with the payments sandbox's own
 * state. Prints the oracle's report and one result row; exits 1 unless nothing is wrong, lost or dead-lettered.
 *
 * <p>{@code java -cp modules/syncline-bench/target/benchmarks.jar io.syncline.bench.oracle.DemoOracleDriver [--dist
 * modules/syncline-cli/target/syncline] [--rate 30] [--seconds 180] [--disrupt kill@45,kill@90,term@135]
 * [--sink-tasks 2] [--seed 42] [--drain-timeout 600] [--port-base 28000]}; {@code --disrupt none} runs without a crash.
 */
public final class DemoOracleDriver {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private DemoOracleDriver() {
    }

    /** One planned disruption: {@code kill} (SIGKILL) or {@code term} (SIGTERM) of {@code up} at a second. */
    record Disruption(String kind, int atSecond) {

        static List<Disruption> parse(String spec) {
            List<Disruption> out = new ArrayList<>();
            if (spec.isBlank() || spec.equals("none")) {
                return out;
            }
            for (String part : spec.split(",")) {
                String[] kv = part.trim().split("@");
                if (kv.length != 2 || !(kv[0].equals("kill") || kv[0].equals("term"))) {
                    throw new IllegalArgumentException("--disrupt: expected kill@<second> or term@<second>, comma "
                            + "separated (or none), got '" + part + "'");
                }
                out.add(new Disruption(kv[0], Integer.parseInt(kv[1])));
            }
            return out;
        }
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.Options o = BenchSupport.options(args, Map.of("dist", "modules/syncline-cli/target/syncline",
                "rate", "30", "seconds", "180", "disrupt", "kill@45,kill@90,term@135", "sink-tasks", "2",
                "seed", "42", "drain-timeout", "600", "java-opts", "", "port-base", "0"));
        Path dist = Path.of(o.text("dist"));
        double rate = o.decimal("rate");
        int seconds = o.integer("seconds");
        List<Disruption> disruptions = Disruption.parse(o.text("disrupt"));
        Path work = Files.createTempDirectory("syncline-oracle-run");
        Path dataDir = work.resolve("data");
        Map<String, String> env = o.text("java-opts").isEmpty() ? Map.of()
                : Map.of("SYNCLINE_JAVA_OPTS", o.text("java-opts"));
        // --port-base B uses B..B+8 (a range of one's own on a shared machine); 0 picks free ports. Fixed for the
        // run, so that every restart of up finds the shop database where its CDC connector was told it is. The
        // support sandbox is up's own even with the sandbox URLs, so it needs a port of the range too.
        int base = o.integer("port-base");
        int[] ports = new int[9];
        for (int i = 0; i < ports.length; i++) {
            ports[i] = base > 0 ? base + i : FreePorts.pick();
        }
        int paymentsPort = ports[0];
        int crmPort = ports[1];
        int kafkaPort = ports[2];
        List<String> upArgs = List.of("up", "--demo", "--data-dir", dataDir.toString(),
                "--config", work.resolve("syncline.yaml").toString(),
                "--payments-sandbox-url", "http://localhost:" + paymentsPort,
                "--crm-sandbox-url", "http://localhost:" + crmPort, "--demo-sink-tasks", o.text("sink-tasks"),
                "--kafka-port", String.valueOf(kafkaPort), "--kafka-controller-port", String.valueOf(ports[3]),
                "--registry-port", String.valueOf(ports[4]), "--connect-port", String.valueOf(ports[5]),
                "--gateway-port", String.valueOf(ports[6]), "--postgres-port", String.valueOf(ports[7]),
                "--support-sandbox-port", String.valueOf(ports[8]),
                "--console-port", "0");
        String bootstrap = "localhost:" + kafkaPort;
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + "; load average at start: " + BenchSupport.loadAverage());
        System.out.println("up: " + String.join(" ", upArgs));
        String paymentsUrl = "http://localhost:" + paymentsPort;
        String crmUrl = "http://localhost:" + crmPort;
        int exit = 1;
        try (SynclineProcess payments = SynclineProcess.start(dist, work, List.of("sandbox", "payments", "--port",
                String.valueOf(paymentsPort), "--rate", "0", "--seed", o.text("seed")), env);
                SynclineProcess crm = SynclineProcess.start(dist, work, List.of("sandbox", "crm", "--port",
                        String.valueOf(crmPort), "--rate", "0"), env)) {
            payments.awaitLine("payments sandbox", Duration.ofMinutes(2));
            crm.awaitLine("crm sandbox", Duration.ofMinutes(2));
            SynclineProcess up = startUp(dist, work, upArgs, env);
            int kills = 0;
            int terms = 0;
            try {
                post(paymentsUrl + "/_sandbox/generator/start", "{\"rate\":" + rate + "}");
                long t0 = System.nanoTime();
                for (Disruption d : disruptions) {
                    parkUntil(t0, d.atSecond());
                    if (d.kind().equals("kill")) {
                        up.close(); // SIGKILL, and waits for the process to end
                        kills++;
                    } else {
                        up.terminate();
                        if (up.waitFor(Duration.ofSeconds(60)).isEmpty()) {
                            throw new IllegalStateException("up did not stop within 60 s of SIGTERM");
                        }
                        terms++;
                    }
                    System.out.printf(Locale.ROOT, "%ds: %s of up; restarting%n", d.atSecond(), d.kind());
                    up = startUp(dist, work, upArgs, env);
                }
                parkUntil(t0, seconds);
                String generator = post(paymentsUrl + "/_sandbox/generator/stop", "{}");
                // Restarts of up can run past the planned end; the generator runs until they are all done.
                System.out.printf(Locale.ROOT, "generator stopped after %.0f s: %s%n", (System.nanoTime() - t0) / 1e9,
                        generator);
                long drainStart = System.nanoTime();
                boolean drained = awaitDrained(bootstrap, Duration.ofSeconds(o.integer("drain-timeout")));
                System.out.printf(Locale.ROOT, "%s after %.0f s%n", drained ? "drained" : "NOT drained",
                        (System.nanoTime() - drainStart) / 1e9);
                StringWriter status = new StringWriter();
                SynclineCli.commandLine().setOut(new PrintWriter(status, true))
                        .execute("status", "--data-dir", dataDir.toString());
                System.out.println(status);
                CrmOracle.Report report = CrmOracle.check(new CrmOracle.Settings(paymentsUrl,
                        PaymentsSandbox.DEFAULT_API_KEY, crmUrl, CrmSandbox.DEFAULT_PRIVATE_APP_TOKEN, bootstrap,
                        List.of("dlq.normalizer", DemoSandboxesComponent.SINK_DLQ), true));
                System.out.print(report.render(20));
                System.out.println();
                System.out.println("| rate | seconds | kill -9 | SIGTERM | sink tasks | payers | correct | wrong "
                        + "(lifetime value only) | lost | payments in a DLQ | load average |");
                System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
                System.out.printf(Locale.ROOT, "| %s/s | %d | %d | %d | %s | %d | %d | %d (%d) | %d | %d | %s |%n",
                        o.text("rate"), seconds, kills, terms, o.text("sink-tasks"), report.payers(),
                        report.correct(), report.wrong().size(), report.wrongLifetimeValueOnly(), report.lost().size(),
                        report.paymentsInDeadLetters(), BenchSupport.loadAverage());
                up.terminate();
                up.waitFor(Duration.ofSeconds(60));
                exit = report.clean() && drained ? 0 : 1;
            } finally {
                up.close();
            }
            // Leaving the try stops both sandboxes (SIGKILL of processes that own nothing worth keeping).
        }
        System.exit(exit);
    }

    private static SynclineProcess startUp(Path dist, Path work, List<String> args, Map<String, String> env) {
        SynclineProcess up = SynclineProcess.start(dist, work, args, env);
        up.awaitLine("Syncline is up", Duration.ofMinutes(5));
        return up;
    }

    private static void parkUntil(long t0, int second) {
        long until = t0 + TimeUnit.SECONDS.toNanos(second);
        while (System.nanoTime() < until) {
            LockSupport.parkNanos(until - System.nanoTime());
        }
    }

    /**
     * Drained: for 20 s nothing moved, neither the end of any topic nor the committed offsets of any consumer group
     * (the normalizer's and the sinks'; Connect commits every 5 s in {@code up}).
     */
    static boolean awaitDrained(String bootstrap, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long stableSince = System.nanoTime();
        long last = -1;
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            while (System.nanoTime() < deadline) {
                long now = progress(admin);
                if (now != last) {
                    last = now;
                    stableSince = System.nanoTime();
                } else if (System.nanoTime() - stableSince > TimeUnit.SECONDS.toNanos(20)) {
                    return true;
                }
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2));
            }
        }
        return false;
    }

    private static long progress(Admin admin) {
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (var d : admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get().values()) {
                d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()),
                        OffsetSpec.latest()));
            }
            long sum = 0;
            for (var e : admin.listOffsets(latest).all().get().values()) {
                sum += e.offset();
            }
            for (ConsumerGroupListing g : admin.listConsumerGroups().all().get()) {
                for (var om : admin.listConsumerGroupOffsets(g.groupId()).partitionsToOffsetAndMetadata().get()
                        .values()) {
                    sum += om == null ? 0 : om.offset();
                }
            }
            return sum;
        } catch (Exception e) {
            return -2; // the broker is busy or restarting: not stable
        }
    }

    private static String post(String url, String json) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("POST " + url + ": HTTP " + r.statusCode() + " " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException("POST " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
