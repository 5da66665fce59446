package io.syncline.registry.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.syncline.registry.server.StoreRecords.Key;

/**
 * The registry's storage: a single-partition compacted Kafka topic that every instance follows and that only one
 * instance at a time may append to.
 *
 * <h2>Why a fenced writer, and not "first record in log order wins"</h2>
 * Two instances must never issue one id for two schemas, nor one version number twice. A log-order rule ("apply the
 * first record for a key, ignore later ones") breaks under compaction: the cleaner keeps the <em>last</em> record of a
 * key, so the loser of a race would be what survives, and a replay after compaction would disagree with every
 * instance that saw the race. Confluent's keys ({@code subject, version}) make such races inevitable for a log-order
 * scheme. So this class makes races impossible instead:
 * <ol>
 *   <li>Every instance writes through a transactional producer with the same {@code transactional.id}
 *       ({@code syncline-registry-<topic>}). {@code initTransactions()} bumps the producer epoch at the transaction
 *       coordinator, which fences every other producer with that id: its open transaction is aborted and any later
 *       send or commit fails. At most one instance can commit at any time: the last one to initialise.</li>
 *   <li>After initialising (and before each decision) the writer waits until its state has applied the topic up to
 *       the last stable offset read with {@code read_committed}. The coordinator finishes the fenced producer's
 *       transaction before {@code initTransactions()} returns, so that state is complete.</li>
 *   <li>It decides (the next id, the next version, compatibility) on that state, sends the records and commits. If
 *       another instance fenced it in between, the commit fails, the records stay aborted (invisible to
 *       {@code read_committed} readers and removed by the cleaner), and the write is retried from step 1.</li>
 * </ol>
 * Every committed record was therefore decided on the complete log before it, and replay simply applies the records
 * in order (see {@link RegistryState}). Instances that only read never initialise a producer, so they never fence
 * anyone. Ownership moves only when another instance writes.
 *
 * <p>Reads after writes: a write returns only once this instance's follower has applied the committed records.
 */
