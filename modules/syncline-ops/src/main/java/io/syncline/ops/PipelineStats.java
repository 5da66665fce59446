package io.syncline.ops;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the sinks running in this {@code syncline up} report about themselves, for {@code syncline status} in another
 * process: every two seconds, the plugin metrics of the Syncline sink tasks in this JVM's Connect worker (delivered,
 * dead-lettered, end-to-end latency percentiles of the last minute, read from JMX, where the worker registers them)
 * go to {@code pipeline-stats.json} in the data directory. Against an external Connect cluster the same metrics are
 * on that cluster's JMX (or its Prometheus exporter).
 *
 * <p>With the normalizer running in this JVM, what it did with each raw topic's records (in, canonical out, dropped,
 * skipped, dead-lettered) goes to the same file, so that {@code status} can show every raw topic.
 */
public final class PipelineStats implements AutoCloseable {

    public static final String FILE = "pipeline-stats.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String P99 = "e2e-latency-p99-ms";
    /** The plugin metrics of an account budget (io.syncline.http.AccountBudgetGauges, in the plugins' class loaders). */
    private static final String BUDGET_ACCOUNT = "account-budget-account";
    private static final String[][] BUDGET_FIGURES = {{"account-budget-window-requests", "limit"},
        {"account-budget-window-ms", "windowMs"}, {"account-budget-used", "used"},
        {"account-budget-waits-total", "waits"}, {"account-budget-rate-limited-total", "rateLimited"}};

    /** The normalizer of this JVM, when one runs: its figures per raw topic. */
    private static final java.util.concurrent.atomic.AtomicReference<
            java.util.function.Supplier<Map<String, RawTopicStats>>> NORMALIZER =
            new java.util.concurrent.atomic.AtomicReference<>();

