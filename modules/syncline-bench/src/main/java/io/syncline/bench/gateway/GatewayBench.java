package io.syncline.bench.gateway;

import static io.syncline.bench.BenchSupport.median;
import static io.syncline.bench.BenchSupport.options;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.javalin.Javalin;
import io.syncline.bench.BenchSupport;
import io.syncline.bench.LoadGenerator;
import io.syncline.config.GatewayConfig;
import io.syncline.config.SynclineConfigLoader;
import io.syncline.gateway.WebhookGateway;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.sandbox.payments.StripeSignature;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
/**
 * Load driver: the webhook gateway ({@code POST /webhooks/stripe}: Stripe signature verified over a 1.6 KB body, the
 * record written to a real embedded broker with {@code acks=all} before the 200) against a bare Javalin handler on
 * the same Javalin/Jetty version and thread pool that reads the body and answers 200, in the same process and run.
 *
 * <pre>
 * java -Xmx1g -cp modules/syncline-bench/target/benchmarks.jar io.syncline.bench.gateway.GatewayBench \
 *     [--rounds 3] [--seconds 10] [--warmup 3] [--concurrency 256] [--jit-warmup 20] \
 *     [--producer linger.ms=10,batch.size=65536]
 * </pre>
 *
 * First both servers run closed-loop for {@code --jit-warmup} seconds in total (JIT). Then each round, alternating which goes first: a closed-loop saturating run of each server ({@code --concurrency}
 * requests always outstanding) gives its maximum rate; then open-loop runs at a constant rate of half the gateway's
 * maximum (bare handler at the same rate for reference) give p50/p99 from the scheduled send time. At the end the
 * topic's end offset is checked against the number of 200s the gateway gave. A closed loop is bound by
 * concurrency / latency: the gateway's latency includes the producer's linger and the broker's acknowledgement, so
 * too few outstanding requests (64) measure that latency, not the gateway's capacity; 256 saturate the CPU.
 */
public final class GatewayBench {

    /** A fresh signing secret per run, handed to the gateway through an environment reference as in production. */
    private static final String SECRET = "whsec_" + java.util.HexFormat.of().formatHex(
            java.security.SecureRandom.getSeed(24));
    private static final String TOPIC = "raw.stripe.charge";

    private GatewayBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.Options opts = options(args, Map.of("rounds", "3", "seconds", "10", "warmup", "3",
                "concurrency", "256", "jit-warmup", "20", "producer", ""));
        int rounds = opts.integer("rounds");
        double seconds = opts.decimal("seconds");
        double warmup = opts.decimal("warmup");
        int concurrency = opts.integer("concurrency");
        double jitWarmup = opts.decimal("jit-warmup");
        // Producer overrides to try, e.g. --producer linger.ms=10,batch.size=65536 (default: the gateway's own).
        Map<String, String> producer = new HashMap<>();
        for (String kv : opts.text("producer").split(",")) {
            if (!kv.isBlank()) {
                producer.put(kv.substring(0, kv.indexOf('=')).trim(), kv.substring(kv.indexOf('=') + 1).trim());
            }
        }
        byte[] body;
        try (InputStream in = GatewayBench.class.getResourceAsStream("/bench/charge-event.json")) {
            body = in.readAllBytes();
        }

