package io.syncline.sandbox.payments;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.syncline.sandbox.core.ActivityScheduler;
import io.syncline.sandbox.core.ApiException;
import io.syncline.sandbox.core.IdGenerator;
import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.core.Seeds;

/**
 * The seeded activity of a payments account: customers sign up, change and leave; payment intents succeed or are
 * declined; charges get refunded in part or in full; invoices are drafted, finalized, paid or voided. Every step goes
 * through {@link PaymentsEngine}, so each change emits the same events the API would. Decisions and ids come only
 * from the seed and the generator's own history, so the same seed yields the same sequence of objects and events.
 */
final class PaymentsActivity implements ActivityScheduler.Step {

    private static final String[] FIRST = {"Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken",
        "Radia", "Edsger", "Frances", "Tim", "Katherine", "Donald", "Hedy", "John", "Anita", "Niklaus", "Shafi",
        "Leslie", "Sophie", "Yukihiro", "Guido", "Annie", "Jean", "Karen", "Ivan", "Mary", "Claude", "Joan"};
    private static final String[] LAST = {"Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov",
        "Thompson", "Perlman", "Dijkstra", "Allen", "Berners-Lee", "Johnson", "Knuth", "Lamarr", "McCarthy", "Borg",
        "Wirth", "Goldwasser", "Lamport", "Wilson", "Matsumoto", "van Rossum", "Easley", "Sammet", "Jones",
        "Sutherland", "Keller", "Shannon", "Clarke"};
    private static final String[] PLANS = {"starter", "pro", "enterprise"};
    private static final String[] SOURCES = {"web", "mobile", "partner", "sales"};
    private static final String[] PRODUCTS = {"Standard plan", "Pro plan", "Extra seats", "Support add-on",
        "Onboarding", "API overage", "Storage (100 GB)", "Training session"};
    private static final String[] CITIES = {"Berlin", "London", "Paris", "Tokyo", "Austin", "Toronto", "Madrid",
        "Lisbon"};
    private static final String[][] CURRENCIES = {{"usd", "60"}, {"eur", "20"}, {"gbp", "10"}, {"jpy", "10"}};
    private static final String[] DECLINES = {"generic_decline", "insufficient_funds", "expired_card",
        "incorrect_cvc", "processing_error"};

    private final PaymentsEngine engine;
    private final Random random;
    private final IdGenerator ids;
    private final List<String> customers = new ArrayList<>();
    private final List<String> refundableCharges = new ArrayList<>();
    private final List<String> pendingRefunds = new ArrayList<>();
    private final Deque<String> invoices = new ArrayDeque<>();
    private int serial;

    PaymentsActivity(PaymentsEngine engine, long seed) {
        this.engine = engine;
        this.random = new Random(Seeds.derive(seed, "payments-generator-decisions"));
        this.ids = new IdGenerator(Seeds.derive(seed, "payments-generator-ids"));
    }

    @Override
    public int run() {
        PaymentsEngine.Origin origin = PaymentsEngine.Origin.automatic(ids);
        int roll = random.nextInt(100);
        try {
            if (customers.size() < 3 || roll < 22) {
                newCustomer(origin);
            } else if (roll < 30) {
                updateCustomer(origin);
            } else if (roll < 32 && customers.size() > 5) {
                deleteCustomer(origin);
            } else if (roll < 62) {
                payment(origin);
            } else if (roll < 72 && !refundableCharges.isEmpty()) {
                refund(origin);
            } else if (roll < 92) {
                invoiceStep(origin);
            } else if (roll < 96 && !pendingRefunds.isEmpty()) {
                settleRefund(origin);
            } else if (!refundableCharges.isEmpty()) {
                annotateCharge(origin);
            } else {
                payment(origin);
            }
        } catch (ApiException e) {
            // An API client changed one of the generator's objects (deleted a customer, refunded a charge): forget
            // it and carry on. Without outside interference this never happens.
            forgetStale();
        }
        return (int) origin.events().get();
    }

