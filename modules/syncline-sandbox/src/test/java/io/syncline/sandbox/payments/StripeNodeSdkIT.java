package io.syncline.sandbox.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.syncline.sandbox.testing.WebhookReceiver;

/**
 * Wire compatibility with code we did not write: the official Stripe Node SDK pages, retries, parses errors and
 * verifies webhook signatures against the sandbox. Optional: it runs only where Node and the {@code stripe} npm
 * package are present, and is skipped with instructions otherwise; the build never downloads npm packages.
 */
class StripeNodeSdkIT {

    private static final String KEY = "sk_test_node_sdk";
    private static final String HOW = "install it with `npm install --prefix modules/syncline-sandbox/target/stripe-node "
            + "stripe@23` or point SYNCLINE_STRIPE_NODE_MODULES at a node_modules directory that contains it";

    @TempDir
    Path tmp;

    private static Path nodeModules() {
        String env = System.getenv("SYNCLINE_STRIPE_NODE_MODULES");
        Path dir = env != null && !env.isBlank() ? Path.of(env) : Path.of("target", "stripe-node", "node_modules");
        return Files.isRegularFile(dir.resolve("stripe").resolve("package.json")) ? dir.toAbsolutePath() : null;
    }

    private static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void theOfficialStripeNodeSdkWorksAgainstTheSandbox() throws Exception {
        assumeTrue(nodeAvailable(), "skipped: no `node` on PATH; the Stripe SDK check needs Node 18+ and the stripe "
                + "npm package (" + HOW + ")");
        Path modules = nodeModules();
        assumeTrue(modules != null, "skipped: the stripe npm package was not found; " + HOW);

        try (PaymentsSandbox stripe = PaymentsSandbox.builder().seed(31).apiKey(KEY).rateLimitPerSecond(0).build()
                .start(); WebhookReceiver receiver = new WebhookReceiver()) {
            PaymentsSandbox.WebhookEndpoint endpoint = stripe.registerWebhook(receiver.url(), "customer.created");
            stripe.generator().runSteps(40);
            await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.received().isEmpty());
            WebhookReceiver.Received delivery = receiver.received().get(0);
            Path payload = tmp.resolve("payload.json");
            Files.writeString(payload, delivery.body(), StandardCharsets.UTF_8);

            Path script = Path.of(StripeNodeSdkIT.class.getResource("/stripe-sdk/check.cjs").toURI());
            ProcessBuilder pb = new ProcessBuilder("node", script.toString(), stripe.url(), KEY, payload.toString(),
                    delivery.header("Stripe-Signature"), endpoint.secret());
            pb.environment().put("NODE_PATH", modules.toString());
            pb.redirectError(tmp.resolve("stderr.txt").toFile());
            Process process = pb.start();
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(() -> {
                try {
                    return Files.readString(tmp.resolve("stderr.txt")) + "\nrequests: "
                            + stripe.requestLog().records().stream().map(r -> r.method() + " " + r.path() + "?"
                            + r.query() + " " + r.status() + " " + r.fault()).toList();
                } catch (IOException e) {
                    return e.toString();
                }
            }).isZero();
            JsonNode out = new ObjectMapper().readTree(stdout.lines().reduce((a, b) -> b).orElseThrow());

            assertThat(out.get("idempotentSame").asBoolean()).isTrue();
            assertThat(out.get("updatedName").asText()).isEqualTo("SDK User");
            assertThat(out.get("updatedMetadata")).hasToString("{\"source\":\"sdk\",\"plan\":\"pro\"}");
            assertThat(out.get("intentStatus").asText()).isEqualTo("succeeded");
            assertThat(out.get("latestChargeObject").asText()).isEqualTo("charge");
            assertThat(out.get("declineError").get("type").asText()).isEqualTo("StripeCardError");
            assertThat(out.get("declineError").get("code").asText()).isEqualTo("card_declined");
            assertThat(out.get("declineError").get("statusCode").asInt()).isEqualTo(402);
            assertThat(out.get("missingError").get("type").asText()).isEqualTo("StripeInvalidRequestError");
            assertThat(out.get("missingError").get("code").asText()).isEqualTo("resource_missing");
            assertThat(out.get("missingError").get("statusCode").asInt()).isEqualTo(404);
            List<String> paged = new ArrayList<>();
            out.get("pagedCustomerIds").forEach(n -> paged.add(n.asText()));
            assertThat(paged).containsExactlyInAnyOrderElementsOf(liveCustomers(stripe)).doesNotHaveDuplicates();
            assertThat(out.get("eventTypes")).isNotEmpty().allSatisfy(t ->
                    assertThat(t.asText()).isIn("customer.created", "customer.updated"));
            assertThat(out.get("throttledCallsSucceeded").asInt()).isEqualTo(6);
            assertThat(stripe.requestLog().records(r -> "rate_limit".equals(r.fault()))).isNotEmpty();
            assertThat(out.get("webhookEventId").asText()).startsWith("evt_");
            assertThat(out.get("wrongSecretRejected").asBoolean()).isTrue();
        }
    }

    private static List<String> liveCustomers(PaymentsSandbox stripe) {
        List<String> live = new ArrayList<>();
        for (String id : stripe.objectIds("customer")) {
            JsonNode c = stripe.object(id);
            if (c != null && !stripe.events().stream().anyMatch(e -> e.get("type").asText().equals("customer.deleted")
                    && e.get("data").get("object").get("id").asText().equals(id))) {
                live.add(id);
            }
        }
        return live;
    }
}