final class SchemaLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchemaLog.class);

    /** Records to append atomically, and the answer to give once they are applied. */
    static final class Mutation<T> {
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        private final String topic;
        private final RegistryState state;
        T result;

        private Mutation(String topic, RegistryState state) {
            this.topic = topic;
            this.state = state;
        }

        Mutation<T> put(Key key, byte[] value) {
            records.add(new ProducerRecord<>(topic, 0, StoreRecords.keyBytes(key), value));
            return this;
        }

        /** Tombstones a key in every byte form it was written in, so compaction really removes it. */
        Mutation<T> tombstone(Key key) {
            byte[] canonical = StoreRecords.keyBytes(key);
            records.add(new ProducerRecord<>(topic, 0, canonical, null));
            for (byte[] raw : state.rawKeys(key)) {
                if (!java.util.Arrays.equals(raw, canonical)) {
                    records.add(new ProducerRecord<>(topic, 0, raw, null));
                }
            }
            return this;
        }

        Mutation<T> result(T value) {
            this.result = value;
            return this;
        }
    }

    private final String topic;
    private final TopicPartition partition;
    private final Map<String, Object> kafkaSettings;
    private final RegistryState state;
    private final Duration operationTimeout;
    private final ReentrantLock writeLock = new ReentrantLock(true);

    private Admin admin;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread follower;
    private volatile boolean running;
    private volatile Throwable followerFailure;
    private KafkaProducer<byte[], byte[]> producer;

    SchemaLog(String bootstrapServers, String topic, Map<String, Object> kafkaSettings, RegistryState state,
            Duration operationTimeout) {
        this.topic = topic;
        this.partition = new TopicPartition(topic, 0);
        Map<String, Object> settings = new HashMap<>(kafkaSettings);
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.kafkaSettings = Map.copyOf(settings);
        this.state = state;
        this.operationTimeout = operationTimeout;
    }

    String topic() {
        return topic;
    }

    /** Creates the topic if missing, starts following it and returns once the state has caught up with it. */
    void start(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> adminSettings = new HashMap<>(kafkaSettings);
        adminSettings.put(AdminClientConfig.CLIENT_ID_CONFIG, "syncline-registry-admin");
        admin = Admin.create(adminSettings);
        ensureTopic(deadline);

        Map<String, Object> consumerSettings = new HashMap<>(kafkaSettings);
        consumerSettings.put(ConsumerConfig.CLIENT_ID_CONFIG, "syncline-registry-follower");
        consumerSettings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerSettings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(consumerSettings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        running = true;
        follower = new Thread(this::follow, "syncline-registry-follower-" + topic);
        follower.setDaemon(true);
        follower.start();

        catchUp(deadline, "catching up with " + topic + " at start");
    }

    /** True while the follower thread applies the topic without a persistent error. */
    boolean healthy() {
        return running && followerFailure == null && follower != null && follower.isAlive();
    }

    /** The follower's last error, if it is currently failing. */
    Throwable followerFailure() {
        return followerFailure;
    }

    /**
     * Runs {@code decide} as the only writer of the log, on a state that includes every committed record, appends
     * the records it returns in one transaction and returns its result once they are applied locally.
     */
    <T> T write(Function<Mutation<T>, Mutation<T>> decide) {
        long deadline = System.nanoTime() + operationTimeout.toNanos();
        boolean locked;
        try {
            locked = writeLock.tryLock(operationTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryException.operationTimeout("interrupted while waiting to write to " + topic, e);
        }
        if (!locked) {
            throw RegistryException.operationTimeout("timed out after " + operationTimeout
                    + " waiting for other writes of this instance to " + topic, null);
        }
        try {
            int attempt = 0;
            while (true) {
                attempt++;
                try {
                    KafkaProducer<byte[], byte[]> p = ownProducer();
                    catchUp(deadline, "catching up with " + topic + " before writing");
                    // Errors of the decision itself (a 409, a 404, a bug) are answers, never retried.
                    Mutation<T> mutation = decide.apply(new Mutation<>(topic, state));
                    if (mutation.records.isEmpty()) {
                        return mutation.result;
                    }
                    try {
                        p.beginTransaction();
                        List<Future<RecordMetadata>> sent = new ArrayList<>();
                        for (ProducerRecord<byte[], byte[]> record : mutation.records) {
                            sent.add(p.send(record));
                        }
                        p.commitTransaction();
                        long last = -1;
                        for (Future<RecordMetadata> f : sent) {
                            last = Math.max(last, f.get().offset());
                        }
                        awaitApplied(last + 1, deadline, "applying the write at offset " + last + " of " + topic);
                        return mutation.result;
                    } catch (RegistryException e) {
                        throw e;
                    } catch (ExecutionException | RuntimeException e) {
                        throw new WriteFailed(e instanceof ExecutionException ? e.getCause() : e);
                    }
                } catch (RegistryException e) {
                    throw e;
                } catch (AuthenticationException | AuthorizationException | UnsupportedVersionException e) {
                    discardProducer();
                    throw fatal(e);
                } catch (KafkaException | WriteFailed e) {
                    Throwable cause = e instanceof WriteFailed ? e.getCause() : e;
                    if (cause instanceof AuthenticationException || cause instanceof AuthorizationException
                            || cause instanceof UnsupportedVersionException) {
                        discardProducer();
                        throw fatal(cause);
                    }
                    // Fenced by another instance, a coordinator move, a timeout: start over with a fresh producer,
                    // whose initialisation also settles whatever this attempt left open.
                    discardProducer();
                    if (System.nanoTime() >= deadline) {
                        throw RegistryException.operationTimeout("writing to " + topic + " did not succeed within "
                                + operationTimeout + " (" + attempt + " attempts); last error: " + cause, cause);
                    }
                    log.debug("write attempt {} to {} failed, retrying: {}", attempt, topic, cause.toString());
                    backOff(attempt, deadline);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    discardProducer();
                    throw RegistryException.operationTimeout("interrupted while writing to " + topic, e);
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    private RegistryException fatal(Throwable cause) {
        return RegistryException.storeError("writing to " + topic + " failed and will not succeed on retry: "
                + cause.getMessage(), cause);
    }

    /** A failure while appending a decided mutation; the write is retried from the start. */
    private static final class WriteFailed extends Exception {
        WriteFailed(Throwable cause) {
            super(cause);
        }
    }

    @Override
    public void close() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (follower != null) {
            try {
                follower.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            follower = null;
        }
        writeLock.lock();
        try {
            discardProducer();
        } finally {
            writeLock.unlock();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }

    // ---------------------------------------------------------------- following

    private void follow() {
        try {
            long backoffMs = 100;
            while (running) {
                try {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                    state.apply(records, consumer.position(partition));
                    if (followerFailure != null) {
                        log.info("following {} again after: {}", topic, followerFailure.toString());
                        followerFailure = null;
                        backoffMs = 100;
                    }
                } catch (WakeupException e) {
                    if (running) {
                        continue;
                    }
                    break;
                } catch (KafkaException e) {
                    if (followerFailure == null) {
                        log.error("following {} failed; retrying: {}", topic, e.toString());
                    }
                    followerFailure = e;
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMs));
                    backoffMs = Math.min(backoffMs * 2, 5_000);
                }
            }
        } catch (RuntimeException | Error e) {
            followerFailure = e;
            log.error("the follower of {} stopped: the registry no longer sees new records", topic, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    // ---------------------------------------------------------------- writing

    private KafkaProducer<byte[], byte[]> ownProducer() {
        if (producer != null) {
            return producer;
        }
        Map<String, Object> settings = new HashMap<>(kafkaSettings);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "syncline-registry-writer");
        // The same id on every instance: initialising fences whichever instance wrote last (see class Javadoc).
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "syncline-registry-" + topic);
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE,
                operationTimeout.toMillis()));
        // A crashed writer's open transaction blocks read_committed readers until it times out or is fenced.
        settings.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
        KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(settings, new ByteArraySerializer(),
                new ByteArraySerializer());
        try {
            p.initTransactions();
        } catch (RuntimeException e) {
            p.close(Duration.ZERO);
            throw e;
        }
        producer = p;
        return p;
    }

    private void discardProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                log.debug("closing the registry producer: {}", e.toString());
            }
            producer = null;
        }
    }

    private static void backOff(int attempt, long deadline) {
        long maxMs = Math.min(500, 20L * attempt);
        long nanos = TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(maxMs / 2, maxMs + 1));
        LockSupport.parkNanos(Math.max(0, Math.min(nanos, deadline - System.nanoTime())));
    }

    // ---------------------------------------------------------------- catching up

    /** Waits until the state has applied every record committed to the topic when this method was called. */
    private void catchUp(long deadline, String what) {
        long end;
        try {
            end = admin.listOffsets(Map.of(partition, OffsetSpec.latest()),
                            new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .partitionResult(partition).get(remaining(deadline), TimeUnit.NANOSECONDS).offset();
        } catch (TimeoutException e) {
            throw RegistryException.operationTimeout("timed out " + what + " (reading its end offset)", e);
        } catch (ExecutionException e) {
            throw new KafkaException("reading the end offset of " + topic + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryException.operationTimeout("interrupted " + what, e);
        }
        awaitApplied(end, deadline, what + " (up to offset " + end + ")");
    }

    private void awaitApplied(long offset, long deadline, String what) {
        try {
            if (!state.awaitOffset(offset, remaining(deadline))) {
                Throwable failure = followerFailure;
                throw RegistryException.operationTimeout("timed out " + what + "; applied up to "
                        + state.nextOffset() + (failure == null ? "" : "; follower failing: " + failure), failure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryException.operationTimeout("interrupted " + what, e);
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    // ---------------------------------------------------------------- topic

    private void ensureTopic(long deadline) {
        try {
            TopicDescription description = describe(deadline);
            if (description == null) {
                int brokers = admin.describeCluster().nodes().get(remaining(deadline), TimeUnit.NANOSECONDS).size();
                short replication = (short) Math.max(1, Math.min(3, brokers));
                NewTopic newTopic = new NewTopic(topic, 1, replication)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                try {
                    admin.createTopics(List.of(newTopic)).all().get(remaining(deadline), TimeUnit.NANOSECONDS);
                    log.info("created the schema topic {} (1 partition, replication factor {}, compacted)", topic,
                            replication);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    // Another instance created it at the same moment: fine, validate what is there.
                }
                // A created topic reaches the broker's metadata a moment later; describing it at once can miss it
                // (TwoInstancesIT saw that once), so look again until the start deadline.
                description = describe(deadline);
                long backoffMs = 10;
                while (description == null && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMs));
                    backoffMs = Math.min(backoffMs * 2, 500);
                    description = describe(deadline);
                }
                if (description == null) {
                    throw new IllegalStateException("the schema topic " + topic + " was created but is not visible");
                }
            }
            if (description.partitions().size() != 1) {
                throw new IllegalStateException("the schema topic " + topic + " has " + description.partitions().size()
                        + " partitions; the registry needs exactly 1, because its records form one ordered log");
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(Set.of(resource)).all()
                    .get(remaining(deadline), TimeUnit.NANOSECONDS).get(resource);
            String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG) == null ? ""
                    : config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT) || policy.contains("delete")) {
                throw new IllegalStateException("the schema topic " + topic + " has cleanup.policy=" + policy
                        + "; it must be 'compact', or retention would delete registered schemas");
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("preparing the schema topic " + topic + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("preparing the schema topic " + topic + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the schema topic " + topic, e);
        }
    }

    private TopicDescription describe(long deadline) throws ExecutionException, TimeoutException,
            InterruptedException {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(remaining(deadline), TimeUnit.NANOSECONDS).get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw e;
        }
    }
}
