package io.syncline.normalizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.syncline.metrics.Registries;
import io.syncline.metrics.kafka.ConnectWorkerMetrics;
import io.syncline.metrics.kafka.KafkaMetricsCollector;
import io.syncline.normalizer.mapping.CompiledMapping;
import io.syncline.normalizer.mapping.MappingSet;
import io.syncline.normalizer.mapping.TargetCatalog;
import io.syncline.normalizer.stream.CustomerActivityTopology;
import io.syncline.normalizer.stream.IdentityTopology;
import io.syncline.schemas.CanonicalSchemas;
import io.syncline.schemas.identity.Person;
import io.syncline.schemas.identity.PersonLink;
import io.syncline.normalizer.stream.NormalizerMetrics;
import io.syncline.normalizer.stream.NormalizerTopology;
import io.syncline.registry.client.SchemaRegistryClient;
import io.syncline.registry.client.SchemaRegistryClientConfig;
import io.syncline.schemas.finance.CustomerActivity;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The normalizer as a component: what {@code syncline normalizer} runs alone and {@code syncline up} runs inside its
 * JVM. {@link #create} compiles the mappings (refusing bad ones with file and line), {@link #start} creates missing
 * topics, registers the canonical schemas and starts Kafka Streams with {@code exactly_once_v2}; more instances with
 * the same application id share the work.
 */
public final class Normalizer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Normalizer.class);

    /** Kafka Streams' commit interval unless {@code normalizer.streams} sets {@code commit.interval.ms}. */
    public static final long DEFAULT_COMMIT_INTERVAL_MS = 50;

    private final NormalizerSettings settings;
    private final MappingSet mappings;
    private final PrometheusMeterRegistry registry = Registries.prometheus();
    private final NormalizerMetrics metrics = new NormalizerMetrics(registry);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;
    private KafkaMetricsCollector lagCollector;
    private HealthEndpoint http;
    private volatile Throwable failure;

    private Normalizer(NormalizerSettings settings, MappingSet mappings) {
        this.settings = settings;
        this.mappings = mappings;
    }

    /**
     * Compiles the mappings under {@code settings.mappingsDir()} against the canonical schemas.
     *
     * @throws io.syncline.config.ConfigException listing every problem at its file and line
     */
    public static Normalizer create(NormalizerSettings settings) {
        return new Normalizer(settings, MappingSet.load(settings.mappingsDir(), TargetCatalog.canonical()));
    }

    /** A normalizer for already compiled mappings (tests, custom catalogs). */
    public static Normalizer create(NormalizerSettings settings, MappingSet mappings) {
        return new Normalizer(settings, mappings);
    }

    /** Kafka Streams settings: ours, then the pass-through ones (which cannot change the guarantee or the id). */
    Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toAbsolutePath().toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.threads());
        if (settings.replicationFactor() != null) {
            p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) settings.replicationFactor());
        }
        // The raw topics are independent inputs that are never joined, so a task need not wait until every one of its
        // input partitions has data to order records across them by timestamp (Kafka Streams' default, which with
        // five raw topics per task and most of them quiet also costs a formatted log line per record).
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        // A canonical record reaches read_committed consumers (every sink) only when its transaction commits, so the
        // commit interval is a floor under end-to-end latency: 50 ms instead of exactly-once's 100 ms halves it, at
        // the price of twice the (small) transaction overhead (docs/benchmarks.md, end to end).
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, DEFAULT_COMMIT_INTERVAL_MS);
        p.putAll(settings.streams());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        return p;
    }

    /** Creates missing topics, registers the canonical schemas and starts the stream threads. */
    public synchronized Normalizer start() {
        if (streams != null) {
            return this;
        }
        Map<String, Object> adminProps = new LinkedHashMap<>();
        settings.streams().forEach(adminProps::put);
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        adminProps.keySet().retainAll(AdminClientConfig.configNames());
        CustomerActivityTopology.Settings activity = null;
        try (Admin admin = Admin.create(adminProps)) {
            Set<String> canonical = new LinkedHashSet<>(NormalizerTopology.canonicalTopics(mappings));
            if (customerActivityRuns()) {
                canonical.add(CustomerActivityTopology.TOPIC);
            }
            if (identityRuns()) {
                // Identity reads all three entities' topics, also those no mapping writes yet (a missing source
                // topic stops Kafka Streams), and writes its own two.
                canonical.addAll(identityTopics());
            }
            Pattern inputs = NormalizerTopology.sourcePattern(mappings);
            TopicSetup.ensure(admin, mappings.topics(), canonical, settings.dlqTopic(), settings.partitions(),
                    InputPartitions.forNewTopic(InputPartitions.counts(admin, inputs), settings.partitions()),
                    settings.replicationFactor());
            // Refuse to start rather than join the group and fail its assignment: a raw topic with more partitions
            // than the changelogs stops every instance at the next rebalance (InputPartitions, docs/normalizer.md).
            InputPartitions.check(admin, inputs, settings.applicationId()).filter(c -> !c.ok()).ifPresent(c -> {
                throw new IllegalStateException("the normalizer refuses to start: " + c.problem());
            });
            if (customerActivityRuns()) {
                CustomerActivityTopology.Settings names = CustomerActivityTopology.Settings.canonical(null,
                        settings.serdeConfig(), settings.dlqTopic(), metrics);
                // The repartition topic gets the customer topic's partition count, whatever the payment topic has,
                // so that a payer's payments reach the task that reads its customer.
                activity = CustomerActivityTopology.Settings.canonical(
                        TopicSetup.partitions(admin, names.customerTopic()), settings.serdeConfig(),
                        settings.dlqTopic(), metrics);
            }
        }
        registerSchemas();
        for (CompiledMapping m : mappings.all()) {
            metrics.declare(m.name(), m.topic());
        }
        IdentityTopology.Settings identity = identityRuns() ? IdentityTopology.Settings.canonical(settings.identity(),
                settings.serdeConfig(), settings.dlqTopic(), metrics) : null;
        NormalizerTopology.Settings topologySettings = new NormalizerTopology.Settings(mappings,
                settings.serdeConfig(), settings.dlqTopic(), metrics, activity, identity);
        KafkaStreams ks = new KafkaStreams(NormalizerTopology.build(topologySettings), streamsProperties());
        ks.setUncaughtExceptionHandler(e -> {
            // The commonest fleet-wide failure is a raw topic with too many partitions, which Streams reports only as
            // an internal topic of ours having "invalid partitions" (or, on the other members, as a failed task
            // assignment): name the raw topic, the counts and the fix instead, in the log and in /health.
            Optional<InputPartitions.Check> mismatch = partitionMismatch(adminProps);
            if (mismatch.isPresent()) {
                failure = new IllegalStateException(mismatch.get().problem(), e);
                log.error("normalizer stopped: {}", mismatch.get().problem(), e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            failure = e;
            log.error("normalizer stream thread failed; shutting the normalizer down", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        ks.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        streamsMetrics = new KafkaStreamsMetrics(ks);
        streamsMetrics.bindTo(registry);
        // Lag under Syncline's name, read from the stream threads' consumers at scrape time, so partitions moving
        // between instances need no meter bookkeeping.
        lagCollector = new KafkaMetricsCollector(() -> ks.metrics().values(),
                List.of(ConnectWorkerMetrics.normalizerLag()), List.of());
        registry.getPrometheusRegistry().register(lagCollector);
        streams = ks;
        ks.start();
        if (settings.metricsPort() != null) {
            try {
                http = HealthEndpoint.start(settings.metricsPort(), this);
            } catch (IOException e) {
                close();
                throw new UncheckedIOException("starting /health and /metrics on port " + settings.metricsPort(), e);
            }
        }
        return this;
    }

    /** The input topics with more partitions than the changelogs, if any; empty also when that cannot be asked. */
    private Optional<InputPartitions.Check> partitionMismatch(Map<String, Object> adminProps) {
        try (Admin admin = Admin.create(adminProps)) {
            return InputPartitions.check(admin, NormalizerTopology.sourcePattern(mappings), settings.applicationId())
                    .filter(c -> !c.ok());
        } catch (RuntimeException e) {
            log.warn("could not compare the input topics' partitions with the changelogs: {}", e.toString());
            return Optional.empty();
        }
    }

    /**
     * The topics {@link #start} creates when they are missing (raw topics the mappings read, canonical topics they
     * write, the dead-letter topic), each with its partitions, replication and settings: what {@code syncline plan}
     * plans for the normalizer, so that both agree.
     */
    public static List<NewTopic> plannedTopics(NormalizerSettings settings, MappingSet mappings) {
        return TopicSetup.wanted(mappings.topics(), NormalizerTopology.canonicalTopics(mappings), settings.dlqTopic(),
                settings.partitions(), settings.partitions(), settings.replicationFactor());
    }

    /** Registers every target schema once, so that records never wait on the registry (and a bad URL fails here). */
    private void registerSchemas() {
        Map<String, Object> config = new LinkedHashMap<>(settings.serdeConfig());
        try (SchemaRegistryClient client = SchemaRegistryClient.create(new SchemaRegistryClientConfig(config))) {
            for (CompiledMapping m : mappings.all()) {
                client.register(m.target().topic() + "-value", m.target().schema());
            }
            if (customerActivityRuns()) {
                client.register(CustomerActivityTopology.TOPIC + "-value", CustomerActivity.getClassSchema());
            }
            if (identityRuns()) {
                client.register(IdentityTopology.PERSON_TOPIC + "-value", Person.getClassSchema());
                client.register(IdentityTopology.LINK_TOPIC + "-value", PersonLink.getClassSchema());
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("registering the canonical schemas at " + settings.registryUrl() + ": "
                    + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("closing the registry client: " + e, e);
        }
    }

    /**
     * Whether the customer-activity join runs: on in the settings (the default) and the mappings write both
     * customers and payments.
     */
    public boolean customerActivityRuns() {
        return settings.customerActivity() && NormalizerTopology.feedsCustomerActivity(mappings);
    }

    /**
     * Whether identity resolution runs: on in the settings (the default) and the mappings write a customer, contact
     * or support user.
     */
    public boolean identityRuns() {
        return settings.identity().enabled() && NormalizerTopology.feedsIdentity(mappings);
    }

    /** The canonical topics identity resolution reads and writes. */
    static List<String> identityTopics() {
        List<String> topics = new ArrayList<>();
        IdentityTopology.ENTITIES.forEach(e -> topics.add(CanonicalSchemas.topic(e)));
        topics.add(IdentityTopology.PERSON_TOPIC);
        topics.add(IdentityTopology.LINK_TOPIC);
        return topics;
    }

    public NormalizerSettings settings() {
        return settings;
    }

    public MappingSet mappings() {
        return mappings;
    }

    /** The normalizer's counters (records in/out, duplicates, stale, dead letters, latency). */
    public NormalizerMetrics metrics() {
        return metrics;
    }

    /** All metrics, Kafka Streams' own included, in Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    /** The Kafka Streams state, or {@code CREATED} before {@link #start}. */
    public synchronized KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.CREATED : streams.state();
    }

    /** Healthy while running or rebalancing. */
    public boolean healthy() {
        KafkaStreams.State s = state();
        return s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING;
    }

    /** A summary for {@code /health} and {@code syncline status}. */
    public Map<String, Object> health() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("status", healthy() ? "UP" : "DOWN");
        h.put("state", state().name());
        h.put("applicationId", settings.applicationId());
        h.put("mappings", mappings.all().size());
        h.put("recordsIn", metrics.total("syncline.normalizer.records.in"));
        h.put("recordsOut", metrics.total("syncline.normalizer.records.out"));
        h.put("deadLettered", metrics.total("syncline.normalizer.dead.lettered"));
        if (customerActivityRuns()) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("topic", CustomerActivityTopology.TOPIC);
            a.put("written", metrics.total("syncline.normalizer.activity.written"));
            a.put("waitingNow", metrics.activityWaitingNow());
            a.put("released", metrics.total("syncline.normalizer.activity.released"));
            a.put("skipped", metrics.total("syncline.normalizer.activity.skipped"));
            h.put("customerActivity", a);
        }
        if (identityRuns()) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("topics", List.of(IdentityTopology.PERSON_TOPIC, IdentityTopology.LINK_TOPIC));
            i.put("persons", metrics.total("syncline.normalizer.identity.persons"));
            i.put("links", metrics.total("syncline.normalizer.identity.links"));
            i.put("merged", metrics.total("syncline.normalizer.identity.merged"));
            i.put("skipped", metrics.total("syncline.normalizer.identity.skipped"));
            h.put("identity", i);
        }
        if (failure != null) {
            h.put("error", failure.toString());
        }
        return h;
    }

    /** The port {@code /health} and {@code /metrics} listen on, or -1. */
    public int metricsPort() {
        return http == null ? -1 : http.port();
    }

    /** Waits until the stream threads run (or the timeout passes); false when they did not. */
    public boolean awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (state() == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (state() == KafkaStreams.State.ERROR || state() == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
            try {
                if (stopped.await(50, TimeUnit.MILLISECONDS)) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return state() == KafkaStreams.State.RUNNING;
    }

    /** Blocks until the normalizer stops (closed, or the stream threads died). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** The failure that stopped the stream threads, or null. */
    public Throwable failure() {
        return failure;
    }

    @Override
    public synchronized void close() {
        if (http != null) {
            http.stop();
            http = null;
        }
        if (streams != null) {
            // Leave the group on a clean stop: otherwise the next start (or another instance) waits a whole session
            // timeout (45 s) for this member to expire before it gets the partitions.
            streams.close(org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
                    org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
            if (streamsMetrics != null) {
                streamsMetrics.close();
            }
            if (lagCollector != null) {
                registry.getPrometheusRegistry().unregister(lagCollector);
                lagCollector = null;
            }
        }
        stopped.countDown();
    }
}