    private String pick(List<String> list) {
        return list.get(random.nextInt(list.size()));
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private void newCustomer(PaymentsEngine.Origin o) {
        String first = pick(FIRST);
        String last = pick(LAST);
        serial++;
        Map<String, JsonNode> set = new LinkedHashMap<>();
        String email = (first + "." + last.replace(" ", "").replace("-", "")).toLowerCase(Locale.ROOT)
                + "+" + serial + "@example.com";
        set.put("email", TextNode.valueOf(email));
        set.put("name", TextNode.valueOf(first + " " + last));
        if (random.nextInt(3) == 0) {
            set.put("phone", TextNode.valueOf("+1555" + String.format(Locale.ROOT, "%07d", random.nextInt(10_000_000))));
        }
        if (random.nextInt(2) == 0) {
            ObjectNode address = Json.object();
            address.put("city", pick(CITIES));
            address.put("country", "US");
            address.put("line1", (1 + random.nextInt(999)) + " Market Street");
            address.set("line2", NullNode.instance);
            address.put("postal_code", String.format(Locale.ROOT, "%05d", random.nextInt(100_000)));
            address.set("state", NullNode.instance);
            set.put("address", address);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("plan", pick(PLANS));
        metadata.put("signup_source", pick(SOURCES));
        ObjectNode c = engine.customers().create(o, PaymentsEngine.Patch.of(set, metadata));
        customers.add(c.get("id").asText());
    }

    private void updateCustomer(PaymentsEngine.Origin o) {
        String id = pick(customers);
        Map<String, JsonNode> set = new LinkedHashMap<>();
        Map<String, String> metadata = null;
        switch (random.nextInt(4)) {
            case 0 -> set.put("phone", TextNode.valueOf("+1555" + String.format(Locale.ROOT, "%07d",
                    random.nextInt(10_000_000))));
            case 1 -> metadata = Map.of("plan", pick(PLANS));
            case 2 -> set.put("description", TextNode.valueOf("Account manager: " + pick(FIRST)));
            default -> {
                serial++;
                set.put("email", TextNode.valueOf("billing+" + serial + "@example.com"));
            }
        }
        engine.customers().update(o, id, PaymentsEngine.Patch.of(set, metadata));
    }

    private void deleteCustomer(PaymentsEngine.Origin o) {
        String id = customers.remove(random.nextInt(customers.size()));
        engine.customers().delete(o, id);
    }

    private String currency() {
        int roll = random.nextInt(100);
        int acc = 0;
        for (String[] c : CURRENCIES) {
            acc += Integer.parseInt(c[1]);
            if (roll < acc) {
                return c[0];
            }
        }
        return "usd";
    }

    private long amount(String currency) {
        if (StripeParams.ZERO_DECIMAL.contains(currency)) {
            return 500 + 10L * random.nextInt(3000);
        }
        return 100L * (5 + random.nextInt(250)) - (random.nextBoolean() ? 1 : 0);
    }

    private Cards.Card card() {
        if (random.nextInt(100) < 14) {
            return Cards.declined(pick(DECLINES));
        }
        return switch (random.nextInt(10)) {
            case 0, 1 -> Cards.lookup("pm_card_mastercard");
            case 2 -> Cards.lookup("pm_card_amex");
            default -> Cards.VISA;
        };
    }

    private void payment(PaymentsEngine.Origin o) {
        String customer = customers.isEmpty() || random.nextInt(5) == 0 ? null : pick(customers);
        String currency = currency();
        serial++;
        Charges.PaymentInput in = new Charges.PaymentInput(amount(currency), currency, customer,
                "Order #" + (10_000 + serial), Map.of("order_id", "ord_" + (10_000 + serial)), "pm_card", card(), true,
                null);
        PaymentsEngine.Result r = engine.charges().createPaymentIntent(o, in);
        if (r.declineError() == null) {
            refundableCharges.add(r.object().get("latest_charge").asText());
        }
    }

    private void refund(PaymentsEngine.Origin o) {
        String chargeId = pick(refundableCharges);
        ObjectNode charge = engine.queries().snapshot(chargeId);
        long remaining = charge.get("amount_captured").asLong() - charge.get("amount_refunded").asLong();
        long amount = random.nextBoolean() || remaining < 2 ? remaining : remaining / 2;
        String reason = switch (random.nextInt(4)) {
            case 0 -> "duplicate";
            case 1 -> "fraudulent";
            case 2 -> "requested_by_customer";
            default -> null;
        };
        boolean pending = random.nextInt(5) == 0;
        ObjectNode refund = engine.refunds().create(o, chargeId, null, amount, reason, null, pending);
        if (amount == remaining) {
            refundableCharges.remove(chargeId);
        }
        if (pending) {
            pendingRefunds.add(refund.get("id").asText());
        }
    }

    private void settleRefund(PaymentsEngine.Origin o) {
        String id = pendingRefunds.remove(0);
        boolean ok = random.nextInt(10) != 0;
        ObjectNode refund = engine.refunds().settle(o, id, ok);
        if (!ok) {
            String charge = refund.get("charge").asText();
            if (!refundableCharges.contains(charge)) {
                refundableCharges.add(charge);
            }
        }
    }

    private void annotateCharge(PaymentsEngine.Origin o) {
        String id = pick(refundableCharges);
        engine.charges().update(o, id, PaymentsEngine.Patch.of(Map.of(), Map.of("fulfilled", random.nextBoolean()
                ? "true" : "false")));
    }

    private void invoiceStep(PaymentsEngine.Origin o) {
        if (!invoices.isEmpty() && random.nextInt(100) < 65) {
            advanceInvoice(o, invoices.peekFirst());
            return;
        }
        String customer = pick(customers);
        String currency = currency();
        ObjectNode inv = engine.invoices().create(o, new Invoices.InvoiceInput(customer, null,
                Map.of("billing_period", "2024-" + String.format(Locale.ROOT, "%02d", 1 + random.nextInt(12))), true,
                "charge_automatically", null, currency, false));
        String id = inv.get("id").asText();
        int items = 1 + random.nextInt(3);
        for (int i = 0; i < items; i++) {
            long qty = 1 + random.nextInt(3);
            engine.invoices().createItem(o, new Invoices.ItemInput(customer, amount(currency) * qty, qty, currency,
                    pick(PRODUCTS), id, null));
        }
        invoices.addLast(id);
    }

    private void advanceInvoice(PaymentsEngine.Origin o, String id) {
        ObjectNode inv = engine.queries().snapshot(id);
        String status = inv.get("status").asText();
        if (status.equals("draft")) {
            engine.invoices().finalizeInvoice(o, id);
            if ("paid".equals(engine.queries().snapshot(id).get("status").asText())) {
                invoices.remove(id);
            }
            return;
        }
        if (!status.equals("open")) {
            invoices.remove(id);
            return;
        }
        int roll = random.nextInt(100);
        if (roll < 6) {
            engine.invoices().voidInvoice(o, id);
            invoices.remove(id);
            return;
        }
        Cards.Card card = roll < 18 ? Cards.declined(pick(DECLINES)) : Cards.VISA;
        PaymentsEngine.Result r = engine.invoices().pay(o, id, card, false);
        if (r.declineError() == null) {
            invoices.remove(id);
            String charge = r.object().path("charge").asText(null);
            if (charge != null) {
                refundableCharges.add(charge);
            }
        }
    }

    private void forgetStale() {
        customers.removeIf(id -> isGone(id, "customer"));
        refundableCharges.removeIf(id -> {
            ObjectNode c = engine.queries().snapshot(id);
            return c == null || c.get("amount_refunded").asLong() >= c.get("amount_captured").asLong();
        });
        invoices.removeIf(id -> {
            ObjectNode i = engine.queries().snapshot(id);
            return i == null || !(i.get("status").asText().equals("draft") || i.get("status").asText().equals("open"));
        });
    }

    private boolean isGone(String id, String type) {
        return !engine.queries().liveIds(type).contains(id);
    }
}
