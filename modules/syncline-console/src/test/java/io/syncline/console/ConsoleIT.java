package io.syncline.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import io.syncline.config.SecretRef;
import io.syncline.kafka.ConnectRestClient;
import io.syncline.kafka.EmbeddedConnectWorker;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.normalizer.dlq.DeadLetterQueue;
import io.syncline.normalizer.stream.DeadLetterHeaders;
import io.syncline.ops.PipelineStats;
import io.syncline.registry.client.HttpSchemaRegistryClient;
import io.syncline.registry.client.SchemaRegistryClientConfig;
import io.syncline.registry.serde.KafkaAvroSerializer;
import io.syncline.registry.server.SchemaRegistryServer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every page and action of the console over plain HTTP, against a real broker, the real registry and a real Connect
 * worker (one stack for the class): what each page shows, that POSTs need the session's CSRF token and the console's
 * own origin, that secrets never reach a page, that a token guards a console beyond loopback, and that the live
 * pipeline and the tail stream over SSE.
 */
class ConsoleIT {

    static final String RAW = "raw.stripe.charge";
    static final String CANONICAL = "canonical.finance.payment.v1";
    static final String SUBJECT = CANONICAL + "-value";
    static final String DLQ = "dlq.normalizer";
    static final String SECRET = "sk_live_do_not_show_51Hx";
    static final String SCHEMA_V1 = """
            {"type":"record","name":"Payment","namespace":"io.syncline.test","fields":[
              {"name":"id","type":"string"},{"name":"amount","type":"long"}]}""";
    static final String SCHEMA_V2 = """
            {"type":"record","name":"Payment","namespace":"io.syncline.test","fields":[
              {"name":"id","type":"string"},{"name":"amount","type":"long"},
              {"name":"currency","type":["null","string"],"default":null}]}""";

    @TempDir
    static Path work;
    static EmbeddedKafkaBroker kafka;
    static SchemaRegistryServer registry;
    static EmbeddedConnectWorker connect;
    static ConsoleServer console;
    static ConsoleClient browser;

    @BeforeAll
    static void startStackAndConsole() throws Exception {
        kafka = EmbeddedKafkaBroker.builder(work.resolve("kafka")).build().start();
        registry = SchemaRegistryServer.builder(kafka.bootstrapServers()).port(0).build().start();
        connect = EmbeddedConnectWorker.builder(kafka.bootstrapServers()).port(0).build().start();
        seed();
        Path yaml = work.resolve("syncline.yaml");
        Files.writeString(yaml, """
                cluster:
                  registy-url: http://localhost:8081
                sources:
                  - name: files
                    connector: org.apache.kafka.connect.file.FileStreamSourceConnector
                    config:
                      api.token: %s
                """.formatted(SECRET));
        // The sinks' latency comes from the stats a running up writes to its data dir; here, as up would write them.
        Path dataDir = Files.createDirectories(work.resolve("data"));
        Files.writeString(dataDir.resolve(PipelineStats.FILE), """
                {"sinks":{"broken-sink":{"delivered":30,"deadLettered":0,"p50":120,"p99":480,"latencyCount":30}}}
                """);
        console = ConsoleServer.start(ConsoleSettings.of(kafka.bootstrapServers(), registry.url(), connect.url())
                .withPort(0).withConfigFile(yaml).withDataDir(dataDir).withSampleInterval(Duration.ofMillis(300)));
        browser = new ConsoleClient(console.url());
    }

