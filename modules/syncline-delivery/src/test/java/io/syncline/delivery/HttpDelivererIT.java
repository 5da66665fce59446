package io.syncline.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.syncline.delivery.testing.TargetServer;
import io.syncline.delivery.testing.TargetServer.Response;
import io.syncline.http.Authenticator;
import io.syncline.http.OutboundPolicy;
import io.syncline.http.RetryPolicy;
import io.syncline.http.SynclineHttpClient;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpDelivererIT {

    private final TargetServer target = new TargetServer();
    private final DeliveryStats stats = new DeliveryStats();
    private SynclineHttpClient http;

    @AfterEach
    void close() {
        if (http != null) {
            http.close();
        }
        target.close();
    }

    private HttpDeliverer deliverer(OutboundPolicy policy, Authenticator auth, Duration maxElapsed) {
        http = SynclineHttpClient.builder().name("deliverer-it").outboundPolicy(policy).authenticator(auth)
                .retryPolicy(RetryPolicy.builder().maxAttempts(Integer.MAX_VALUE).maxElapsed(maxElapsed)
                        .baseDelay(Duration.ofMillis(5)).maxDelay(Duration.ofMillis(20)).build())
                .build();
        return new HttpDeliverer(http, "Idempotency-Key", List.of(Map.entry("X-Source", "syncline")), new int[0],
                HttpDeliverer.BatchFormat.wrapped("inputs"), stats);
    }

    private HttpDeliverer deliverer() {
        return deliverer(loopback(), Authenticator.none(), Duration.ofSeconds(30));
    }

    private OutboundPolicy loopback() {
        return OutboundPolicy.builder().allow(target.hostPort()).allowPlainHttp(target.hostPort()).build();
    }

    private Change change(long offset, String key, boolean batchable, String body) {
        SinkRecord record = new SinkRecord("t", 0, Schema.STRING_SCHEMA, key, null, "v", offset);
        return Change.builder(record).orderingKey(key).idempotencyKey("evt_" + offset)
                .request("POST", target.url() + (batchable ? "/batch" : "/items/" + key))
                .body(body).batchable(batchable).correlationIds(Set.of("evt_" + offset, key))
                .description("change " + key).build();
    }

    @Test
    void sendsTheChangeWithItsIdempotencyKeyAndRetriesServerErrorsWithTheSameKey() {
        AtomicInteger calls = new AtomicInteger();
        target.respond(r -> calls.incrementAndGet() <= 2
                ? Response.status(503, "{\"message\":\"busy\"}").withHeader("Retry-After", "0")
                : Response.ok("{}"));

        List<Outcome> outcomes = deliverer().deliver(List.of(change(1, "a", false, "{\"x\":1}")));

        assertThat(outcomes).containsExactly(Outcome.delivered());
        assertThat(target.requests()).hasSize(3).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/items/a");
            assertThat(r.header("Idempotency-Key")).isEqualTo("evt_1");
            assertThat(r.header("X-Source")).isEqualTo("syncline");
            assertThat(r.header("Content-Type")).startsWith("application/json");
            assertThat(r.body()).isEqualTo("{\"x\":1}");
        });
    }

    @Test
    void theRequestContinuesTheRecordsW3cTraceWithItsOwnParentIdOnEveryAttempt() {
        AtomicInteger calls = new AtomicInteger();
        target.respond(r -> calls.incrementAndGet() == 1
                ? Response.status(503, "{}").withHeader("Retry-After", "0") : Response.ok("{}"));
        SinkRecord record = new SinkRecord("t", 0, Schema.STRING_SCHEMA, "a", null, "v", 1);
        record.headers().addString("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        Change change = Change.builder(record).orderingKey("a").idempotencyKey("evt_1")
                .request("POST", target.url() + "/items/a").body("{}").build();

        assertThat(deliverer().deliver(List.of(change))).containsExactly(Outcome.delivered());

        assertThat(target.requests()).hasSize(2).allSatisfy(r -> assertThat(r.header("traceparent"))
                .matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01")
                .isNotEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
    }

    @Test
    void aPolledChangeWithOnlyASynclineTraceIdStartsAnUnsampledTraceparentFromIt() {
        SinkRecord record = new SinkRecord("t", 0, Schema.STRING_SCHEMA, "a", null, "v", 1);
        record.headers().addString("syncline.trace-id", "0af7651916cd43dd8448eb211c80319c");
        Change change = Change.builder(record).orderingKey("a").idempotencyKey("evt_1")
                .request("POST", target.url() + "/items/a").body("{}").build();

        deliverer().deliver(List.of(change));

        assertThat(target.requests()).singleElement().satisfies(r -> assertThat(r.header("traceparent"))
                .matches("00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-00"));
    }

    @Test
    void aChangeWithoutTraceHeadersSendsNoTraceparent() {
        deliverer().deliver(List.of(change(1, "a", false, "{}")));

        assertThat(target.requests()).singleElement().satisfies(r -> assertThat(r.header("traceparent")).isNull());
    }

    @Test
    void aRejectedChangeBecomesADeadLetterWithStatusAndTheStartOfTheBody() {
        String huge = "{\"message\":\"email is invalid\",\"pad\":\"" + "x".repeat(3000) + "\"}";
        target.respond(r -> Response.status(422, huge));

        Outcome outcome = deliverer().deliver(List.of(change(1, "a", false, "{}"))).get(0);

        assertThat(outcome.kind()).isEqualTo(Outcome.Kind.DEAD_LETTER);
        assertThat(outcome.failure().status()).isEqualTo(422);
        assertThat(outcome.failure().reason()).isEqualTo("rejected");
        assertThat(outcome.failure().message()).startsWith("POST " + target.url() + "/items/a (change a): 422 "
                + "Unprocessable Entity; response: {\"message\":\"email is invalid\"");
        assertThat(outcome.failure().responseBody()).startsWith("{\"message\":\"email is invalid\"");
        assertThat(outcome.failure().responseBody().getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(1024);
        assertThat(target.requests()).hasSize(1);
    }

    @Test
    void aBatchSendsItsItemsInOneRequestWithAKeyDerivedFromTheirKeys() {
        List<Change> batch = List.of(change(1, "a", true, "{\"id\":\"a\"}"), change(2, "b", true, "{\"id\":\"b\"}"));

        assertThat(deliverer().deliver(batch)).containsExactly(Outcome.delivered(), Outcome.delivered());

        assertThat(target.requests()).singleElement().satisfies(r -> {
            assertThat(r.body()).isEqualTo("{\"inputs\":[{\"id\":\"a\"},{\"id\":\"b\"}]}");
            assertThat(r.header("Idempotency-Key")).isEqualTo(HttpDeliverer.batchKey(batch)).startsWith("batch-");
        });
        assertThat(HttpDeliverer.batchKey(batch)).isEqualTo(HttpDeliverer.batchKey(List.copyOf(batch)));
    }

    @Test
    void aMultiStatusAnswerDeadLettersOnlyTheItemsItsErrorsName() {
        target.respond(r -> Response.status(207, "{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"1\","
                + "\"properties\":{\"email\":\"a\"}},{\"id\":\"3\",\"properties\":{\"email\":\"c\"}}],"
                + "\"errors\":[{\"status\":\"error\",\"category\":\"VALIDATION_ERROR\",\"message\":\"Property "
                + "values were not valid\",\"context\":{\"ids\":[\"b\"]}}]}"));
        List<Change> batch = List.of(change(1, "a", true, "{}"), change(2, "b", true, "{}"), change(3, "c", true, "{}"));

        List<Outcome> outcomes = deliverer().deliver(batch);

        assertThat(outcomes.get(0)).isEqualTo(Outcome.delivered());
        assertThat(outcomes.get(2)).isEqualTo(Outcome.delivered());
        assertThat(outcomes.get(1).kind()).isEqualTo(Outcome.Kind.DEAD_LETTER);
        assertThat(outcomes.get(1).failure().reason()).isEqualTo("batch-item");
        assertThat(outcomes.get(1).failure().status()).isEqualTo(207);
        assertThat(outcomes.get(1).failure().message()).contains("Property values were not valid");
        assertThat(outcomes.get(1).failure().responseBody()).contains("VALIDATION_ERROR");
        assertThat(target.requests()).hasSize(1);
    }

    @Test
    void aBatchRejectedAsAWholeIsSentItemByItemSoOnlyTheBadItemIsDeadLettered() {
        target.respond(r -> r.body().contains("\"bad\"") ? Response.status(400, "{\"message\":\"bad input\"}")
                : Response.ok("{\"status\":\"COMPLETE\"}"));
        List<Change> batch = List.of(change(1, "a", true, "{\"v\":\"ok\"}"), change(2, "b", true, "{\"v\":\"bad\"}"),
                change(3, "c", true, "{\"v\":\"ok\"}"));

        List<Outcome> outcomes = deliverer().deliver(batch);

        assertThat(outcomes).extracting(Outcome::kind).containsExactly(Outcome.Kind.DELIVERED,
                Outcome.Kind.DEAD_LETTER, Outcome.Kind.DELIVERED);
        assertThat(target.requests()).extracting(TargetServer.Request::body).containsExactly(
                "{\"inputs\":[{\"v\":\"ok\"},{\"v\":\"bad\"},{\"v\":\"ok\"}]}",
                "{\"inputs\":[{\"v\":\"ok\"}]}", "{\"inputs\":[{\"v\":\"bad\"}]}", "{\"inputs\":[{\"v\":\"ok\"}]}");
        assertThat(target.requests()).extracting(r -> r.header("Idempotency-Key")).endsWith("evt_1", "evt_2",
                "evt_3");
    }

    @Test
    void rejectedCredentialsAreFatalAndNameTheKeyToFix() {
        target.respond(r -> Response.status(401, "{\"message\":\"bad token\"}"));
        HttpDeliverer deliverer = deliverer(loopback(), Authenticator.bearer("s3cret-token", "auth.bearer.token"),
                Duration.ofSeconds(30));

        Outcome outcome = deliverer.deliver(List.of(change(1, "a", false, "{}"))).get(0);

        assertThat(outcome.kind()).isEqualTo(Outcome.Kind.FATAL);
        assertThat(outcome.failure().message()).contains("401 Unauthorized").contains("check 'auth.bearer.token'")
                .doesNotContain("s3cret-token");
    }

    @Test
    void retriesThatRunOutOfTimeAreFatalAndSayTheChangeStaysUncommitted() {
        target.respond(r -> Response.status(503, "{}"));

        Outcome outcome = deliverer(loopback(), Authenticator.none(), Duration.ofMillis(300))
                .deliver(List.of(change(1, "a", false, "{}"))).get(0);

        assertThat(outcome.kind()).isEqualTo(Outcome.Kind.FATAL);
        assertThat(outcome.failure().message()).startsWith("gave up: POST " + target.url() + "/items/a (change a): "
                + "503 Service Unavailable after ").endsWith("the change stays uncommitted and is delivered when the "
                + "task runs again");
    }

    @Test
    void aLoopbackTargetThatIsNotAllowListedIsRefusedBeforeAnyConnection() {
        Outcome outcome = deliverer(OutboundPolicy.builder().allowPlainHttp(target.hostPort())
                .allowListName("connector key 'outbound.allow.list'").build(), Authenticator.none(),
                Duration.ofSeconds(5)).deliver(List.of(change(1, "a", false, "{}"))).get(0);

        assertThat(outcome.kind()).isEqualTo(Outcome.Kind.FATAL);
        assertThat(outcome.failure().message()).contains("127.0.0.1 is an internal address (loopback)")
                .contains("connector key 'outbound.allow.list'");
        assertThat(target.requests()).isEmpty();
    }
}
