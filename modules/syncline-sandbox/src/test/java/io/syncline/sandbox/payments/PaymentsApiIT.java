package io.syncline.sandbox.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.syncline.sandbox.testing.HttpTestClient;
import io.syncline.sandbox.testing.HttpTestClient.Response;

/** The Stripe-compatible endpoints over real HTTP: shapes, state changes, events and errors. */
class PaymentsApiIT {

    private static final String KEY = "sk_test_api_it_0123456789";
    private static PaymentsSandbox stripe;
    private static HttpTestClient api;

    @BeforeAll
    static void start() {
        stripe = PaymentsSandbox.builder().seed(1).apiKey(KEY).rateLimitPerSecond(0).build().start();
        api = new HttpTestClient(stripe.url()).bearer(KEY);
    }

    @AfterAll
    static void stop() {
        stripe.close();
    }

    private static JsonNode ok(Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.json();
    }

    private static JsonNode latestEvent(String type) throws Exception {
        JsonNode list = ok(api.get("/v1/events?limit=1&type=" + type));
        assertThat(list.get("data")).hasSize(1);
        return list.get("data").get(0);
    }

    private static JsonNode error(Response r, int status) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        return r.json().get("error");
    }

    @Test
    void acceptsBearerAndBasicAuthAndRejectsMissingOrWrongKeysLikeStripe() throws Exception {
        HttpTestClient basic = new HttpTestClient(stripe.url()).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8)));
        assertThat(basic.get("/v1/customers").status()).isEqualTo(200);

        JsonNode missing = error(new HttpTestClient(stripe.url()).get("/v1/customers"), 401);
        assertThat(missing.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(missing.get("message").asText()).startsWith("You did not provide an API key.");

        Response wrong = new HttpTestClient(stripe.url()).bearer("sk_test_wrong_key_9999").get("/v1/customers");
        JsonNode err = error(wrong, 401);
        assertThat(err.get("message").asText()).isEqualTo("Invalid API Key provided: sk_test_**********9999");
        assertThat(wrong.header("Request-Id")).startsWith("req_");
    }

    @Test
    void unknownUrlsAndMissingObjectsAnswerStripeShaped404s() throws Exception {
        JsonNode route = error(api.get("/v1/balance_sheets"), 404);
        assertThat(route.get("message").asText()).startsWith("Unrecognized request URL (GET: /v1/balance_sheets)");

        JsonNode missing = error(api.get("/v1/charges/ch_missing"), 404);
        assertThat(missing.get("code").asText()).isEqualTo("resource_missing");
        assertThat(missing.get("param").asText()).isEqualTo("id");
        assertThat(missing.get("message").asText()).isEqualTo("No such charge: 'ch_missing'");
        assertThat(missing.get("doc_url").asText()).isEqualTo("https://stripe.com/docs/error-codes/resource-missing");
    }

    @Test
    void listParametersAreValidatedWithTheParamNamed() throws Exception {
        assertThat(error(api.get("/v1/customers?limit=0"), 400).get("param").asText()).isEqualTo("limit");
        assertThat(error(api.get("/v1/customers?limit=101"), 400).get("message").asText())
                .isEqualTo("This value must be less than or equal to 100.");
        assertThat(error(api.get("/v1/customers?limit=ten"), 400).get("message").asText())
                .isEqualTo("Invalid integer: ten");
        assertThat(error(api.get("/v1/customers?starting_after=cus_a&ending_before=cus_b"), 400)
                .get("message").asText()).contains("only specify one of these parameters");
        JsonNode unknown = error(api.get("/v1/customers?colour=blue"), 400);
        assertThat(unknown.get("code").asText()).isEqualTo("parameter_unknown");
        assertThat(unknown.get("param").asText()).isEqualTo("colour");
        JsonNode cursor = error(api.get("/v1/customers?starting_after=cus_nope"), 400);
        assertThat(cursor.get("code").asText()).isEqualTo("resource_missing");
        assertThat(cursor.get("param").asText()).isEqualTo("starting_after");
        assertThat(error(api.get("/v1/events?type=charge.succeeded&types[]=charge.failed"), 400).get("message")
                .asText()).contains("type, types");
        assertThat(error(api.get("/v1/customers?created[after]=1"), 400).get("param").asText())
                .isEqualTo("created[after]");
    }

    @Test
    void createsCustomersFromNestedFormParametersWithStripeFields() throws Exception {
        JsonNode c = ok(api.postForm("/v1/customers", "email", "ada@example.com", "name", "Ada Lovelace",
                "metadata[plan]", "pro", "address[city]", "London", "address[country]", "GB",
                "preferred_locales[]", "en"));
        assertThat(c.get("id").asText()).matches("cus_[A-Za-z0-9]{14}");
        assertThat(c.get("object").asText()).isEqualTo("customer");
        assertThat(c.get("created").asLong()).isBetween(1_600_000_000L, 4_000_000_000L);
        assertThat(c.get("livemode").asBoolean()).isFalse();
        assertThat(c.get("metadata")).hasToString("{\"plan\":\"pro\"}");
        assertThat(c.get("address").get("city").asText()).isEqualTo("London");
        assertThat(c.get("address").get("line1").isNull()).isTrue();
        assertThat(c.get("phone").isNull()).isTrue();
        assertThat(c.get("preferred_locales").get(0).asText()).isEqualTo("en");
        assertThat(ok(api.get("/v1/customers/" + c.get("id").asText()))).isEqualTo(c);
        JsonNode created = latestEvent("customer.created");
        assertThat(created.get("data").get("object")).isEqualTo(c);
        assertThat(created.get("data").has("previous_attributes")).isFalse();
        assertThat(created.get("request").get("id").asText()).startsWith("req_");

        JsonNode unknown = error(api.postForm("/v1/customers", "email", "x@example.com", "favourite", "tea"), 400);
        assertThat(unknown.get("message").asText()).isEqualTo("Received unknown parameter: favourite");
    }

    @Test
    void updatingACustomerEmitsCustomerUpdatedWithPreviousAttributes() throws Exception {
        String id = ok(api.postForm("/v1/customers", "email", "old@example.com", "metadata[plan]", "starter",
                "metadata[team]", "red")).get("id").asText();
        JsonNode updated = ok(api.postForm("/v1/customers/" + id, "email", "new@example.com", "metadata[plan]", "pro",
                "metadata[team]", "", "description", "VIP"));
        assertThat(updated.get("email").asText()).isEqualTo("new@example.com");
        assertThat(updated.get("metadata")).hasToString("{\"plan\":\"pro\"}");
        JsonNode event = latestEvent("customer.updated");
        assertThat(event.get("data").get("object").get("id").asText()).isEqualTo(id);
        JsonNode previous = event.get("data").get("previous_attributes");
        assertThat(previous.get("email").asText()).isEqualTo("old@example.com");
        assertThat(previous.get("description").isNull()).isTrue();
        assertThat(previous.get("metadata").get("plan").asText()).isEqualTo("starter");
        assertThat(previous.get("metadata").get("team").asText()).isEqualTo("red");
        assertThat(previous.has("name")).isFalse();
    }

    @Test
    void deletedCustomersAreTombstonesThatLeaveLists() throws Exception {
        String id = ok(api.postForm("/v1/customers", "email", "leaving@example.com")).get("id").asText();
        JsonNode deleted = ok(api.delete("/v1/customers/" + id));
        assertThat(deleted).hasToString("{\"id\":\"" + id + "\",\"object\":\"customer\",\"deleted\":true}");
        assertThat(ok(api.get("/v1/customers/" + id))).isEqualTo(deleted);
        assertThat(ok(api.get("/v1/customers?email=leaving@example.com")).get("data")).isEmpty();
        JsonNode event = latestEvent("customer.deleted");
        assertThat(event.get("data").get("object").get("email").asText()).isEqualTo("leaving@example.com");
        assertThat(error(api.delete("/v1/customers/" + id), 404).get("code").asText()).isEqualTo("resource_missing");
        assertThat(error(api.postForm("/v1/payment_intents", "amount", "500", "currency", "usd", "customer", id),
                400).get("param").asText()).isEqualTo("customer");
    }

    @Test
    void aConfirmedPaymentIntentSucceedsWithAChargeAndEmitsItsEvents() throws Exception {
        String cus = ok(api.postForm("/v1/customers", "email", "payer@example.com", "name", "Payer"))
                .get("id").asText();
        JsonNode pi = ok(api.postForm("/v1/payment_intents", "amount", "2599", "currency", "EUR", "customer", cus,
                "payment_method", "pm_card_visa", "confirm", "true", "metadata[order]", "A-1"));
        assertThat(pi.get("id").asText()).startsWith("pi_");
        assertThat(pi.get("status").asText()).isEqualTo("succeeded");
        assertThat(pi.get("currency").asText()).isEqualTo("eur");
        assertThat(pi.get("amount_received").asLong()).isEqualTo(2599);
        String chargeId = pi.get("latest_charge").asText();
        JsonNode charge = ok(api.get("/v1/charges/" + chargeId));
        assertThat(charge.get("status").asText()).isEqualTo("succeeded");
        assertThat(charge.get("paid").asBoolean()).isTrue();
        assertThat(charge.get("amount_captured").asLong()).isEqualTo(2599);
        assertThat(charge.get("payment_intent").asText()).isEqualTo(pi.get("id").asText());
        assertThat(charge.get("customer").asText()).isEqualTo(cus);
        assertThat(charge.get("billing_details").get("email").asText()).isEqualTo("payer@example.com");
        assertThat(charge.get("failure_code").isNull()).isTrue();
        assertThat(charge.get("metadata").get("order").asText()).isEqualTo("A-1");
        assertThat(charge.get("payment_method_details").get("card").get("last4").asText()).isEqualTo("4242");

        JsonNode events = ok(api.get("/v1/events?limit=3"));
        List<String> types = new ArrayList<>();
        events.get("data").forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).containsExactly("payment_intent.succeeded", "charge.succeeded", "payment_intent.created");
        assertThat(ok(api.get("/v1/charges?payment_intent=" + pi.get("id").asText())).get("data")).hasSize(1);
        assertThat(ok(api.get("/v1/payment_intents?customer=" + cus)).get("data").get(0).get("id"))
                .isEqualTo(pi.get("id"));
    }

    @Test
    void aDeclinedCardAnswers402CardErrorAndEmitsFailureEvents() throws Exception {
        Response r = api.postForm("/v1/payment_intents", "amount", "1000", "currency", "usd",
                "payment_method", "pm_card_chargeDeclinedInsufficientFunds", "confirm", "true");
        JsonNode err = error(r, 402);
        assertThat(err.get("type").asText()).isEqualTo("card_error");
        assertThat(err.get("code").asText()).isEqualTo("card_declined");
        assertThat(err.get("decline_code").asText()).isEqualTo("insufficient_funds");
        assertThat(err.get("message").asText()).isEqualTo("Your card has insufficient funds.");
        JsonNode pi = err.get("payment_intent");
        assertThat(pi.get("status").asText()).isEqualTo("requires_payment_method");
        assertThat(pi.get("last_payment_error").get("code").asText()).isEqualTo("card_declined");
        JsonNode charge = ok(api.get("/v1/charges/" + err.get("charge").asText()));
        assertThat(charge.get("status").asText()).isEqualTo("failed");
        assertThat(charge.get("paid").asBoolean()).isFalse();
        assertThat(charge.get("failure_message").asText()).isEqualTo("Your card has insufficient funds.");
        assertThat(latestEvent("payment_intent.payment_failed").get("data").get("object").get("id"))
                .isEqualTo(pi.get("id"));
        assertThat(latestEvent("charge.failed").get("data").get("object").get("id")).isEqualTo(charge.get("id"));

        JsonNode retried = ok(api.postForm("/v1/payment_intents/" + pi.get("id").asText() + "/confirm",
                "payment_method", "pm_card_mastercard"));
        assertThat(retried.get("status").asText()).isEqualTo("succeeded");
        assertThat(error(api.postForm("/v1/payment_intents/" + pi.get("id").asText() + "/cancel"), 400)
                .get("code").asText()).isEqualTo("payment_intent_unexpected_state");
    }

    @Test
    void zeroDecimalCurrenciesKeepWholeUnitsAndLegacyChargesWork() throws Exception {
        JsonNode charge = ok(api.postForm("/v1/charges", "amount", "1500", "currency", "jpy", "source", "tok_visa"));
        assertThat(charge.get("amount").asLong()).isEqualTo(1500);
        assertThat(charge.get("currency").asText()).isEqualTo("jpy");
        assertThat(charge.get("payment_intent").isNull()).isTrue();
        assertThat(error(api.postForm("/v1/charges", "amount", "1500", "currency", "xyz", "source", "tok_visa"), 400)
                .get("param").asText()).isEqualTo("currency");
        assertThat(error(api.postForm("/v1/charges", "currency", "usd", "source", "tok_visa"), 400)
                .get("message").asText()).isEqualTo("Missing required param: amount.");
        assertThat(error(api.postForm("/v1/charges", "amount", "500", "currency", "usd", "source", "tok_unknown"), 400)
                .get("message").asText()).isEqualTo("No such token: 'tok_unknown'");
    }

    @Test
    void refundsUpdateTheChargeAndCannotExceedWhatWasCaptured() throws Exception {
        JsonNode pi = ok(api.postForm("/v1/payment_intents", "amount", "1000", "currency", "usd", "payment_method",
                "pm_card_visa", "confirm", "true"));
        String charge = pi.get("latest_charge").asText();
        JsonNode partial = ok(api.postForm("/v1/refunds", "payment_intent", pi.get("id").asText(), "amount", "300",
                "reason", "requested_by_customer"));
        assertThat(partial.get("id").asText()).startsWith("re_");
        assertThat(partial.get("charge").asText()).isEqualTo(charge);
        assertThat(partial.get("status").asText()).isEqualTo("succeeded");
        JsonNode afterPartial = ok(api.get("/v1/charges/" + charge));
        assertThat(afterPartial.get("amount_refunded").asLong()).isEqualTo(300);
        assertThat(afterPartial.get("refunded").asBoolean()).isFalse();
        assertThat(latestEvent("charge.refunded").get("data").get("object").get("amount_refunded").asLong())
                .isEqualTo(300);

        JsonNode tooMuch = error(api.postForm("/v1/refunds", "charge", charge, "amount", "701"), 400);
        assertThat(tooMuch.get("code").asText()).isEqualTo("amount_too_large");
        assertThat(tooMuch.get("param").asText()).isEqualTo("amount");

        JsonNode rest = ok(api.postForm("/v1/refunds", "charge", charge));
        assertThat(rest.get("amount").asLong()).isEqualTo(700);
        assertThat(ok(api.get("/v1/charges/" + charge)).get("refunded").asBoolean()).isTrue();
        assertThat(error(api.postForm("/v1/refunds", "charge", charge), 400).get("code").asText())
                .isEqualTo("charge_already_refunded");
        assertThat(ok(api.get("/v1/refunds?charge=" + charge)).get("data")).hasSize(2);
    }

    @Test
    void invoicesGoFromDraftToPaidWithLinesTotalsAndEvents() throws Exception {
        String cus = ok(api.postForm("/v1/customers", "email", "billing@example.com", "name", "Billing Co"))
                .get("id").asText();
        JsonNode draft = ok(api.postForm("/v1/invoices", "customer", cus, "currency", "usd", "description", "March"));
        String id = draft.get("id").asText();
        assertThat(draft.get("status").asText()).isEqualTo("draft");
        assertThat(draft.get("number").isNull()).isTrue();
        assertThat(draft.get("lines").get("object").asText()).isEqualTo("list");
        assertThat(draft.get("lines").get("url").asText()).isEqualTo("/v1/invoices/" + id + "/lines");
        ok(api.postForm("/v1/invoiceitems", "customer", cus, "invoice", id, "amount", "1500", "description", "Seats"));
        ok(api.postForm("/v1/invoiceitems", "customer", cus, "invoice", id, "unit_amount", "250", "quantity", "2"));
        JsonNode withLines = ok(api.get("/v1/invoices/" + id));
        assertThat(withLines.get("lines").get("data")).hasSize(2);
        assertThat(withLines.get("total").asLong()).isEqualTo(2000);
        assertThat(withLines.get("amount_due").asLong()).isEqualTo(2000);
        JsonNode linesPage = ok(api.get("/v1/invoices/" + id + "/lines?limit=1"));
        assertThat(linesPage.get("has_more").asBoolean()).isTrue();
        assertThat(linesPage.get("data").get(0).get("object").asText()).isEqualTo("line_item");

        JsonNode open = ok(api.postForm("/v1/invoices/" + id + "/finalize"));
        assertThat(open.get("status").asText()).isEqualTo("open");
        assertThat(open.get("number").asText()).matches("[A-F0-9]{8}-0001");
        assertThat(open.get("status_transitions").get("finalized_at").isNumber()).isTrue();
        JsonNode paid = ok(api.postForm("/v1/invoices/" + id + "/pay"));
        assertThat(paid.get("status").asText()).isEqualTo("paid");
        assertThat(paid.get("amount_paid").asLong()).isEqualTo(2000);
        assertThat(paid.get("amount_remaining").asLong()).isZero();
        assertThat(paid.get("charge").asText()).startsWith("ch_");
        assertThat(ok(api.get("/v1/charges/" + paid.get("charge").asText())).get("invoice").asText()).isEqualTo(id);
        JsonNode updated = latestEvent("invoice.updated");
        assertThat(updated.get("data").get("previous_attributes").get("status").asText()).isEqualTo("open");
        assertThat(latestEvent("invoice.paid").get("data").get("object").get("id").asText()).isEqualTo(id);
        assertThat(ok(api.get("/v1/invoices?customer=" + cus + "&status=paid")).get("data")).hasSize(1);
        assertThat(error(api.postForm("/v1/invoices/" + id + "/void"), 400).get("message").asText())
                .contains("status of paid");
    }

    @Test
    void expandReplacesIdsWithTheirObjects() throws Exception {
        String cus = ok(api.postForm("/v1/customers", "email", "expand@example.com")).get("id").asText();
        JsonNode pi = ok(api.postForm("/v1/payment_intents", "amount", "700", "currency", "gbp", "customer", cus,
                "payment_method", "pm_card_amex", "confirm", "true", "expand[]", "latest_charge"));
        assertThat(pi.get("latest_charge").get("object").asText()).isEqualTo("charge");
        String charge = pi.get("latest_charge").get("id").asText();
        JsonNode expanded = ok(api.get("/v1/charges/" + charge + "?expand[]=customer&expand[]=payment_intent"));
        assertThat(expanded.get("customer").get("email").asText()).isEqualTo("expand@example.com");
        assertThat(expanded.get("payment_intent").get("id")).isEqualTo(pi.get("id"));
        JsonNode nested = ok(api.get("/v1/payment_intents/" + pi.get("id").asText()
                + "?expand[0]=latest_charge.customer"));
        assertThat(nested.get("latest_charge").get("customer").get("id").asText()).isEqualTo(cus);
        JsonNode list = ok(api.get("/v1/charges?limit=1&customer=" + cus + "&expand[]=data.customer"));
        assertThat(list.get("data").get(0).get("customer").get("object").asText()).isEqualTo("customer");
        assertThat(error(api.get("/v1/charges/" + charge + "?expand[]=outcome"), 400).get("message").asText())
                .isEqualTo("This property cannot be expanded (outcome).");
    }

    @Test
    void listEnvelopeMatchesStripe() throws Exception {
        JsonNode list = ok(api.get("/v1/refunds?limit=1"));
        assertThat(list.get("object").asText()).isEqualTo("list");
        assertThat(list.get("url").asText()).isEqualTo("/v1/refunds");
        assertThat(list.has("has_more")).isTrue();
        Map<String, List<String>> ids = stripe.objectIds();
        assertThat(ids.keySet()).contains("customer", "event");
    }
}
