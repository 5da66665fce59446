package io.syncline.bench.connect;

import static io.syncline.bench.BenchSupport.options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.syncline.bench.BenchSupport;
import io.syncline.kafka.ConnectRestClient;
import io.syncline.kafka.EmbeddedConnectWorker;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.kafka.FreePorts;
import io.syncline.normalizer.Normalizer;
import io.syncline.normalizer.NormalizerSettings;
import io.syncline.registry.serde.KafkaAvroDeserializer;
import io.syncline.registry.server.SchemaRegistryServer;
import io.syncline.sandbox.shop.ShopDatabase;
import io.syncline.sandbox.shop.ShopTraffic;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Load driver for issue 13's speed goal: the shop database commits row changes at a steady rate (the sandbox's
 * business traffic, one transaction per operation) and read_committed consumers time each change from its commit
 * (when the generator's commit returned) to its arrival on {@code cdc.shop.<table>} (Debezium alone) and on
 * {@code canonical.finance.customer|order.v1} (through the normalizer with the shipped mappings): p50 and p99 of
 * both over the same steady window, after a warm-up.
 *
 * <pre>
 * java -cp modules/syncline-bench/target/benchmarks.jar io.syncline.bench.connect.CdcLatencyBench \
 *     [--rate 1000] [--warmup 10] [--seconds 30] [--poll-interval-ms 100] \
 *     [--plugin-path modules/syncline-connect-cdc/target/plugin] [--mappings mappings]
 * </pre>
 *
 * Everything runs in this JVM as {@code syncline up} runs it: an embedded KRaft broker, the registry, a Connect
 * worker (exactly-once sources) loading the CDC plugin from its directory, the normalizer (exactly-once, the
 * mappings of {@code --mappings}) and the embedded PostgreSQL. The topic prefix is the demo's, {@code cdc.shop}, so
 * the shipped shop mappings read the bench's topics. The rate
 * counts every row change the generator commits (customers, orders and the outbox rows, which the connector
 * captures too, as the demo does); latency is measured on the customers' and orders' changes.
 *
 * <p>Each timed path is a {@link Stage}: where its records arrive and which committed change a record is. A change
 * reaches the canonical topics twice (as a row and as an outbox event); the first copy is timed, the normalizer
 * drops the second.
 */
public final class CdcLatencyBench {

    private static final String PREFIX = "cdc.shop";

    /**
     * One timed path: the topics its records arrive on, and the committed change ({@code <table>:<id>:<version>:<op>},
     * as {@link ShopTraffic.RowChange} names it) a decoded record stands for, if any.
     */
    interface Stage {
        String name();

        Pattern topics();

        Optional<String> change(String topic, Object key, Object value);
    }

    /** Debezium alone: a change event on {@code cdc.bench.customers|orders}. */
    static final Stage DEBEZIUM = new Stage() {
        @Override
        public String name() {
            return "commit -> cdc.* (Debezium)";
        }

        @Override
        public Pattern topics() {
            return Pattern.compile(Pattern.quote(PREFIX) + "\\.(customers|orders)");
        }

        @Override
        public Optional<String> change(String topic, Object key, Object value) {
            if (!(value instanceof GenericRecord envelope)) {
                return Optional.empty(); // a tombstone: its delete was timed already
            }
            String op = String.valueOf(envelope.get("op"));
            if (op.equals("r")) {
                return Optional.empty(); // the snapshot: not a commit under load
            }
            GenericRecord row = (GenericRecord) (envelope.get("after") != null ? envelope.get("after")
                    : envelope.get("before"));
            String table = topic.substring(PREFIX.length() + 1);
            return Optional.of(table + ":" + row.get("id") + ":" + row.get("version") + ":" + op);
        }
    };

    /**
     * Debezium and the normalizer: the canonical customer or order a change became. Its event id is
     * {@code <id>@<version>} ({@code /deleted} for a delete, mappings/shop/*.yaml), which names the committed change.
     */
    static final Stage CANONICAL = new Stage() {
        @Override
        public String name() {
            return "commit -> canonical.* (Debezium + normalizer)";
        }

        @Override
        public Pattern topics() {
            return Pattern.compile("canonical\\.finance\\.(customer|order)\\.v1");
        }

        @Override
        public Optional<String> change(String topic, Object key, Object value) {
            if (!(value instanceof GenericRecord record)) {
                return Optional.empty(); // the tombstone after a DELETE
            }
            GenericRecord metadata = (GenericRecord) record.get("metadata");
            if (!"shop".equals(String.valueOf(metadata.get("source_system")))) {
                return Optional.empty();
            }
            String eventId = String.valueOf(metadata.get("event_id"));
            Matcher m = EVENT_ID.matcher(eventId);
            if (!m.matches()) {
                return Optional.empty();
            }
            String table = topic.contains(".customer.") ? "customers" : "orders";
            char op = m.group(3) != null ? 'd' : m.group(2).equals("1") ? 'c' : 'u';
            return Optional.of(table + ":" + m.group(1) + ":" + m.group(2) + ":" + op);
        }
    };

    private static final Pattern EVENT_ID = Pattern.compile("(\\d+)@(\\d+)(/deleted)?");

    /** The stages timed in one run, from the same load. */
    static List<Stage> stages() {
        return List.of(DEBEZIUM, CANONICAL);
    }

    private CdcLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.Options opts = options(args, Map.of("rate", "1000", "warmup", "10", "seconds", "30",
                "poll-interval-ms", "100", "plugin-path", "modules/syncline-connect-cdc/target/plugin",
                "mappings", "mappings"));
        double rate = opts.decimal("rate");
        int warmup = opts.integer("warmup");
        int seconds = opts.integer("seconds");
        Path pluginPath = Path.of(opts.text("plugin-path"));
        if (!Files.isDirectory(pluginPath.resolve("syncline-connect-cdc"))) {
            throw new IllegalArgumentException("--plugin-path " + pluginPath + " has no syncline-connect-cdc/ plugin "
                    + "directory; build it with ./mvnw -pl modules/syncline-connect-cdc -am package");
        }
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + "; load average at start: " + BenchSupport.loadAverage());
        Path work = Files.createTempDirectory("syncline-cdc-bench");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(work.resolve("kafka")).port(0).controllerPort(0)
                .build().start();
             SchemaRegistryServer registry = SchemaRegistryServer.builder(broker.bootstrapServers()).port(0).build()
                     .start();
             ShopDatabase db = ShopDatabase.builder().port(FreePorts.pick()).dataDirectory(work.resolve("postgres"))
                     .build().start();
             EmbeddedConnectWorker worker = EmbeddedConnectWorker.builder(broker.bootstrapServers()).port(0)
                     .pluginDirectory(pluginPath).build().start();
             Normalizer normalizer = Normalizer.create(NormalizerSettings.defaults(broker.bootstrapServers(),
                     registry.url(), Path.of(opts.text("mappings")), work.resolve("normalizer-state"))
                     .withApplicationId("cdc-bench-normalizer")).start()) {
            Path secrets = work.resolve("secrets.properties");
            Files.writeString(secrets, "password=" + db.cdcPassword() + "\n");
            Map<String, String> config = new LinkedHashMap<>();
            config.put("connector.class", "io.syncline.connect.cdc.PostgresCdcSourceConnector");
            config.put("database.hostname", db.host());
            config.put("database.port", String.valueOf(db.port()));
            config.put("database.user", ShopDatabase.CDC_USER);
            config.put("database.password", "${file:" + secrets.toAbsolutePath() + ":password}");
            config.put("database.dbname", ShopDatabase.DATABASE);
            config.put("topic.prefix", PREFIX);
            config.put("table.include.list", "public.customers,public.orders,public.outbox");
            config.put("slot.name", "syncline_bench");
            config.put("publication.name", "syncline_bench");
            config.put("publication.autocreate.mode", "filtered");
            config.put("poll.interval.ms", opts.text("poll-interval-ms"));
            config.put("key.converter", "io.syncline.registry.connect.AvroConverter");
            config.put("key.converter.schema.registry.url", registry.url());
            config.put("value.converter", "io.syncline.registry.connect.AvroConverter");
            config.put("value.converter.schema.registry.url", registry.url());
            config.put("transforms", "outbox");
            config.put("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
            config.put("transforms.outbox.predicate", "isOutbox");
            config.put("transforms.outbox.route.topic.replacement", PREFIX + ".outbox.${routedByValue}");
            config.put("predicates", "isOutbox");
            config.put("predicates.isOutbox.type", "org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
            config.put("predicates.isOutbox.pattern", Pattern.quote(PREFIX + ".outbox"));
            new ConnectRestClient(worker.url()).putConnectorConfig("bench-cdc", config);

            Map<String, Long> committedAt = new ConcurrentHashMap<>();
            AtomicLong rowChanges = new AtomicLong();
            AtomicLong transactions = new AtomicLong();
            try (ShopTraffic traffic = ShopTraffic.builder(db).seed(13).rate(rate).listener((op, changes, at) -> {
                transactions.incrementAndGet();
                rowChanges.addAndGet(changes.size());
                for (ShopTraffic.RowChange c : changes) {
                    if (!c.table().equals("outbox")) {
                        committedAt.put(c.table() + ":" + c.id() + ":" + c.version() + ":" + c.op(), at);
                    }
                }
            }).build()) {
                traffic.runSteps(50); // something to snapshot, and the schemas registered before the clock runs
                List<Timing> timings = new ArrayList<>();
                for (Stage stage : stages()) {
                    timings.add(new Timing(stage, broker.bootstrapServers(), registry.url(), committedAt));
                }
                timings.forEach(Timing::start);
                traffic.start();
                Thread.sleep(warmup * 1000L);
                timings.forEach(Timing::reset);
                long rowsAtStart = rowChanges.get();
                long txAtStart = transactions.get();
                long steadyStart = System.currentTimeMillis();
                Thread.sleep(seconds * 1000L);
                long steadyEnd = System.currentTimeMillis();
                traffic.stop();
                double achieved = (rowChanges.get() - rowsAtStart) * 1000.0 / (steadyEnd - steadyStart);
                double txRate = (transactions.get() - txAtStart) * 1000.0 / (steadyEnd - steadyStart);
                // Let the last changes of the window arrive before reading the figures.
                long deadline = System.currentTimeMillis() + 30_000;
                while (System.currentTimeMillis() < deadline
                        && timings.stream().anyMatch(t -> t.pending(steadyStart, steadyEnd) > 0)) {
                    Thread.sleep(200);
                }
                System.out.printf(Locale.ROOT, "load: %.0f row changes/s committed (%.0f transactions/s; target %.0f) "
                        + "for %d s after %d s of warm-up; poll.interval.ms %s%n", achieved, txRate, rate, seconds,
                        warmup, opts.text("poll-interval-ms"));
                for (Timing t : timings) {
                    t.close();
                    t.report(steadyStart, steadyEnd);
                }
                System.out.println("load average at end: " + BenchSupport.loadAverage());
            }
        }
    }

    /** A read_committed consumer of one stage's topics, timing each record against its change's commit. */
    static final class Timing implements AutoCloseable {
        private final Stage stage;
        private final Map<String, Long> committedAt;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final KafkaAvroDeserializer values = new KafkaAvroDeserializer();
        private final Map<String, Long> arrivedAt = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Timing(Stage stage, String bootstrapServers, String registryUrl, Map<String, Long> committedAt) {
            this.stage = stage;
            this.committedAt = committedAt;
            values.configure(Map.of("schema.registry.url", registryUrl), false);
            consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers,
                    "group.id", "cdc-bench-" + UUID.randomUUID(), "isolation.level", "read_committed",
                    "auto.offset.reset", "earliest", "enable.auto.commit", false,
                    // The consumer must not be what is measured: answer as soon as a record is there.
                    "fetch.max.wait.ms", 10, "metadata.max.age.ms", 1000),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(stage.topics());
            thread = new Thread(this::run, "cdc-bench-" + stage.name());
        }

        void start() {
            thread.start();
        }

        private void run() {
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    // Raw key bytes: cdc.* keys are Avro, canonical keys UTF-8 text, and no stage needs them decoded.
                    Object key = r.key();
                    Object value = r.value() == null ? null : values.deserialize(r.topic(), r.value());
                    stage.change(r.topic(), key, value).ifPresent(change -> arrivedAt.putIfAbsent(change, now));
                }
            }
        }

        /** Forgets what arrived during the warm-up. */
        void reset() {
            arrivedAt.clear();
        }

        /** Changes committed in the window that have not arrived yet. */
        long pending(long from, long to) {
            return committedAt.entrySet().stream().filter(e -> e.getValue() >= from && e.getValue() < to)
                    .filter(e -> !arrivedAt.containsKey(e.getKey())).count();
        }

        void report(long from, long to) {
            long[] latencies = committedAt.entrySet().stream()
                    .filter(e -> e.getValue() >= from && e.getValue() < to && arrivedAt.containsKey(e.getKey()))
                    .mapToLong(e -> arrivedAt.get(e.getKey()) - e.getValue()).sorted().toArray();
            long missing = pending(from, to);
            if (latencies.length == 0) {
                System.out.println(stage.name() + ": no change of the window arrived (" + missing + " missing)");
                return;
            }
            System.out.printf(Locale.ROOT, "%s: p50 %d ms, p99 %d ms, max %d ms over %,d changes (%d not arrived "
                    + "within 30 s)%n", stage.name(), percentile(latencies, 50), percentile(latencies, 99),
                    latencies[latencies.length - 1], latencies.length, missing);
        }

        static long percentile(long[] sorted, double p) {
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5_000);
            consumer.close(Duration.ofSeconds(5));
            values.close();
        }
    }
}
