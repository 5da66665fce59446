package io.syncline.registry.server;

import static io.syncline.registry.server.RegistryClient.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.syncline.kafka.EmbeddedKafkaBroker;

/**
 * Two registries on one topic, written to concurrently: no id is handed out for two schemas, no version twice, and
 * both instances (and a third one started afterwards) agree on every id and every subject version.
 */
class TwoInstancesIT {

    private static final int SHARED_SUBJECTS = 4;
    private static final int SCHEMAS_IN_SHARED_SUBJECTS = 48;
    private static final int SCHEMAS_UNDER_TWO_SUBJECTS = 16;

    @TempDir
    static Path dataDir;

    static EmbeddedKafkaBroker broker;
    static SchemaRegistryServer first;
    static SchemaRegistryServer second;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.builder(dataDir).build().start();
        first = server();
        second = server();
    }

    @AfterAll
    static void stop() {
        try {
            if (first != null) {
                first.close();
            }
            if (second != null) {
                second.close();
            }
        } finally {
            broker.close();
        }
    }

    /** The shared machine can be slow: give each write time rather than fail on a busy moment. */
    private static SchemaRegistryServer server() {
        return SchemaRegistryServer.builder(broker.bootstrapServers()).port(0)
                .operationTimeout(Duration.ofSeconds(120)).build().start();
    }

    /** One registration: which subject, which schema, through which instance. */
    private record Registration(String subject, String schema, RegistryClient via) {
    }

    @Test
    void concurrentRegistrationsThroughBothInstancesNeverShareAnIdOrAVersion() throws Exception {
        RegistryClient a = new RegistryClient(first.url());
        RegistryClient b = new RegistryClient(second.url());

        List<Registration> work = new ArrayList<>();
        for (int i = 0; i < SCHEMAS_IN_SHARED_SUBJECTS; i++) {
            // Each schema adds one field with a default: BACKWARD-compatible with every other, in any order.
            work.add(new Registration("shared-" + (i % SHARED_SUBJECTS),
                    record("Event", "f" + i + ":string=\"x\""), i % 2 == 0 ? a : b));
        }
        for (int i = 0; i < SCHEMAS_UNDER_TWO_SUBJECTS; i++) {
            String schema = record("Twin" + i, "g:string");
            work.add(new Registration("twin-left-" + i, schema, a));
            work.add(new Registration("twin-right-" + i, schema, b));
        }
        Collections.shuffle(work, new Random(42));

        Map<Registration, Integer> ids = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Registration r : work) {
                futures.add(pool.submit(() -> ids.put(r, r.via().register(r.subject(), r.schema()))));
            }
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        // One id per schema, and different schemas never share one.
        Map<String, Integer> idBySchema = new HashMap<>();
        for (Map.Entry<Registration, Integer> e : ids.entrySet()) {
            Integer known = idBySchema.putIfAbsent(e.getKey().schema(), e.getValue());
            assertThat(known == null || known.equals(e.getValue()))
                    .as("the same schema got ids %s and %s", known, e.getValue()).isTrue();
        }
        assertThat(new HashSet<>(idBySchema.values())).hasSize(idBySchema.size());
        assertThat(idBySchema).hasSize(SCHEMAS_IN_SHARED_SUBJECTS + SCHEMAS_UNDER_TWO_SUBJECTS);

        // Both instances converge on the same subjects, versions and ids.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(view(b)).isEqualTo(view(a)));
        Map<String, JsonNode> seen = view(a);

        for (int s = 0; s < SHARED_SUBJECTS; s++) {
            String subject = "shared-" + s;
            JsonNode versions = seen.get(subject + " versions");
            int expected = SCHEMAS_IN_SHARED_SUBJECTS / SHARED_SUBJECTS;
            List<Integer> numbers = new ArrayList<>();
            versions.forEach(v -> numbers.add(v.asInt()));
            assertThat(numbers).as(subject).isEqualTo(java.util.stream.IntStream.rangeClosed(1, expected)
                    .boxed().toList());
        }
        for (Map.Entry<Registration, Integer> e : ids.entrySet()) {
            Registration r = e.getKey();
            assertThat(seen.get("id " + e.getValue()).get("schema").asText()).isEqualTo(r.schema());
            List<Integer> holding = new ArrayList<>();
            seen.get(r.subject() + " versions").forEach(v -> {
                JsonNode version = seen.get(r.subject() + " v" + v.asInt());
                if (version.get("id").asInt() == e.getValue()) {
                    holding.add(v.asInt());
                    assertThat(version.get("schema").asText()).isEqualTo(r.schema());
                }
            });
            assertThat(holding).as("versions of %s holding id %s", r.subject(), e.getValue()).hasSize(1);
        }

        // A third instance replaying the topic from scratch reaches the same state.
        try (SchemaRegistryServer third = server()) {
            assertThat(view(new RegistryClient(third.url()))).isEqualTo(seen);
        }
    }

    /** Every subject, version and id as one instance answers them. */
    private static Map<String, JsonNode> view(RegistryClient client) {
        Map<String, JsonNode> seen = new java.util.TreeMap<>();
        Set<Integer> ids = new java.util.TreeSet<>();
        JsonNode subjects = client.get("/subjects").json();
        seen.put("subjects", subjects);
        subjects.forEach(s -> {
            String subject = s.asText();
            JsonNode versions = client.get("/subjects/" + subject + "/versions").json();
            seen.put(subject + " versions", versions);
            versions.forEach(v -> {
                JsonNode version = client.get("/subjects/" + subject + "/versions/" + v.asInt()).json();
                seen.put(subject + " v" + v.asInt(), version);
                ids.add(version.get("id").asInt());
            });
        });
        for (int id : ids) {
            seen.put("id " + id, client.get("/schemas/ids/" + id).json());
            seen.put("id " + id + " versions", client.get("/schemas/ids/" + id + "/versions").json());
        }
        return seen;
    }
}
