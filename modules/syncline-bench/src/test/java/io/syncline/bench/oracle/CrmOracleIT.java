package io.syncline.bench.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.sandbox.crm.CrmSandbox;
import io.syncline.sandbox.payments.PaymentsSandbox;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small run of the oracle against the real sandboxes over HTTP and a real broker: the payments sandbox's generator
 * makes customers, charges (many in the same second), refunds and declines; the test writes every payer's contact the
 * way a correct sink would, then spoils a few in known ways, and the oracle must find exactly those.
 */
class CrmOracleIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static PaymentsSandbox payments;
    static CrmSandbox crm;
    static EmbeddedKafkaBroker broker;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        payments = PaymentsSandbox.builder().port(0).seed(7).rateLimitPerSecond(0).build().start();
        crm = CrmSandbox.builder().port(0).tenSecondlyLimit(0).build().start();
        broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).build().start();
        payments.generator().runSteps(400);
    }

    @AfterAll
    static void stop() {
        payments.close();
        crm.close();
        broker.close();
    }

    private CrmOracle.Settings settings() {
        return new CrmOracle.Settings(payments.url(), payments.apiKey(), crm.url(), crm.privateAppToken(),
                broker.bootstrapServers(), List.of("dlq.test"), true);
    }

    @Test
    void findsExactlyTheContactsThatWereSpoiled() throws Exception {
        ProviderApis apis = new ProviderApis();
        List<JsonNode> customers = apis.stripeList(payments.url(), payments.apiKey(), "customers");
        List<JsonNode> charges = apis.stripeList(payments.url(), payments.apiKey(), "charges");
        // What a correct sink writes, worked out here independently of the oracle.
        List<ObjectNode> inputs = new ArrayList<>();
        for (JsonNode c : customers) {
            List<JsonNode> own = charges.stream().filter(ch -> c.path("id").asText()
                    .equals(ch.path("customer").asText(null))).toList();
            if (own.isEmpty() || c.path("email").isNull()) {
                continue;
            }
            JsonNode last = own.stream().max(Comparator.<JsonNode>comparingLong(ch -> ch.path("created").asLong())
                    .thenComparing(ch -> ch.path("id").asText())).orElseThrow();
            String currency = last.path("currency").asText();
            int digits = currency.equals("jpy") ? 0 : 2;
            long ltv = own.stream().filter(ch -> ch.path("status").asText().equals("succeeded")
                    && ch.path("currency").asText().equals(currency))
                    .mapToLong(ch -> ch.path("amount_captured").asLong() - ch.path("amount_refunded").asLong()).sum();
            ObjectNode in = JSON.createObjectNode().put("idProperty", "email").put("id", c.path("email").asText());
            in.putObject("properties")
                    .put(CrmOracle.LAST_ID, "stripe:" + last.path("id").asText())
                    .put(CrmOracle.LAST_STATUS, last.path("status").asText().toUpperCase())
                    .put(CrmOracle.LAST_AMOUNT, BigDecimal.valueOf(last.path("amount").asLong()).movePointLeft(digits)
                            .toPlainString())
                    .put(CrmOracle.LAST_CURRENCY, currency.toUpperCase())
                    .put(CrmOracle.LAST_DATE, String.valueOf(last.path("created").asLong() * 1000))
                    .put(CrmOracle.LIFETIME_VALUE, BigDecimal.valueOf(ltv).movePointLeft(digits).toPlainString());
            inputs.add(in);
        }
        assertThat(inputs).as("payers in the generated data").hasSizeGreaterThan(10);
        upsert(inputs);

        CrmOracle.Report clean = CrmOracle.check(settings());
        assertThat(clean.payers()).isEqualTo(inputs.size());
        assertThat(clean.render(5)).startsWith("payers " + inputs.size() + ": correct " + inputs.size()
                + ", wrong 0 (lifetime value only: 0), lost 0; payments in a DLQ 0");
        assertThat(clean.clean()).isTrue();
        assertThat(clean.guestCharges()).isPositive(); // the generator makes guest checkouts too

        // Spoil: an older payment id on one contact, a lifetime value on another, and a third payer has no contact.
        ObjectNode stale = inputs.get(0).deepCopy();
        ((ObjectNode) stale.get("properties")).put(CrmOracle.LAST_ID, "stripe:ch_older");
        ObjectNode ltv = inputs.get(1).deepCopy();
        ((ObjectNode) ltv.get("properties")).put(CrmOracle.LIFETIME_VALUE, "123456.78");
        upsert(List.of(stale, ltv));
        String gone = inputs.get(2).path("id").asText();
        String goneId = JSON.readTree(send("GET", "/crm/v3/objects/contacts/" + gone + "?idProperty=email", null)
                .body()).path("id").asText();
        assertThat(send("DELETE", "/crm/v3/objects/contacts/" + goneId, null).statusCode()).isEqualTo(204);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                broker.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("dlq.test", "stripe:ch_dead", "x")).get();
            producer.send(new ProducerRecord<>("dlq.test", "stripe:cus_dead", "x")).get();
        }

        CrmOracle.Report spoiled = CrmOracle.check(settings());
        assertThat(spoiled.wrong()).extracting(CrmOracle.Finding::email).containsExactlyInAnyOrder(
                inputs.get(0).path("id").asText(), inputs.get(1).path("id").asText());
        assertThat(spoiled.wrong()).filteredOn(f -> f.email().equals(inputs.get(0).path("id").asText()))
                .singleElement().satisfies(f -> assertThat(f.problem()).startsWith(CrmOracle.LAST_ID
                        + " stripe:ch_older, expected stripe:ch_"));
        assertThat(spoiled.wrongLifetimeValueOnly()).isEqualTo(1);
        assertThat(spoiled.lost()).extracting(CrmOracle.Finding::email).containsExactly(gone);
        assertThat(spoiled.paymentDeadLetters()).containsExactly(Map.entry("dlq.test", List.of("stripe:ch_dead")));
        assertThat(spoiled.deadLetters()).containsEntry("dlq.test customers", 1L);
        assertThat(spoiled.clean()).isFalse();
        assertThat(spoiled.correct()).isEqualTo(inputs.size() - 3);
    }

    private static void upsert(List<ObjectNode> inputs) throws Exception {
        for (int i = 0; i < inputs.size(); i += 100) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode arr = body.putArray("inputs");
            inputs.subList(i, Math.min(inputs.size(), i + 100)).forEach(arr::add);
            HttpResponse<String> r = send("POST", "/crm/v3/objects/contacts/batch/upsert", body.toString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(crm.url() + path))
                .header("Authorization", "Bearer " + crm.privateAppToken()).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