    private final Path file;
    private final Supplier<Map<String, Object>> normalizer;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "syncline-pipeline-stats");
        t.setDaemon(true);
        return t;
    });

    private PipelineStats(Path dataDir, Supplier<Map<String, Object>> normalizer) {
        this.file = dataDir.resolve(FILE);
        this.normalizer = normalizer;
    }

    /** Starts writing the stats of this JVM's sink tasks under {@code dataDir}. */
    public static PipelineStats start(Path dataDir) {
        return start(dataDir, Map::of);
    }

    /**
     * Starts writing the stats of this JVM's sink tasks, and of its normalizer ({@code Normalizer.health()}: the
     * customer-activity join's figures among them), under {@code dataDir}.
     */
    public static PipelineStats start(Path dataDir, Supplier<Map<String, Object>> normalizer) {
        PipelineStats stats = new PipelineStats(dataDir, normalizer);
        stats.timer.scheduleWithFixedDelay(stats::writeQuietly, 0, 2, TimeUnit.SECONDS);
        return stats;
    }

    /** One sink connector's figures, its tasks merged. */
    public record SinkStats(long delivered, long deadLettered, long p50Millis, long p99Millis, long latencyCount) {
    }

    /** The sinks' stats as last written by the {@code up} of {@code dataDir}, if it writes any. */
    public static Optional<Map<String, SinkStats>> read(Path dataDir) {
        return readTree(dataDir).map(root -> {
            Map<String, SinkStats> out = new LinkedHashMap<>();
            root.path("sinks").fields().forEachRemaining(e -> {
                JsonNode s = e.getValue();
                out.put(e.getKey(), new SinkStats(s.path("delivered").asLong(), s.path("deadLettered").asLong(),
                        s.path("p50").asLong(-1), s.path("p99").asLong(-1), s.path("latencyCount").asLong()));
            });
            return out;
        });
    }

    /**
     * The customer-activity join's figures in the normalizer of this {@code up}: records written, payment changes
     * waiting for their customer now, and changes skipped on purpose.
     */
    public record ActivityStats(long written, long waitingNow, long skipped) {
    }

    /** The join's figures as last written by the {@code up} of {@code dataDir}, if its normalizer runs the join. */
    public static Optional<ActivityStats> activity(Path dataDir) {
        return readTree(dataDir).map(root -> root.path("normalizer").path("customerActivity"))
                .filter(a -> a.isObject())
                .map(a -> new ActivityStats(a.path("written").asLong(), a.path("waitingNow").asLong(),
                        a.path("skipped").asLong()));
    }

    /**
     * What the normalizer did with one raw topic's records.
     *
     * @param in records read
     * @param out canonical records written
     * @param duplicate dropped: the change was emitted already
     * @param stale dropped: older than the version emitted
     * @param skipped skipped on purpose (an ignored topic, an expected tombstone, a change waiting for its object…)
     * @param deadLettered sent to dlq.normalizer
     */
    public record RawTopicStats(long in, long out, long duplicate, long stale, long skipped, long deadLettered) {
    }

    /** Lets the normalizer of this JVM report its figures (null: it stopped). */
    public static void normalizer(java.util.function.Supplier<Map<String, RawTopicStats>> figures) {
        NORMALIZER.set(figures);
    }

    /** What the normalizer of the {@code up} of {@code dataDir} did per raw topic, if it runs there. */
    public static Optional<Map<String, RawTopicStats>> rawTopics(Path dataDir) {
        return readTree(dataDir).filter(root -> root.has("rawTopics")).map(root -> {
            Map<String, RawTopicStats> out = new LinkedHashMap<>();
            root.path("rawTopics").fields().forEachRemaining(e -> {
                JsonNode s = e.getValue();
                out.put(e.getKey(), new RawTopicStats(s.path("in").asLong(), s.path("out").asLong(),
                        s.path("duplicate").asLong(), s.path("stale").asLong(), s.path("skipped").asLong(),
                        s.path("deadLettered").asLong()));
            });
            return out;
        });
    }

    /**
     * One provider account's shared request budget (docs/http.md, "Shared account budgets"), as the connector tasks
     * that draw from it report it.
     *
     * @param account base URL and credential fingerprint
     * @param limit requests the window allows
     * @param windowMillis the window's length
     * @param used requests spent in the current window, by all users
     * @param waits times a request found the window full and waited
     * @param rateLimited 429 answers the provider gave any user
     * @param users the clients sharing the window
     */
    public record AccountBudgetStats(String account, long limit, long windowMillis, long used, long waits,
                                     long rateLimited, List<String> users) {
    }

    /** The account budgets the connector tasks in the {@code up} of {@code dataDir} draw from, if it writes any. */
    public static Optional<List<AccountBudgetStats>> accountBudgets(Path dataDir) {
        return readTree(dataDir).filter(root -> root.has("accountBudgets")).map(root -> {
            List<AccountBudgetStats> out = new ArrayList<>();
            root.path("accountBudgets").fields().forEachRemaining(e -> {
                JsonNode b = e.getValue();
                List<String> users = new ArrayList<>();
                b.path("users").forEach(u -> users.add(u.asText()));
                out.add(new AccountBudgetStats(e.getKey(), b.path("limit").asLong(), b.path("windowMs").asLong(),
                        b.path("used").asLong(), b.path("waits").asLong(), b.path("rateLimited").asLong(),
                        List.copyOf(users)));
            });
            return out;
        });
    }

    /** Records each source connector in this {@code up} wrote to Kafka (Connect's source-record-write-total). */
    public static Optional<Map<String, Long>> sourceRecords(Path dataDir) {
        return readTree(dataDir).map(root -> {
            Map<String, Long> out = new LinkedHashMap<>();
            root.path("sources").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
            return out;
        });
    }

    private static Optional<JsonNode> readTree(Path dataDir) {
        Path f = dataDir.resolve(FILE);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(f.toFile()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void writeQuietly() {
        try {
            write();
        } catch (Exception e) {
            // Stats are a view; a failed round is retried in two seconds and never disturbs the stack.
        }
    }

    void write() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Map<String, long[]> perConnector = new LinkedHashMap<>();
        Set<ObjectName> names = server.queryNames(new ObjectName("kafka.connect:*"), null);
        for (ObjectName name : names) {
            String connector = name.getKeyProperty("connector");
            if (connector == null || !hasAttribute(server, name, P99)) {
                continue;
            }
            long delivered = number(server, name, "records-delivered-total");
            long dead = number(server, name, "records-dead-lettered-total");
            long p50 = number(server, name, "e2e-latency-p50-ms");
            long p99 = number(server, name, P99);
            long count = number(server, name, "e2e-latency-count");
            long[] acc = perConnector.computeIfAbsent(connector, c -> new long[] {0, 0, 0, -1, 0});
            acc[0] += delivered;
            acc[1] += dead;
            // Tasks merged: the median weighted by each task's count, the 99th percentile as the worst task's.
            acc[2] += p50 < 0 ? 0 : p50 * count;
            acc[3] = Math.max(acc[3], p99);
            acc[4] += count;
        }
        Map<String, Long> sources = new LinkedHashMap<>();
        for (ObjectName name : server.queryNames(new ObjectName("kafka.connect:type=source-task-metrics,*"), null)) {
            String connector = name.getKeyProperty("connector");
            long written = number(server, name, "source-record-write-total");
            if (connector != null && written >= 0) {
                sources.merge(connector, written, Long::sum);
            }
        }
        // Every task of an account reports the same shared figures: one entry per account, its users merged.
        Map<String, ObjectNode> budgets = new LinkedHashMap<>();
        for (ObjectName name : server.queryNames(new ObjectName("kafka.connect:type=plugins,*"), null)) {
            if (!hasAttribute(server, name, BUDGET_ACCOUNT)
                    || !(server.getAttribute(name, BUDGET_ACCOUNT) instanceof String account) || account.isEmpty()) {
                continue;
            }
            ObjectNode b = budgets.computeIfAbsent(account, a -> JSON.createObjectNode());
            for (String[] f : BUDGET_FIGURES) {
                b.put(f[1], Math.max(b.path(f[1]).asLong(-1), number(server, name, f[0])));
            }
            java.util.Set<String> users = new java.util.TreeSet<>();
            b.path("users").forEach(u -> users.add(u.asText()));
            if (server.getAttribute(name, "account-budget-users") instanceof String u && !u.isEmpty()) {
                users.addAll(List.of(u.split(",")));
            }
            var list = b.putArray("users");
            users.forEach(list::add);
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("updatedAt", System.currentTimeMillis());
        if (!budgets.isEmpty()) {
            root.putObject("accountBudgets").setAll(budgets);
        }
        ObjectNode sourceNode = root.putObject("sources");
        sources.forEach(sourceNode::put);
        ObjectNode sinks = root.putObject("sinks");
        perConnector.forEach((connector, a) -> {
            ObjectNode s = sinks.putObject(connector);
            s.put("delivered", a[0]);
            s.put("deadLettered", a[1]);
            s.put("p50", a[4] == 0 ? -1 : a[2] / a[4]);
            s.put("p99", a[3]);
            s.put("latencyCount", a[4]);
        });
        Map<String, Object> n = normalizer.get();
        if (!n.isEmpty()) {
            root.set("normalizer", JSON.valueToTree(n));
        }
        java.util.function.Supplier<Map<String, RawTopicStats>> figures = NORMALIZER.get();
        if (figures != null) {
            ObjectNode raw = root.putObject("rawTopics");
            figures.get().forEach((topic, f) -> raw.putObject(topic).put("in", f.in()).put("out", f.out())
                    .put("duplicate", f.duplicate()).put("stale", f.stale()).put("skipped", f.skipped())
                    .put("deadLettered", f.deadLettered()));
        }
        Path tmp = file.resolveSibling(FILE + ".tmp");
        JSON.writeValue(tmp.toFile(), root);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean hasAttribute(MBeanServer server, ObjectName name, String attribute) throws Exception {
        for (var a : server.getMBeanInfo(name).getAttributes()) {
            if (a.getName().equals(attribute)) {
                return true;
            }
        }
        return false;
    }

    private static long number(MBeanServer server, ObjectName name, String attribute) {
        try {
            Object v = server.getAttribute(name, attribute);
            return v instanceof Number n ? n.longValue() : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A stale file is harmless: status shows its age.
        }
    }
}