        Path dataDir = Files.createTempDirectory("gateway-bench");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dataDir).build().start();
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            GatewayConfig config = SynclineConfigLoader.parse("""
                    gateway:
                      endpoints:
                        - name: stripe
                          scheme: stripe
                          secrets: [env:BENCH_STRIPE_SECRET]
                          topic: %s
                    """.formatted(TOPIC), "GatewayBench.yaml").gateway();
            Javalin bare = bareHandler();
            try (WebhookGateway gateway = WebhookGateway.builder(config).bootstrapServers(broker.bootstrapServers())
                    .producerProperties(producer).host("127.0.0.1").port(0)
                    .environment(Map.of("BENCH_STRIPE_SECRET", SECRET)).build().start();
                    LoadGenerator load = new LoadGenerator(concurrency)) {
                URI gatewayUri = URI.create(gateway.webhookUrl("stripe"));
                URI bareUri = URI.create("http://127.0.0.1:" + bare.port() + "/webhooks/stripe");
                System.out.printf(Locale.ROOT, "body %d bytes; %d rounds; closed loop %d outstanding, %.0f s + %.0f s "
                        + "warm-up per run; producer overrides %s%n", body.length, rounds, concurrency, seconds, warmup, producer);

                // JIT warm-up of both paths (and of the client) before anything is measured.
                for (int i = 0; i < 2; i++) {
                    System.out.println("warm-up " + load.closedLoop("bare", signed(bareUri, body), concurrency, 0,
                            jitWarmup / 2));
                    System.out.println("warm-up " + load.closedLoop("gateway", signed(gatewayUri, body), concurrency,
                            0, jitWarmup / 2));
                }
                long gatewayOk = 0;
                List<LoadGenerator.Result> bareMax = new ArrayList<>();
                List<LoadGenerator.Result> gatewayMax = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    for (int side = 0; side < 2; side++) {
                        boolean gatewayTurn = (side == 0) == (r % 2 == 1);
                        if (gatewayTurn) {
                            LoadGenerator.Result res = load.closedLoop("gateway", signed(gatewayUri, body),
                                    concurrency, warmup, seconds);
                            gatewayOk += res.ok();
                            gatewayMax.add(res);
                            System.out.println("round " + (r + 1) + " max  " + res);
                        } else {
                            LoadGenerator.Result res = load.closedLoop("bare", signed(bareUri, body), concurrency,
                                    warmup, seconds);
                            bareMax.add(res);
                            System.out.println("round " + (r + 1) + " max  " + res);
                        }
                    }
                    System.out.printf(Locale.ROOT, "round %d ratio gateway/bare %.2f%n", r + 1,
                            gatewayMax.get(r).rate() / bareMax.get(r).rate());
                }
                double gatewayRate = median(gatewayMax.stream().mapToDouble(LoadGenerator.Result::rate).toArray());
                double bareRate = median(bareMax.stream().mapToDouble(LoadGenerator.Result::rate).toArray());
                System.out.printf(Locale.ROOT, "max rate (median of %d): bare %.0f req/s, gateway %.0f req/s, "
                        + "ratio %.2f%n", rounds, bareRate, gatewayRate, gatewayRate / bareRate);

                double half = Math.max(1, Math.floor(gatewayRate / 2));
                System.out.printf(Locale.ROOT, "open loop at %.0f req/s (half the gateway's max)%n", half);
                for (int r = 0; r < rounds; r++) {
                    for (int side = 0; side < 2; side++) {
                        boolean gatewayTurn = (side == 0) == (r % 2 == 0);
                        if (gatewayTurn) {
                            LoadGenerator.Result res = load.openLoop("gateway", signed(gatewayUri, body), half,
                                    warmup, seconds);
                            gatewayOk += res.ok();
                            System.out.println("round " + (r + 1) + " half " + res);
                        } else {
                            System.out.println("round " + (r + 1) + " half " + load.openLoop("bare",
                                    signed(bareUri, body), half, warmup, seconds));
                        }
                    }
                }
                long written = admin.listOffsets(Map.of(new TopicPartition(TOPIC, 0), OffsetSpec.latest())).all()
                        .get().get(new TopicPartition(TOPIC, 0)).offset();
                // Warm-up requests were answered too but not counted, so the topic holds at least the counted 200s.
                System.out.printf(Locale.ROOT, "records in %s: %d; gateway 200s counted in measured windows: %d (%s)%n",
                        TOPIC, written, gatewayOk, written >= gatewayOk ? "every 200 is in Kafka" : "MISSING RECORDS");
            } finally {
                bare.stop();
            }
        }
    }

    /** The baseline: same Javalin and Jetty, same thread pool settings as the gateway; reads the body, answers 200. */
    private static Javalin bareHandler() {
        QueuedThreadPool pool = new QueuedThreadPool(200, 8, 60_000);
        pool.setName("bare-handler");
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.threadPool = pool;
            cfg.routes.post("/webhooks/{endpoint}", ctx -> {
                byte[] read = ctx.bodyAsBytes();
                ctx.status(200).contentType("application/json").result("{\"status\":\"accepted\",\"bytes\":"
                        + read.length + "}");
            });
        }).start("127.0.0.1", 0);
    }

    /** Signed now, as Stripe signs; valid for the gateway's 300 s replay window. */
    private static LoadGenerator.Request signed(URI uri, byte[] body) {
        return new LoadGenerator.Request(uri, Map.of(StripeSignature.HEADER,
                StripeSignature.header(SECRET, body, System.currentTimeMillis() / 1000)), body);
    }
}
