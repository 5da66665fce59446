package io.syncline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.config.GatewayConfig;
import io.syncline.config.SynclineConfigLoader;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.raw.RawHeader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gateway over real HTTP on loopback against a real embedded broker: for each signature scheme, what is accepted
 * lands exactly once with the right key, headers and bytes, and what is refused writes nothing.
 */
class WebhookGatewayIT {

    /** When the fixtures were signed; the gateway's clock stands still there. */
    private static final long NOW = 1_736_935_200_000L;
    private static final String PUBLIC_BASE = "https://hooks.example.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static EmbeddedKafkaBroker broker;
    static WebhookGateway gateway;
    static RawTopics topics;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** How the test itself signs a request for a scheme (independently of the gateway's code). */
    interface Signer {
        Map<String, String> sign(String secret, long at, byte[] body, String url);
    }

    /**
     * One scheme as configured in this test: endpoint {@code name} accepts {@code fixture.secret()} (old) and
     * {@code newSecret}; endpoint {@code name-rotated} accepts only {@code newSecret}.
     */
    record Case(String name, Fixture fixture, String newSecret, String topic, String key, String eventId,
            String source, Signer signer, List<String> signatureHeaders, boolean timed) {
        String path() {
            return "/webhooks/" + name + (fixture.url() != null && fixture.url().contains("?")
                    ? fixture.url().substring(fixture.url().indexOf('?')) : "");
        }

        /**
         * The record value: the body as received, or for HubSpot, whose body is a batch (here of one event), the
         * event's own bytes within it.
         */
        byte[] value() {
            String body = fixture.bodyText();
            return name.equals("hubspot") ? body.substring(1, body.length() - 1).getBytes(StandardCharsets.UTF_8)
                    : fixture.body();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final Case STRIPE = new Case("stripe", Fixture.load("stripe-charge-succeeded.json"),
            "whsec_rotated_new_stripe_secret", "raw.stripe.charge", "ch_3QhFixture0001", "evt_1QhFixture0001",
            "stripe-webhook:stripe", (s, at, b, u) -> TestSigner.stripe(s, at, b), List.of("Stripe-Signature"), true);
    static final Case ACME = new Case("acme", Fixture.load("standard-webhooks-invoice-paid.json"),
            "whsec_" + java.util.Base64.getEncoder().encodeToString("a-new-standard-webhooks-secret!!".getBytes(
                    StandardCharsets.US_ASCII)), "raw.acme.invoice", "inv_77", "msg_2fixtureSyncline0001",
            "standard-webhooks:acme", (s, at, b, u) -> TestSigner.standardWebhooks(s, "msg_test_" + at, at, b),
            List.of("webhook-id", "webhook-timestamp", "webhook-signature"), true);
    static final Case HUBSPOT = new Case("hubspot", Fixture.load("hubspot-v3-contact-property-change.json"),
            "b1e0c9d8-new0-4000-8000-000000000000", "raw.hubspot.event", "51", "1001", "hubspot-webhook:hubspot",
            (s, at, b, u) -> TestSigner.hubspot(s, u, at, b),
            List.of("X-HubSpot-Signature-v3", "X-HubSpot-Request-Timestamp"), true);
    static final Case ZENDESK = new Case("zendesk", Fixture.load("zendesk-ticket-created.json"),
            "bmV3X3plbmRlc2tfc2lnbmluZ19zZWNyZXQ", "raw.zendesk.ticket", "35436",
            "cbe4028c-7239-495d-b020-f22348516046", "zendesk-webhook:zendesk",
            (s, at, b, u) -> TestSigner.zendesk(s, at, b),
            List.of("X-Zendesk-Webhook-Signature", "X-Zendesk-Webhook-Signature-Timestamp"), true);
    static final Case GITHUB = new Case("github", Fixture.load("github-issues-opened.json"), "new github secret",
            "raw.github.event", "72d3162e-cc78-11e3-81ab-4c9367dc0958", "72d3162e-cc78-11e3-81ab-4c9367dc0958",
            "github-webhook:github", (s, at, b, u) -> TestSigner.github(s, "delivery-" + at, b),
            List.of("X-Hub-Signature-256"), false);

    static Stream<Case> cases() {
        return Stream.of(STRIPE, ACME, HUBSPOT, ZENDESK, GITHUB);
    }

    static Stream<Case> timedCases() {
        return cases().filter(Case::timed);
    }

    @BeforeAll
    static void start() {
        // The fixtures are dated 2025-01-15 and the gateway stamps records with its fixed clock: keep them forever.
        broker = EmbeddedKafkaBroker.builder(dataDir).config("log.retention.ms", "-1").build().start();
        topics = new RawTopics(broker.bootstrapServers());
        Map<String, String> env = new HashMap<>();
        StringBuilder yaml = new StringBuilder("gateway:\n  public-base-url: " + PUBLIC_BASE
                + "\n  topic-partitions: 3\n  endpoints:\n");
        for (Case c : cases().toList()) {
            String upper = c.name().toUpperCase();
            env.put(upper + "_OLD", c.fixture().secret());
            env.put(upper + "_NEW", c.newSecret());
            String scheme = switch (c.name()) {
                case "acme" -> "standard-webhooks";
                case "hubspot" -> "hubspot-v3";
                default -> c.name();
            };
            String extra = switch (c.name()) {
                case "stripe" -> "      fallback-topic: raw.stripe.event\n"
                        + "      topics: [raw.stripe.charge, raw.stripe.customer]\n";
                case "acme" -> "      key: /data/id\n";
                default -> "";
            };
            String topic = c.name().equals("stripe") ? "raw.stripe.{/data/object/object}" : c.topic();
            yaml.append("    - name: ").append(c.name()).append("\n      scheme: ").append(scheme)
                    .append("\n      secrets: [env:").append(upper).append("_OLD, env:").append(upper).append("_NEW]\n")
                    .append("      topic: ").append(topic).append('\n').append(extra);
            yaml.append("    - name: ").append(c.name()).append("-rotated\n      scheme: ").append(scheme)
                    .append("\n      secrets: [env:").append(upper).append("_NEW]\n")
                    .append("      topic: ").append(topic).append('\n').append(extra);
        }
        yaml.append("""
                    - name: hubspot-routed
                      scheme: hubspot-v3
                      secrets: [env:HUBSPOT_OLD]
                      route: /subscriptionType
                      routes: {"contact.*": raw.hubspot.contact, "company.*": raw.hubspot.company}
                      fallback-topic: raw.hubspot.unrouted
                """);
        GatewayConfig config = SynclineConfigLoader.parse(yaml.toString(), "WebhookGatewayIT.yaml").gateway();
        gateway = WebhookGateway.builder(config)
                .bootstrapServers(broker.bootstrapServers())
                .host("127.0.0.1")
                .port(0)
                .environment(env)
                .clock(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC))
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (topics != null) {
            topics.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    // ------------------------------------------------------------------ per scheme

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void acceptsTheProvidersOwnSignatureAndWritesTheRawBodyExactlyOnce(Case c) throws Exception {
        Map<TopicPartition, Long> before = topics.endOffsets();
        HttpResponse<String> response = post(c.path(), c.fixture().headers(), c.fixture().body());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("status").asText()).isEqualTo("accepted");
        List<ConsumerRecord<byte[], byte[]>> written = topics.since(before);
        assertThat(written).hasSize(1);
        ConsumerRecord<byte[], byte[]> record = written.get(0);
        assertThat(record.topic()).isEqualTo(c.topic());
        assertThat(text(record.key())).isEqualTo(c.key());
        assertThat(record.value()).isEqualTo(c.value());
        assertThat(record.timestamp()).isEqualTo(NOW);
        assertThat(header(record, RawHeader.SOURCE.key())).isEqualTo(c.source());
        assertThat(header(record, RawHeader.EVENT_ID.key())).isEqualTo(c.eventId());
        assertThat(header(record, RawHeader.RECEIVED_AT.key())).isEqualTo(Long.toString(NOW));
        assertThat(header(record, RawHeader.TRACE_ID.key())).matches("[0-9a-f]{32}");
        assertThat(header(record, RawHeader.ENDPOINT.key())).isEqualTo(c.name());
        assertThat(JSON.readTree(response.body()).get("traceId").asText())
                .isEqualTo(header(record, RawHeader.TRACE_ID.key()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusesATamperedBodyAndWritesNothing(Case c) throws Exception {
        byte[] tampered = c.fixture().bodyText().replace("1", "2").getBytes(StandardCharsets.UTF_8);
        assertRefused(c, () -> post(c.path(), c.fixture().headers(), tampered), 401, "signature-mismatch");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusesAWrongSecretAndWritesNothing(Case c) throws Exception {
        String wrong = c.name().equals("acme") ? "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32])
                : "wrong-secret";
        byte[] body = c.fixture().body();
        assertRefused(c, () -> post("/webhooks/" + c.name(), c.signer().sign(wrong, NOW, body, url(c.name())), body), 401,
                "signature-mismatch");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timedCases")
    void refusesTimestampsOutsideTheReplayWindowInBothDirectionsAndWritesNothing(Case c) throws Exception {
        byte[] body = c.fixture().body();
        String secret = c.fixture().secret();
        assertRefused(c, () -> post("/webhooks/" + c.name(), c.signer().sign(secret, NOW - 301_000, body, url(c.name())),
                body), 401, "timestamp-expired");
        assertRefused(c, () -> post("/webhooks/" + c.name(), c.signer().sign(secret, NOW + 301_000, body, url(c.name())),
                body), 401, "timestamp-in-future");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusesEachMissingSignatureHeaderWith401AndAnUnparseableOneWith400(Case c) throws Exception {
        for (String h : c.signatureHeaders()) {
            assertRefused(c, () -> post(c.path(), c.fixture().withHeader(h, null).headers(), c.fixture().body()), 401,
                    "missing-header");
        }
        String first = c.signatureHeaders().get(c.signatureHeaders().size() > 1 && c.name().equals("acme") ? 2 : 0);
        assertRefused(c, () -> post(c.path(), c.fixture().withHeader(first, "%%%").headers(), c.fixture().body()), 400,
                "malformed-header");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void acceptsOldAndNewSecretsDuringRotationAndRefusesARemovedOne(Case c) throws Exception {
        byte[] body = c.fixture().body();
        String old = c.fixture().secret();
        assertAcceptedOnce("/webhooks/" + c.name(), c.signer().sign(old, NOW, body, url(c.name())), body);
        assertAcceptedOnce("/webhooks/" + c.name(), c.signer().sign(c.newSecret(), NOW, body, url(c.name())), body);

        String rotated = c.name() + "-rotated";
        assertAcceptedOnce("/webhooks/" + rotated, c.signer().sign(c.newSecret(), NOW, body, url(rotated)), body);
        assertRefused(c, () -> post("/webhooks/" + rotated, c.signer().sign(old, NOW, body, url(rotated)), body), 401,
                "signature-mismatch");
    }

    // ------------------------------------------------------------------ limits and routing

    @Test
    void aBodyOverTheLimitGets413WithOrWithoutContentLengthAndWritesNothing() throws Exception {
        byte[] big = new byte[GatewayConfig.DEFAULT_MAX_BODY_BYTES + 1];
        java.util.Arrays.fill(big, (byte) 'x');
        Map<String, String> headers = TestSigner.stripe(STRIPE.fixture().secret(), NOW, big);
        Map<TopicPartition, Long> before = topics.endOffsets();

        HttpResponse<String> declared = post("/webhooks/stripe", headers, big);
        assertProblem(declared, 413, "payload-too-large");
        assertThat(declared.body()).contains("1048576 bytes");

        HttpRequest.Builder chunked = HttpRequest.newBuilder(URI.create(gateway.url() + "/webhooks/stripe"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));
        headers.forEach(chunked::header);
        assertProblem(HTTP.send(chunked.build(), HttpResponse.BodyHandlers.ofString()), 413, "payload-too-large");
        assertThat(topics.since(before)).isEmpty();
    }

    @Test
    void aBodyOfExactlyTheLimitIsAccepted() throws Exception {
        byte[] body = ("{\"id\":\"evt_big\",\"pad\":\"" + "x".repeat(GatewayConfig.DEFAULT_MAX_BODY_BYTES - 25) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(body).hasSize(GatewayConfig.DEFAULT_MAX_BODY_BYTES);
        ConsumerRecord<byte[], byte[]> record = assertAcceptedOnce("/webhooks/stripe",
                TestSigner.stripe(STRIPE.fixture().secret(), NOW, body), body);
        assertThat(record.value()).isEqualTo(body);
    }

    @Test
    void aWrongOrMissingContentTypeGets415AndWritesNothing() throws Exception {
        byte[] body = STRIPE.fixture().body();
        Map<String, String> headers = new HashMap<>(TestSigner.stripe(STRIPE.fixture().secret(), NOW, body));
        Map<TopicPartition, Long> before = topics.endOffsets();
        headers.put("Content-Type", "text/plain");
        HttpResponse<String> wrong = post("/webhooks/stripe", headers, body);
        assertProblem(wrong, 415, "unsupported-media-type");
        assertThat(JSON.readTree(wrong.body()).get("detail").asText()).isEqualTo("expected Content-Type application/json");
        headers.remove("Content-Type");
        assertProblem(post("/webhooks/stripe", headers, body), 415, "unsupported-media-type");
        assertThat(topics.since(before)).isEmpty();
    }

    @Test
    void anUnknownEndpointIs404AndAWrongMethodIs405WithAllow() throws Exception {
        byte[] body = STRIPE.fixture().body();
        assertProblem(post("/webhooks/nope", STRIPE.fixture().headers(), body), 404, "unknown-endpoint");
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/webhooks/stripe")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(get, 405, "method-not-allowed");
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        HttpResponse<String> nowhere = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/nowhere")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(nowhere, 404, "not-found");
    }

    // ------------------------------------------------------------------ payload handling

    @Test
    void anAuthenticBodyThatIsNotJsonGoesToTheFallbackTopicKeyedByItsHash() throws Exception {
        byte[] body = "{\"id\":\"evt_broken\",\"data\":{\"object\":".getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<byte[], byte[]> record = assertAcceptedOnce("/webhooks/stripe",
                TestSigner.stripe(STRIPE.fixture().secret(), NOW, body), body);
        assertThat(record.topic()).isEqualTo("raw.stripe.event");
        assertThat(record.value()).isEqualTo(body);
        String hash = "sha256:" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(body));
        assertThat(header(record, RawHeader.EVENT_ID.key())).isEqualTo(hash);
        assertThat(text(record.key())).isEqualTo(hash);
    }

    @Test
    void aPayloadWithoutTheTemplatedFieldGoesToTheFallbackTopicKeyedByEventId() throws Exception {
        byte[] body = "{\"id\":\"evt_account\",\"type\":\"account.updated\",\"data\":{\"object\":{\"object\":\"acct.x\"}}}"
                .getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<byte[], byte[]> record = assertAcceptedOnce("/webhooks/stripe",
                TestSigner.stripe(STRIPE.fixture().secret(), NOW, body), body);
        assertThat(record.topic()).isEqualTo("raw.stripe.event");
        assertThat(text(record.key())).isEqualTo("evt_account");
        assertThat(header(record, RawHeader.EVENT_ID.key())).isEqualTo("evt_account");
    }

    @Test
    void aTraceparentBecomesTheTraceIdAndIsCarriedOnTheRawRecord() throws Exception {
        Map<String, String> headers = new HashMap<>(STRIPE.fixture().headers());
        headers.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        ConsumerRecord<byte[], byte[]> record = assertAcceptedOnce("/webhooks/stripe", headers, STRIPE.fixture().body());
        assertThat(header(record, RawHeader.TRACE_ID.key())).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(header(record, RawHeader.TRACEPARENT.key()))
                .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    }

    @Test
    void withoutATraceparentTheRawRecordCarriesANewUnsampledOneForItsTraceId() throws Exception {
        ConsumerRecord<byte[], byte[]> record = assertAcceptedOnce("/webhooks/stripe", STRIPE.fixture().headers(),
                STRIPE.fixture().body());
        assertThat(header(record, RawHeader.TRACEPARENT.key()))
                .matches("00-" + header(record, RawHeader.TRACE_ID.key()) + "-[0-9a-f]{16}-00");
    }

    @Test
    void hubSpotBehindNoLoadBalancerSignsTheUrlAsCalled() throws Exception {
        GatewayConfig config = SynclineConfigLoader.parse("""
                gateway:
                  endpoints:
                    - name: crm
                      scheme: hubspot-v3
                      secrets: [env:HS]
                      topic: raw.hubspot.event
                """, "direct.yaml").gateway();
        try (WebhookGateway direct = WebhookGateway.builder(config).bootstrapServers(broker.bootstrapServers())
                .host("127.0.0.1").port(0).environment(Map.of("HS", "client-secret"))
                .clock(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC)).build().start()) {
            byte[] body = "[{\"eventId\":7,\"objectId\":8}]".getBytes(StandardCharsets.UTF_8);
            String url = direct.webhookUrl("crm").replace("localhost", "127.0.0.1") + "?portalId=1";
            Map<TopicPartition, Long> before = topics.endOffsets();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            TestSigner.hubspot("client-secret", url, NOW, body).forEach(request::header);
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            List<ConsumerRecord<byte[], byte[]>> written = topics.since(before);
            assertThat(written).hasSize(1);
            assertThat(text(written.get(0).key())).isEqualTo("8");
            assertThat(header(written.get(0), RawHeader.EVENT_ID.key())).isEqualTo("7");
        }
    }

    // ------------------------------------------------------------------ topics are the deployment's

    @Test
    void aTemplateWritesOnlyTopicsTheDeploymentDeclaresAndNothingCreatesTheOthers() throws Exception {
        String original = STRIPE.fixture().bodyText();
        byte[] body = original.replace("\"object\": \"charge\"", "\"object\": \"attacker_topic_h1\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(new String(body, StandardCharsets.UTF_8)).as("the test changed the object type").isNotEqualTo(original);
        ConsumerRecord<byte[], byte[]> record = assertAcceptedOnce("/webhooks/stripe",
                TestSigner.stripe(STRIPE.fixture().secret(), NOW, body), body);

        assertThat(record.topic()).isEqualTo("raw.stripe.event");
        assertThat(record.value()).isEqualTo(body);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).doesNotContain("raw.stripe.attacker_topic_h1");
        }
    }

    @Test
    void everyTopicAnEndpointMayWriteExistsFromTheStartWithTheConfiguredPartitions() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            Map<String, TopicDescription> d = admin.describeTopics(List.of("raw.stripe.charge", "raw.stripe.customer",
                    "raw.stripe.event", "raw.hubspot.contact", "raw.hubspot.company", "raw.hubspot.unrouted",
                    "raw.github.event")).allTopicNames().get();
            assertThat(d.values()).allSatisfy(t -> assertThat(t.partitions()).as(t.name()).hasSize(3));
        }
    }

    @Test
    void aHubSpotBatchBecomesOneRecordPerEventWithItsOwnBytesKeyTopicAndBatchHeaders() throws Exception {
        String[] events = {
            "{\"eventId\":11,\"subscriptionType\":\"contact.propertyChange\",\"objectId\":51,"
                    + "\"occurredAt\":1736935199000,\"propertyName\":\"email\",\"propertyValue\":\"zoë@example.com\"}",
            "{ \"eventId\": 12, \"subscriptionType\": \"company.propertyChange\", \"objectId\": 9001 }",
            "{\"eventId\":13,\"subscriptionType\":\"contact.creation\",\"objectId\":52}",
            "{\"eventId\":14,\"subscriptionType\":\"ticket.creation\",\"objectId\":7}",
            "{\"eventId\":15,\"subscriptionType\":\"contact.propertyChange\"}",
            "42"};
        byte[] body = ("[" + String.join(",\n ", events) + "]").getBytes(StandardCharsets.UTF_8);
        String url = url("hubspot-routed");
        Map<TopicPartition, Long> before = topics.endOffsets();
        HttpResponse<String> response = post("/webhooks/hubspot-routed", TestSigner.hubspot(
                HUBSPOT.fixture().secret(), url, NOW, body), body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<ConsumerRecord<byte[], byte[]>> written = topics.since(before);
        written.sort(java.util.Comparator.comparing(r -> header(r, RawHeader.BATCH_INDEX.key())));
        String batchId = "sha256:" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(body));
        String hash42 = "sha256:" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest("42".getBytes(StandardCharsets.UTF_8)));
        assertThat(written).extracting(r -> r.topic() + " " + text(r.key()) + " " + header(r, RawHeader.EVENT_ID.key()))
                .containsExactly("raw.hubspot.contact 51 11", "raw.hubspot.company 9001 12",
                        "raw.hubspot.contact 52 13", "raw.hubspot.unrouted 7 14", "raw.hubspot.contact 15 15",
                        "raw.hubspot.unrouted " + hash42 + " " + hash42);
        for (int i = 0; i < events.length; i++) {
            ConsumerRecord<byte[], byte[]> r = written.get(i);
            assertThat(text(r.value())).as("event %d as sent", i).isEqualTo(events[i]);
            assertThat(header(r, RawHeader.BATCH_ID.key())).isEqualTo(batchId);
            assertThat(header(r, RawHeader.BATCH_INDEX.key())).isEqualTo(Integer.toString(i));
            assertThat(header(r, RawHeader.BATCH_SIZE.key())).isEqualTo("6");
            assertThat(header(r, RawHeader.SOURCE.key())).isEqualTo("hubspot-webhook:hubspot-routed");
        }
    }

    @Test
    void aBatchEndpointKeepsABodyThatIsNoJsonArrayWholeOnItsFallbackTopic() throws Exception {
        byte[] body = "{\"eventId\":1,\"objectId\":51,\"subscriptionType\":\"contact.creation\"}"
                .getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<byte[], byte[]> record = assertAcceptedOnce("/webhooks/hubspot-routed",
                TestSigner.hubspot(HUBSPOT.fixture().secret(), url("hubspot-routed"), NOW, body), body);
        assertThat(record.topic()).isEqualTo("raw.hubspot.unrouted");
        assertThat(record.value()).isEqualTo(body);
        assertThat(record.headers().lastHeader(RawHeader.BATCH_ID.key())).isNull();
    }

    @Test
    void anEmptyBatchIsAcceptedAndWritesNothing() throws Exception {
        byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
        Map<TopicPartition, Long> before = topics.endOffsets();
        HttpResponse<String> response = post("/webhooks/hubspot-routed", TestSigner.hubspot(
                HUBSPOT.fixture().secret(), url("hubspot-routed"), NOW, body), body);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(topics.since(before)).isEmpty();
    }

    // ------------------------------------------------------------------ health and metrics

    @Test
    void healthReportsKafkaAndLivenessAlwaysAnswers() throws Exception {
        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(health.body());
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(body.get("kafka").get("status").asText()).isEqualTo("UP");
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsCountRequestsByStatusFailuresByReasonLatencyAndBytes() throws Exception {
        byte[] body = STRIPE.fixture().body();
        post("/webhooks/stripe", STRIPE.fixture().headers(), body);
        post("/webhooks/stripe", STRIPE.fixture().headers(), "{}".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(metrics.body())
                .containsPattern("syncline_gateway_requests_total\\{endpoint=\"stripe\",status=\"200\"} [1-9]")
                .containsPattern("syncline_gateway_requests_total\\{endpoint=\"stripe\",status=\"401\"} [1-9]")
                .containsPattern("syncline_gateway_verification_failures_total\\{endpoint=\"stripe\","
                        + "reason=\"signature-mismatch\"} [1-9]")
                .containsPattern("syncline_gateway_produce_latency_seconds_bucket\\{endpoint=\"stripe\",le=\"0.25\"} \\d")
                .containsPattern("syncline_gateway_produce_latency_seconds_count\\{endpoint=\"stripe\"} [1-9]")
                .containsPattern("syncline_gateway_request_bytes_count\\{endpoint=\"stripe\"} [1-9]")
                .containsPattern("syncline_gateway_records_out_total\\{endpoint=\"stripe\",topic=\"raw\\.stripe\\.[a-z_]+\"} [1-9]")
                .contains("syncline_gateway_produce_errors_total{endpoint=\"stripe\"} 0.0");
    }

    // ------------------------------------------------------------------ helpers

    private static String url(String endpoint) {
        return PUBLIC_BASE + "/webhooks/" + endpoint;
    }

    private static HttpResponse<String> post(String path, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url() + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static ConsumerRecord<byte[], byte[]> assertAcceptedOnce(String path, Map<String, String> headers,
            byte[] body) throws Exception {
        Map<TopicPartition, Long> before = topics.endOffsets();
        HttpResponse<String> response = post(path, headers, body);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        List<ConsumerRecord<byte[], byte[]>> written = topics.since(before);
        assertThat(written).hasSize(1);
        return written.get(0);
    }

    /** A request that should be refused. */
    interface Call {
        HttpResponse<String> send() throws Exception;
    }

    /** A refusal: right status and problem type, nothing written, and no secret or signature echoed. */
    private static void assertRefused(Case c, Call call, int status, String type) throws Exception {
        Map<TopicPartition, Long> before = topics.endOffsets();
        HttpResponse<String> response = call.send();
        assertProblem(response, status, type);
        for (String h : c.signatureHeaders()) {
            String value = c.fixture().header(h);
            if (value != null && value.length() > 12) {
                assertThat(response.body()).doesNotContain(value);
            }
        }
        assertThat(response.body()).doesNotContain(c.fixture().secret()).doesNotContain(c.newSecret());
        // A refusal is answered before anything is handed to the producer, so no write can still be on its way.
        assertThat(topics.since(before)).isEmpty();
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asText()).isEqualTo(ProblemResponses.TYPE_PREFIX + type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
        assertThat(problem.get("instance").asText()).startsWith("/");
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : text(h.value());
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
