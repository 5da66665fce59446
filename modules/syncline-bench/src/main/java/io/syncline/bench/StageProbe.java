package io.syncline.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where the end-to-end time goes, per event, measured from outside the stack on one clock (everything runs on one
 * machine): read_committed consumers note when each event's canonical payment and its customer-activity record
 * become visible (matched by the {@code syncline.event-id} header the gateway sets and every stage carries along), and
 * at the end the CRM sandbox's write log says when each payment reached the contact and its request log how long the
 * CRM took per request.
 *
 * <p>Stages, per event: <b>normalizer commit</b> = gateway receive ({@code syncline.received-at}) → canonical payment
 * visible; <b>join</b> → activity record visible; <b>sink</b> (fetch, batching, rate-limit permit, request) → the CRM
 * applied the write (from the canonical payment instead, for a sink that reads payments); <b>target</b> = the CRM's own time per batch request (server side, all requests of the window);
 * <b>end to end</b> = received → applied. The probe's consumers wait at most 10 ms per fetch, which bounds their own
 * share of the visible times.
 */
final class StageProbe implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENT_ID = "syncline.event-id";
    private static final String RECEIVED_AT = "syncline.received-at";

    private final Map<String, Long> receivedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> canonicalVisible = new ConcurrentHashMap<>();
    private final Map<String, Long> activityVisible = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    StageProbe(String bootstrap, String paymentTopic, String activityTopic) {
        threads.add(watch(bootstrap, paymentTopic, canonicalVisible));
        threads.add(watch(bootstrap, activityTopic, activityVisible));
    }

    private Thread watch(String bootstrap, String topic, Map<String, Long> visible) {
        Thread t = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                    "isolation.level", "read_committed", "enable.auto.commit", false, "fetch.max.wait.ms", 10),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(parts);
                consumer.seekToEnd(parts);
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.currentTimeMillis();
                        String event = header(r, EVENT_ID);
                        if (event != null) {
                            visible.putIfAbsent(event, now);
                            String at = header(r, RECEIVED_AT);
                            if (at != null) {
                                receivedAt.putIfAbsent(event, Long.parseLong(at));
                            }
                        }
                    }
                }
            }
        }, "stage-probe-" + topic);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * Waits until {@code expected} of the events {@code counted} selects have an activity record (or the time runs
     * out): a sink that reads canonical payments may finish before the join does.
     */
    void awaitActivity(java.util.function.Predicate<String> counted, long expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (activityVisible.keySet().stream().filter(counted).count() < expected && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
    }

    /** One stage's percentiles over the events that went through it. */
    record Stage(String name, long count, double p50, double p99) {
    }

    /**
     * The stages of the events {@code counted} selects, with the CRM sandbox's write log ({@code crmUrl}) telling
     * when each event's payment was applied; {@code eventOfPaymentId} turns a contact's
     * {@code syncline_last_payment_id} into the event that carried it.
     */
    List<Stage> stages(String crmUrl, java.util.function.Predicate<String> counted,
            Function<String, String> eventOfPaymentId)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        JsonNode writes = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(crmUrl + "/_sandbox/writes"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
        Map<String, Long> applied = new ConcurrentHashMap<>();
        for (JsonNode w : writes.path("writes")) {
            String paymentId = w.path("properties").path("syncline_last_payment_id").asText(null);
            if (paymentId != null) {
                String event = eventOfPaymentId.apply(paymentId);
                applied.putIfAbsent(event, Instant.parse(w.path("at").asText()).toEpochMilli());
            }
        }
        JsonNode requests = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(crmUrl
                + "/_sandbox/requests?limit=100000")).build(), HttpResponse.BodyHandlers.ofString()).body());
        List<Long> target = new ArrayList<>();
        for (JsonNode r : requests.path("requests")) {
            if (r.path("path").asText().endsWith("/batch/upsert")) {
                target.add(r.path("durationMillis").asLong());
            }
        }
        List<Long> normalizer = new ArrayList<>();
        List<Long> join = new ArrayList<>();
        List<Long> sink = new ArrayList<>();
        List<Long> total = new ArrayList<>();
        for (Map.Entry<String, Long> e : receivedAt.entrySet()) {
            String event = e.getKey();
            if (!counted.test(event)) {
                continue;
            }
            Long canonical = canonicalVisible.get(event);
            Long activity = activityVisible.get(event);
            Long done = applied.get(event);
            add(normalizer, e.getValue(), canonical);
            add(join, canonical, activity);
            add(sink, activity, done); // the sink reads the activity record, nothing before it
            add(total, e.getValue(), done);
        }
        return List.of(stage("normalizer commit (received → canonical visible)", normalizer),
                stage("join (canonical → activity visible)", join),
                stage("sink: fetch, batch, permit, request (→ CRM applied)", sink),
                stage("target: CRM time per batch request", target),
                stage("end to end (received → CRM applied)", total));
    }

    private static void add(List<Long> to, Long from, Long until) {
        if (from != null && until != null) {
            to.add(until - from);
        }
    }

    private static Stage stage(String name, List<Long> values) {
        long[] v = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Stage(name, v.length, percentile(v, 0.5), percentile(v, 0.99));
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, i)];
    }

    /** The stages as a markdown table. */
    static String table(List<Stage> stages) {
        StringBuilder b = new StringBuilder("| stage | events | p50 | p99 |\n|---|---|---|---|\n");
        for (Stage s : stages) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %.0f ms | %.0f ms |%n", s.name(), s.count(), s.p50(),
                    s.p99()));
        }
        return b.toString();
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