    private static void seed() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 1; i <= 3; i++) {
                RecordHeaders h = new RecordHeaders();
                h.add("syncline.source", bytes("stripe"));
                producer.send(new ProducerRecord<>(RAW, 0, bytes("ch_" + i), bytes("{\"id\":\"ch_" + i + "\"}"), h))
                        .get();
            }
            producer.send(deadLetter("ch_1", "{\"id\":\"ch_1\"", "parse", "stripe/charge.yaml")).get();
            producer.send(deadLetter("ch_2", "{\"id\":\"ch_2\"}", "mapping", "stripe/charge.yaml")).get();
            producer.send(deadLetter("cus_3", "{\"id\":\"cus_3\"}", "mapping", "stripe/customer.yaml")).get();
        }
        try (HttpSchemaRegistryClient client = HttpSchemaRegistryClient.create(Map.of(
                SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL, registry.url()))) {
            client.register(SUBJECT, new Schema.Parser().parse(SCHEMA_V1));
            KafkaAvroSerializer values = new KafkaAvroSerializer();
            values.configure(Map.of(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL, registry.url()), false);
            try (KafkaProducer<String, Object> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                    kafka.bootstrapServers()), new StringSerializer(), values)) {
                GenericRecord payment = new GenericData.Record(new Schema.Parser().parse(SCHEMA_V1));
                payment.put("id", "stripe:ch_1");
                payment.put("amount", 4200L);
                producer.send(new ProducerRecord<>(CANONICAL, "stripe:ch_1", payment)).get();
            }
            client.register(SUBJECT, new Schema.Parser().parse(SCHEMA_V2));
        }
        Path in = Files.writeString(work.resolve("in.txt"), "hello\n");
        ConnectRestClient rest = new ConnectRestClient(connect.url());
        rest.putConnectorConfig("files", Map.of("connector.class",
                "org.apache.kafka.connect.file.FileStreamSourceConnector", "file", in.toString(), "topic", "files.out",
                "api.token", SECRET, "db.password", "${env:DB_PASSWORD}"));
        // Writes into a directory that does not exist: its task fails, with a trace the page must show.
        rest.putConnectorConfig("broken-sink", Map.of("connector.class",
                "org.apache.kafka.connect.file.FileStreamSinkConnector", "file", work.resolve("no/such/dir/out.txt")
                        .toString(), "topics", RAW));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> rest.status("broken-sink").tasks().stream()
                .anyMatch(t -> t.state().equals("FAILED")) && rest.status("files").state().equals("RUNNING"));
    }

    static ProducerRecord<byte[], byte[]> deadLetter(String key, String value, String reason, String mapping) {
        RecordHeaders h = new RecordHeaders();
        h.add(DeadLetterHeaders.SOURCE_TOPIC, bytes(RAW));
        h.add(DeadLetterHeaders.SOURCE_PARTITION, bytes("0"));
        h.add(DeadLetterHeaders.SOURCE_OFFSET, bytes("7"));
        h.add(DeadLetterHeaders.ERROR_REASON, bytes(reason));
        h.add(DeadLetterHeaders.ERROR_MESSAGE, bytes("cannot map " + key));
        h.add(DeadLetterHeaders.MAPPING_FILE, bytes(mapping));
        h.add(DeadLetterHeaders.FIRST_SEEN, bytes("2025-03-01T12:00:00Z"));
        h.add(DeadLetterHeaders.ATTEMPT, bytes("1"));
        return new ProducerRecord<>(DLQ, 0, bytes(key), bytes(value), h);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {console, connect, registry, kafka}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // Keep closing the rest.
            }
        }
    }

    static Stream<Arguments> pages() {
        return Stream.of(
                Arguments.of("/pipeline", "<h1>Pipeline</h1>", RAW),
                Arguments.of("/connectors", "<h1>Connectors</h1>", "broken-sink"),
                Arguments.of("/dead-letters", "<h1>Dead letters</h1>", DLQ),
                Arguments.of("/dead-letters/" + DLQ, "Dead letters in " + DLQ, "cannot map cus_3"),
                Arguments.of("/dead-letters/" + DLQ + "/0/0", "Dead letter 0:0 in " + DLQ, "syncline.error.reason"),
                Arguments.of("/schemas", "<h1>Schemas</h1>", SUBJECT),
                Arguments.of("/schemas/" + SUBJECT, "<h1>" + SUBJECT + "</h1>", "\"currency\""),
                Arguments.of("/topics", "<h1>Topics</h1>", RAW),
                Arguments.of("/topics/" + RAW, "<h1>" + RAW + "</h1>", "Live tail"),
                Arguments.of("/config", "<h1>Config</h1>", "registy-url"),
                Arguments.of("/login", "<h1>Sign in</h1>", "needs no token"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pages")
    void everyPageAnswersWithItsHeadingItsContentAndNoStackTrace(String path, String heading, String content) {
        HttpResponse<String> page = browser.get(path);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        // A failed task's own trace is the connectors page's content; the console's never is.
        assertThat(page.body()).contains(heading).contains(content).doesNotContain("at io.syncline.console")
                .doesNotContain("at io.javalin");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(page.headers().firstValue("Set-Cookie").orElse(""))
                .satisfiesAnyOf(c -> assertThat(c).isEmpty(),
                        c -> assertThat(c).contains("HttpOnly").containsIgnoringCase("SameSite=Strict"));
    }

    @Test
    void theRootAndTheHealthCheckAnswer() {
        assertThat(browser.get("/").headers().firstValue("Location")).hasValue("/pipeline");
        assertThat(browser.get("/health").body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void theGraphShowsEveryStageWithItsFigures() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String page = browser.get("/pipeline").body();
            assertThat(page).contains("data-node=\"raw:" + RAW + "\"").contains("data-node=\"canonical:" + CANONICAL
                    + "\"").contains("data-node=\"normalizer\"").contains("data-node=\"source:files\"")
                    .contains("data-node=\"sink:broken-sink\"");
            assertThat(page).containsPattern("data-node=\"raw:" + RAW + "\">[\\s\\S]*?data-field=\"records\">[1-9]");
            assertThat(page).containsPattern("data-node=\"normalizer\">[\\s\\S]*?data-field=\"dead-letters\">"
                    + "<a href=\"/dead-letters/" + DLQ + "\">[0-9]+</a>");
            assertThat(page).contains("class=\"node attention\" data-node=\"sink:broken-sink\"");
            assertThat(page).containsPattern("data-node=\"sink:broken-sink\">[\\s\\S]*?data-field=\"latency\">"
                    + "p50 120 ms · p99 480 ms<");
        });
        HttpResponse<String> json = browser.get("/pipeline/figures.json");
        assertThat(json.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/json"));
        assertThat(json.body()).contains("\"id\":\"raw:" + RAW + "\"").contains("\"history\":[");
    }

    @Test
    void thePipelineStreamsTheGraphAndChartPointsOverSse() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpResponse<Stream<String>> response = browser.http().send(HttpRequest.newBuilder(
                URI.create(console.url() + "/pipeline/events")).header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("text/event-stream"));
        Thread reader = new Thread(() -> response.body().forEach(lines::add));
        reader.setDaemon(true);
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(lines).contains("event: graph", "event: sample");
                assertThat(lines).anyMatch(l -> l.contains("data-node=\"raw:" + RAW + "\""));
                assertThat(lines).anyMatch(l -> l.startsWith("data: {\"t\":") && l.contains("\"rawRate\""));
            });
        } finally {
            response.body().close();
        }
    }

    @Test
    void aFailedTaskShowsItsErrorAndTheConnectorsAreControlledByPost() {
        String page = browser.get("/connectors").body();
        assertThat(page).contains("id=\"connector-broken-sink\"").containsPattern("<summary>.*(Exception|Couldn't|No such)");
        HttpResponse<String> paused = browser.post("/connectors/files/pause", List.of());
        assertThat(paused.statusCode()).isEqualTo(302);
        assertThat(paused.headers().firstValue("Location").orElse("")).startsWith("/connectors?done=Pause+of+files");
        ConnectRestClient rest = new ConnectRestClient(connect.url());
        await().atMost(Duration.ofSeconds(30)).until(() -> rest.status("files").state().equals("PAUSED"));
        assertThat(browser.get("/connectors").body()).contains("Resume files");
        browser.post("/connectors/files/resume", List.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> rest.status("files").state().equals("RUNNING"));
        assertThat(browser.post("/connectors/broken-sink/restart", List.of()).statusCode()).isEqualTo(302);
        assertThat(browser.post("/connectors/files/explode", List.of()).statusCode()).isEqualTo(404);
    }

    @Test
    void noSecretReachesAPageButReferencesDo() {
        String connectors = browser.get("/connectors").body();
        assertThat(connectors).doesNotContain(SECRET).contains(Redaction.HIDDEN).contains("${env:DB_PASSWORD}");
        String config = browser.get("/config").body();
        assertThat(config).doesNotContain(SECRET).contains("api.token: " + Redaction.HIDDEN);
        assertThat(browser.get("/pipeline/figures.json").body()).doesNotContain(SECRET);
    }

    @Test
    void theConfigPageListsEveryProblemWithFileLineAndKey() {
        String config = browser.get("/config").body();
        assertThat(config).containsPattern("<a href=\"#L2\">[^<]*syncline.yaml:2</a>: <code>cluster.registy-url</code>: "
                + "unknown key")
                .contains("id=\"L2\" class=\"problem\"");
    }

    @Test
    void aPostWithoutTheSessionsTokenIsRefusedAndDoesNothing() {
        browser.csrf();
        HttpResponse<String> noToken = browser.postRaw("/connectors/files/pause", List.of(), "Origin", console.url());
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).contains("security token is missing or stale");
        HttpResponse<String> wrongToken = browser.postRaw("/dead-letters/" + DLQ + "/replay",
                List.of(Map.entry("_csrf", "forged"), Map.entry("position", "0:0"), Map.entry("confirm", "yes")));
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(new DeadLetterQueue(Map.of("bootstrap.servers", kafka.bootstrapServers()), DLQ).replayed())
                .doesNotContain("0:0");
    }

    @Test
    void aPostFromAnotherSiteIsRefusedEvenWithTheToken() {
        HttpResponse<String> crossSite = browser.postRaw("/connectors/files/pause",
                List.of(Map.entry("_csrf", browser.csrf())), "Origin", "https://evil.example");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(crossSite.body()).contains("came from https://evil.example");
        HttpResponse<String> referer = browser.postRaw("/connectors/files/pause",
                List.of(Map.entry("_csrf", browser.csrf())), "Referer", "https://evil.example/page");
        assertThat(referer.statusCode()).isEqualTo(403);
    }

    @Test
    void aReplayAsksForConfirmationThenWritesBackAndTheDeadLetterLeavesTheList() {
        HttpResponse<String> confirm = browser.post("/dead-letters/" + DLQ + "/replay",
                List.of(Map.entry("position", "0:1")));
        assertThat(confirm.statusCode()).isEqualTo(200);
        assertThat(confirm.body()).contains("Replay 1 dead letter from " + DLQ + "?")
                .contains("0:1 → " + RAW + "/0/7 (attempt 2)");
        assertThat(browser.get("/dead-letters/" + DLQ).body()).contains("data-position=\"0:1\"");

        HttpResponse<String> done = browser.post("/dead-letters/" + DLQ + "/replay",
                List.of(Map.entry("position", "0:1"), Map.entry("confirm", "yes")));
        assertThat(done.body()).contains("Replayed 1 dead letter from " + DLQ);
        String list = browser.get("/dead-letters/" + DLQ).body();
        assertThat(list).doesNotContain("data-position=\"0:1\"").contains("data-position=\"0:0\"");
        assertThat(browser.get("/dead-letters/" + DLQ + "?replayed=on").body())
                .contains("data-position=\"0:1\" class=\"replayed\"");
    }

    @Test
    void replayAllReplaysWhatTheFilterMatchesAfterAConfirmationAndLeavesTheRest() throws Exception {
        // A DLQ of its own, so the other tests' dead letters stay where they are.
        String other = "dlq.sink.other";
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String[] l : new String[][] {{"m_1", "mapping"}, {"m_2", "mapping"}, {"p_3", "parse"}}) {
                ProducerRecord<byte[], byte[]> r = deadLetter(l[0], "{\"id\":\"" + l[0] + "\"}", l[1],
                        "stripe/charge.yaml");
                producer.send(new ProducerRecord<>(other, 0, r.key(), r.value(), r.headers())).get();
            }
        }
        HttpResponse<String> confirm = browser.post("/dead-letters/" + other + "/replay",
                List.of(Map.entry("all", "true"), Map.entry("reason", "mapping")));
        assertThat(confirm.statusCode()).as(confirm.body()).isEqualTo(200);
        assertThat(confirm.body()).contains("Replay 2 dead letters from " + other + "?").contains("0:0 → ")
                .contains("0:1 → ").doesNotContain("0:2 → ");
        assertThat(browser.get("/dead-letters/" + other).body()).contains("3 dead letters");

        // What the confirmation page posts: the positions it listed.
        HttpResponse<String> done = browser.post("/dead-letters/" + other + "/replay", List.of(
                Map.entry("confirm", "yes"), Map.entry("position", "0:0"), Map.entry("position", "0:1")));
        assertThat(done.body()).contains("Replayed 2 dead letters from " + other);
        assertThat(browser.get("/dead-letters/" + other).body()).contains("1 dead letter<")
                .contains("data-position=\"0:2\"").doesNotContain("data-position=\"0:0\"")
                .doesNotContain("data-position=\"0:1\"");
        HttpResponse<String> nothing = browser.post("/dead-letters/" + other + "/replay",
                List.of(Map.entry("all", "true"), Map.entry("reason", "mapping")));
        assertThat(nothing.statusCode()).isEqualTo(400);
        assertThat(nothing.body()).contains("has no dead letters that match");
    }

    @Test
    void deadLettersFilterByReasonMappingAndTime() {
        assertThat(browser.get("/dead-letters/" + DLQ + "?reason=parse").body())
                .contains("data-position=\"0:0\"").doesNotContain("data-position=\"0:2\"");
        assertThat(browser.get("/dead-letters/" + DLQ + "?mapping=customer&replayed=on").body())
                .contains("data-position=\"0:2\"").doesNotContain("data-position=\"0:0\"");
        assertThat(browser.get("/dead-letters/" + DLQ + "?from=2025-03-01T13:00").body()).contains("0 dead letters");
        HttpResponse<String> bad = browser.get("/dead-letters/" + DLQ + "?from=yesterday");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("expected yyyy-MM-ddTHH:mm in UTC");
    }

    @Test
    void aDeadLetterShowsItsHeadersAndOriginalBytes() {
        String page = browser.get("/dead-letters/" + DLQ + "/0/0").body();
        assertThat(page).contains("cannot map ch_1").contains("syncline.mapping.file")
                // {"id":"ch_1" (broken JSON, shown as is) and its bytes: 7b 22 69 64 ...
                .contains("{\"id\":\"ch_1\"</pre>").contains("00000000  7b 22 69 64 22 3a");
        HttpResponse<String> missing = browser.get("/dead-letters/" + DLQ + "/0/99");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("There is no dead letter at 0:99");
    }

    @Test
    void twoSchemaVersionsAreDiffedAndACandidateIsChecked() {
        String diff = browser.get("/schemas/" + SUBJECT + "/diff?from=1&to=2").body();
        assertThat(diff).contains("Version 1 → version 2").containsPattern("<tr class=\"added\">[\\s\\S]*?currency");
        HttpResponse<String> ok = browser.post("/schemas/" + SUBJECT + "/check", List.of(Map.entry("candidate",
                SCHEMA_V2)));
        assertThat(ok.body()).contains("Compatible: it may be registered");
        HttpResponse<String> breaking = browser.post("/schemas/" + SUBJECT + "/check", List.of(Map.entry("candidate",
                SCHEMA_V1.replace("\"long\"", "\"string\""))));
        assertThat(breaking.body()).contains("Not compatible with " + SUBJECT);
        HttpResponse<String> notAvro = browser.post("/schemas/" + SUBJECT + "/check", List.of(Map.entry("candidate",
                "{\"type\":\"nope\"}")));
        assertThat(notAvro.body()).contains("This is not an Avro schema");
    }

    @Test
    void theTailStreamsRecordsDecodedAsSynclineTailPrintsThem() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpResponse<Stream<String>> response = browser.http().send(HttpRequest.newBuilder(
                URI.create(console.url() + "/topics/" + CANONICAL + "/tail")).header("Accept", "text/event-stream").GET()
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        Thread reader = new Thread(() -> response.body().forEach(lines::add));
        reader.setDaemon(true);
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(lines)
                    .anyMatch(l -> l.contains("\"amount\" : 4200")));
            assertThat(lines).anyMatch(l -> l.contains("\"valueSchemaId\""));
        } finally {
            response.body().close();
        }
    }

    @Test
    void aHostNameOtherThanThisMachineIsRefused() throws Exception {
        try (Socket s = new Socket("localhost", console.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /pipeline HTTP/1.1\r\nHost: attacker.example:" + console.port()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(status).isEqualTo("HTTP/1.1 403 Forbidden");
        }
    }

    @Test
    void aConsoleBeyondLoopbackWithoutATokenDoesNotStart() {
        ConsoleSettings open = ConsoleSettings.of(kafka.bootstrapServers(), registry.url(), connect.url()).withPort(0)
                .withHost("0.0.0.0");
        assertThatThrownBy(() -> ConsoleServer.start(open)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the console would listen on 0.0.0.0, beyond this machine, without a token: set "
                        + "console.auth-token to env:NAME or file:/path/to/token (syncline console: --token), or listen "
                        + "on localhost");
        assertThatThrownBy(() -> ConsoleServer.start(open.withAuthToken(SecretRef.env("SYNCLINE_NO_SUCH_TOKEN_VAR"))))
                .hasMessage("console.auth-token: secret env:SYNCLINE_NO_SUCH_TOKEN_VAR is not set: export "
                        + "SYNCLINE_NO_SUCH_TOKEN_VAR in the environment of this process");
    }

    @Test
    void withATokenEveryPageWaitsForSignInAndScriptsUseTheBearerToken() throws Exception {
        Path tokenFile = Files.writeString(work.resolve("console-token"), "s3cret-console-token\n");
        try (ConsoleServer guarded = ConsoleServer.start(ConsoleSettings.of(kafka.bootstrapServers(), registry.url(),
                connect.url()).withPort(0).withHost("0.0.0.0").withAuthToken(SecretRef.file(tokenFile)))) {
            ConsoleClient visitor = new ConsoleClient(guarded.url());
            HttpResponse<String> page = visitor.get("/dead-letters/" + DLQ + "?reason=parse");
            assertThat(page.statusCode()).isEqualTo(302);
            assertThat(page.headers().firstValue("Location"))
                    .hasValue("/login?next=%2Fdead-letters%2F" + DLQ + "%3Freason%3Dparse");
            assertThat(visitor.get("/pipeline/figures.json").statusCode()).isEqualTo(401);
            assertThat(visitor.get("/health").statusCode()).isEqualTo(200);
            assertThat(visitor.get("/pipeline/figures.json", "Authorization", "Bearer s3cret-console-token")
                    .statusCode()).isEqualTo(200);

            visitor.get("/login");
            HttpResponse<String> wrong = visitor.post("/login", List.of(Map.entry("token", "guess")));
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).contains("That is not the console's token.");
            HttpResponse<String> right = visitor.post("/login", List.of(Map.entry("token", "s3cret-console-token"),
                    Map.entry("next", "/schemas")));
            assertThat(right.statusCode()).isEqualTo(302);
            assertThat(right.headers().firstValue("Location")).hasValue("/schemas");
            assertThat(visitor.get("/schemas").statusCode()).isEqualTo(200);
            HttpResponse<String> offsite = visitor.post("/login", List.of(Map.entry("token", "s3cret-console-token"),
                    Map.entry("next", "//evil.example/")));
            assertThat(offsite.headers().firstValue("Location")).hasValue("/pipeline");
        }
    }
}
