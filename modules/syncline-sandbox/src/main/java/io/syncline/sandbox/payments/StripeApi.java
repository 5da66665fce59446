package io.syncline.sandbox.payments;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.syncline.sandbox.core.ApiRequest;
import io.syncline.sandbox.core.ApiResponse;
import io.syncline.sandbox.core.IdGenerator;
import io.syncline.sandbox.core.IdempotencyCache;
import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.core.SandboxServer;

/** The Stripe REST endpoints: parameter parsing and validation in Stripe's words, then the engine. */
final class StripeApi {

    private static final Set<String> ADDRESS = Set.of("city", "country", "line1", "line2", "postal_code", "state");
    private static final Pattern EVENT_TYPE = Pattern.compile("\\*|[a-z_]+(\\.[a-z_]+)+(\\.\\*)?");

    private final PaymentsEngine engine;
    private final IdGenerator ids;
    private final StripeIdempotency idempotency;

    StripeApi(PaymentsEngine engine, IdGenerator ids, IdempotencyCache idempotency) {
        this.engine = engine;
        this.ids = ids;
        this.idempotency = new StripeIdempotency(idempotency);
    }

    void register(SandboxServer.Routes r) {
        r.get("/v1/customers", this::listCustomers);
        r.post("/v1/customers", idempotency.wrap(this::createCustomer));
        r.get("/v1/customers/{id}", req -> retrieve(req, "customer", "customer"));
        r.post("/v1/customers/{id}", idempotency.wrap(this::updateCustomer));
        r.delete("/v1/customers/{id}", req -> {
            params(req.query()).allow(Set.of());
            return ApiResponse.ok(engine.customers().delete(origin(req), req.pathParam("id")));
        });

        r.get("/v1/charges", this::listCharges);
        r.post("/v1/charges", idempotency.wrap(this::createCharge));
        r.get("/v1/charges/{id}", req -> retrieve(req, "charge", "charge"));
        r.post("/v1/charges/{id}", idempotency.wrap(this::updateCharge));

        r.get("/v1/payment_intents", this::listPaymentIntents);
        r.post("/v1/payment_intents", idempotency.wrap(this::createPaymentIntent));
        r.get("/v1/payment_intents/{id}", req -> retrieve(req, "payment_intent", "payment_intent"));
        r.post("/v1/payment_intents/{id}/confirm", idempotency.wrap(this::confirmPaymentIntent));
        r.post("/v1/payment_intents/{id}/cancel", idempotency.wrap(this::cancelPaymentIntent));

        r.get("/v1/refunds", this::listRefunds);
        r.post("/v1/refunds", idempotency.wrap(this::createRefund));
        r.get("/v1/refunds/{id}", req -> retrieve(req, "refund", "refund"));

        r.get("/v1/invoices", this::listInvoices);
        r.post("/v1/invoices", idempotency.wrap(this::createInvoice));
        r.get("/v1/invoices/{id}", req -> retrieve(req, "invoice", "invoice"));
        r.post("/v1/invoices/{id}", idempotency.wrap(this::updateInvoice));
        r.delete("/v1/invoices/{id}",
                req -> ApiResponse.ok(engine.invoices().delete(origin(req), req.pathParam("id"))));
        r.get("/v1/invoices/{id}/lines", this::invoiceLines);
        r.post("/v1/invoices/{id}/finalize", idempotency.wrap(req -> {
            StripeParams p = params(req.form()).allow(Set.of("auto_advance"));
            Boolean autoAdvance = p.bool("auto_advance");
            StripeIdempotency.executing(req);
            if (autoAdvance != null) {
                engine.invoices().update(origin(req), req.pathParam("id"), PaymentsEngine.Patch.of(
                        Map.of("auto_advance", BooleanNode.valueOf(autoAdvance)), null));
            }
            return ok(engine.invoices().finalizeInvoice(origin(req), req.pathParam("id")), p);
        }));
        r.post("/v1/invoices/{id}/pay", idempotency.wrap(this::payInvoice));
        r.post("/v1/invoices/{id}/void", idempotency.wrap(req -> {
            StripeParams p = params(req.form()).allow(Set.of());
            StripeIdempotency.executing(req);
            return ok(engine.invoices().voidInvoice(origin(req), req.pathParam("id")), p);
        }));

        r.get("/v1/invoiceitems", this::listInvoiceItems);
        r.post("/v1/invoiceitems", idempotency.wrap(this::createInvoiceItem));
        r.get("/v1/invoiceitems/{id}", req -> retrieve(req, "invoiceitem", "invoiceitem"));

        r.get("/v1/events", this::listEvents);
        r.get("/v1/events/{id}", req -> retrieve(req, "event", "event"));

        r.get("/v1/webhook_endpoints", req -> list(req, "webhook_endpoint", "/v1/webhook_endpoints", Set.of(),
                p -> o -> true));
        r.post("/v1/webhook_endpoints", idempotency.wrap(this::createWebhookEndpoint));
        r.get("/v1/webhook_endpoints/{id}", req -> retrieve(req, "webhook_endpoint", "webhook endpoint"));
        r.post("/v1/webhook_endpoints/{id}", idempotency.wrap(this::updateWebhookEndpoint));
        r.delete("/v1/webhook_endpoints/{id}",
                req -> ApiResponse.ok(engine.webhookEndpoints().delete(req.pathParam("id"))));
    }

    // ------------------------------------------------------------------ plumbing

    private static StripeParams params(Map<String, Object> raw) {
        return new StripeParams(raw);
    }

    private PaymentsEngine.Origin origin(ApiRequest req) {
        return new PaymentsEngine.Origin(ids, req.requestId(), req.header("Idempotency-Key"));
    }

    private ApiResponse ok(ObjectNode object, StripeParams p) {
        List<String> expand = p.expand();
        return ApiResponse.ok(expand.isEmpty() ? object : expand(object, expand));
    }

    private ObjectNode expand(ObjectNode object, List<String> expand) {
        String type = object.path("object").asText();
        String id = object.path("id").asText();
        return engine.queries().retrieve(type, StripeQueries.readable(type), id, expand);
    }

    private ApiResponse retrieve(ApiRequest req, String type, String what) {
        StripeParams p = params(req.query()).allow(Set.of());
        return ApiResponse.ok(engine.queries().retrieve(type, what, req.pathParam("id"), p.expand()));
    }

    /** A list endpoint: common paging parameters plus {@code extra} filters turned into a predicate. */
    private ApiResponse list(ApiRequest req, String type, String url, Set<String> extra,
                             Function<StripeParams, Predicate<ObjectNode>> filters) {
        StripeListParams l = StripeListParams.read(req.query(), extra);
        Predicate<ObjectNode> filter = filters.apply(l.params());
        return ApiResponse.ok(engine.queries().list(type, url, l.limit(), l.startingAfter(), l.endingBefore(),
                l.created(), filter, l.params().expand()));
    }

    private static Predicate<ObjectNode> equalsIfGiven(StripeParams p, String param, String field) {
        String value = p.nullableString(param);
        return value == null ? o -> true : o -> value.equals(o.path(field).asText(null));
    }

    // ------------------------------------------------------------------ customers

    private static final Set<String> CUSTOMER_FIELDS = Set.of("address", "balance", "description", "email", "metadata",
            "name", "phone", "preferred_locales", "tax_exempt", "invoice_prefix", "next_invoice_sequence", "shipping",
            "invoice_settings", "payment_method", "source", "validate", "test_clock", "tax", "tax_id_data",
            "default_source", "coupon", "promotion_code", "cash_balance");

    private ApiResponse listCustomers(ApiRequest req) {
        return list(req, "customer", "/v1/customers", Set.of("email", "test_clock"),
                p -> equalsIfGiven(p, "email", "email"));
    }

    private PaymentsEngine.Patch customerPatch(StripeParams p) {
        Map<String, JsonNode> set = new LinkedHashMap<>();
        for (String f : List.of("description", "email", "name", "phone")) {
            if (p.has(f)) {
                String v = p.nullableString(f);
                if (v != null && v.length() > 512) {
                    throw StripeErrors.invalid(null, "Invalid " + f + ": must be at most 512 characters", f);
                }
                set.put(f, v == null ? NullNode.instance : TextNode.valueOf(v));
            }
        }
        if (p.has("address")) {
            Map<String, String> a = p.hash("address", ADDRESS);
            if (a.isEmpty()) {
                set.put("address", NullNode.instance);
            } else {
                ObjectNode addr = Json.object();
                for (String f : List.of("city", "country", "line1", "line2", "postal_code", "state")) {
                    String v = a.get(f);
                    addr.set(f, v == null || v.isEmpty() ? NullNode.instance : TextNode.valueOf(v));
                }
                set.put("address", addr);
            }
        }
        if (p.has("balance")) {
            set.put("balance", LongNode.valueOf(p.integer("balance")));
        }
        if (p.has("preferred_locales")) {
            ArrayNode locales = Json.MAPPER.createArrayNode();
            p.strings("preferred_locales").forEach(locales::add);
            set.put("preferred_locales", locales);
        }
        if (p.has("tax_exempt")) {
            set.put("tax_exempt", TextNode.valueOf(p.oneOf("tax_exempt", Set.of("none", "exempt", "reverse"))));
        }
        if (p.has("invoice_prefix")) {
            String prefix = p.requiredString("invoice_prefix");
            if (!prefix.matches("[A-Z0-9]{3,12}")) {
                throw StripeErrors.invalid(null, "Invalid invoice_prefix: must be 3-12 upper-case letters or digits",
                        "invoice_prefix");
            }
            set.put("invoice_prefix", TextNode.valueOf(prefix));
        }
        if (p.has("next_invoice_sequence")) {
            set.put("next_invoice_sequence", LongNode.valueOf(p.integer("next_invoice_sequence")));
        }
        return PaymentsEngine.Patch.of(set, p.metadata("metadata"));
    }

    private ApiResponse createCustomer(ApiRequest req) {
        StripeParams p = params(req.form()).allow(CUSTOMER_FIELDS);
        PaymentsEngine.Patch patch = customerPatch(p);
        StripeIdempotency.executing(req);
        return ok(engine.customers().create(origin(req), patch), p);
    }

    private ApiResponse updateCustomer(ApiRequest req) {
        StripeParams p = params(req.form()).allow(CUSTOMER_FIELDS);
        PaymentsEngine.Patch patch = customerPatch(p);
        StripeIdempotency.executing(req);
        return ok(engine.customers().update(origin(req), req.pathParam("id"), patch), p);
    }

    // ------------------------------------------------------------------ payments

    private static Cards.Card card(StripeParams p, String param, boolean tokens) {
        String pm = p.nullableString(param);
        if (pm == null) {
            return null;
        }
        Cards.Card card = Cards.lookup(pm);
        if (card == null || !tokens && pm.startsWith("tok_")) {
            if (pm.startsWith("tok_")) {
                throw StripeErrors.noSuch("token", pm, param, false);
            }
            throw StripeErrors.noSuch("PaymentMethod", pm, param, false);
        }
        return card;
    }

    private static void automaticCaptureOnly(StripeParams p, String param) {
        String capture = p.string(param);
        if (capture != null && !capture.equals("automatic") && !capture.equals("automatic_async")
                && !capture.equals("true")) {
            throw StripeErrors.invalid(null, param + "=" + capture + " (separate authorization and capture) is not "
                    + "simulated by the Syncline sandbox; use automatic capture.", param);
        }
    }

    private static final Set<String> PI_CREATE = Set.of("amount", "currency", "customer", "description", "metadata",
            "payment_method", "confirm", "receipt_email", "payment_method_types", "automatic_payment_methods",
            "capture_method", "confirmation_method", "setup_future_usage", "statement_descriptor",
            "statement_descriptor_suffix", "return_url", "off_session", "shipping", "error_on_requires_action",
            "use_stripe_sdk", "payment_method_options", "on_behalf_of", "transfer_data", "transfer_group",
            "application_fee_amount", "mandate_data", "radar_options", "payment_method_data");

    private ApiResponse createPaymentIntent(ApiRequest req) {
        StripeParams p = params(req.form()).allow(PI_CREATE);
        long amount = p.amount("amount", true);
        String currency = p.currency("currency", true);
        automaticCaptureOnly(p, "capture_method");
        Boolean confirm = p.bool("confirm");
        Charges.PaymentInput in = new Charges.PaymentInput(amount, currency, p.nullableString("customer"),
                p.nullableString("description"), p.metadata("metadata"), p.nullableString("payment_method"),
                card(p, "payment_method", false), Boolean.TRUE.equals(confirm), p.nullableString("receipt_email"));
        StripeIdempotency.executing(req);
        PaymentsEngine.Result r = engine.charges().createPaymentIntent(origin(req), in);
        return r.declineError() != null ? r.toResponse() : ok(r.object(), p);
    }

    private ApiResponse confirmPaymentIntent(ApiRequest req) {
        StripeParams p = params(req.form()).allow(Set.of("payment_method", "receipt_email", "return_url",
                "off_session", "payment_method_options", "error_on_requires_action", "mandate_data", "use_stripe_sdk",
                "shipping", "setup_future_usage", "capture_method", "radar_options", "payment_method_types",
                "payment_method_data"));
        automaticCaptureOnly(p, "capture_method");
        Cards.Card card = card(p, "payment_method", false);
        String email = p.nullableString("receipt_email");
        StripeIdempotency.executing(req);
        PaymentsEngine.Result r = engine.charges().confirmPaymentIntent(origin(req), req.pathParam("id"), card, email);
        return r.declineError() != null ? r.toResponse() : ok(r.object(), p);
    }

    private ApiResponse cancelPaymentIntent(ApiRequest req) {
        StripeParams p = params(req.form()).allow(Set.of("cancellation_reason"));
        String reason = p.oneOf("cancellation_reason", Set.of("duplicate", "fraudulent", "requested_by_customer",
                "abandoned"));
        StripeIdempotency.executing(req);
        return ok(engine.charges().cancelPaymentIntent(origin(req), req.pathParam("id"), reason), p);
    }

    private ApiResponse listPaymentIntents(ApiRequest req) {
        return list(req, "payment_intent", "/v1/payment_intents", Set.of("customer"),
                p -> equalsIfGiven(p, "customer", "customer"));
    }

    private static final Set<String> CHARGE_CREATE = Set.of("amount", "currency", "customer", "source", "description",
            "metadata", "receipt_email", "statement_descriptor", "statement_descriptor_suffix", "capture", "shipping",
            "transfer_group", "on_behalf_of", "application_fee_amount", "transfer_data", "radar_options");

    private ApiResponse createCharge(ApiRequest req) {
        StripeParams p = params(req.form()).allow(CHARGE_CREATE);
        long amount = p.amount("amount", true);
        String currency = p.currency("currency", true);
        if (Boolean.FALSE.equals(p.bool("capture"))) {
            automaticCaptureOnly(p, "capture");
            throw StripeErrors.invalid(null, "capture=false is not simulated by the Syncline sandbox.", "capture");
        }
        String customer = p.nullableString("customer");
        Cards.Card card = card(p, "source", true);
        if (card == null && customer == null) {
            throw StripeErrors.invalid(null, "Must provide source or customer.", null);
        }
        Charges.PaymentInput in = new Charges.PaymentInput(amount, currency, customer,
                p.nullableString("description"), p.metadata("metadata"), p.nullableString("source"), card, true,
                p.nullableString("receipt_email"));
        StripeIdempotency.executing(req);
        PaymentsEngine.Result r = engine.charges().create(origin(req), in);
        return r.declineError() != null ? r.toResponse() : ok(r.object(), p);
    }

    private ApiResponse updateCharge(ApiRequest req) {
        StripeParams p = params(req.form()).allow(Set.of("description", "metadata", "receipt_email", "fraud_details",
                "shipping", "transfer_group", "customer"));
        Map<String, JsonNode> set = new LinkedHashMap<>();
        for (String f : List.of("description", "receipt_email", "transfer_group")) {
            if (p.has(f)) {
                String v = p.nullableString(f);
                set.put(f, v == null ? NullNode.instance : TextNode.valueOf(v));
            }
        }
        if (p.has("fraud_details")) {
            ObjectNode fd = Json.object();
            Map<String, String> h = p.hash("fraud_details", Set.of("user_report"));
            h.forEach(fd::put);
            set.put("fraud_details", fd);
        }
        PaymentsEngine.Patch patch = PaymentsEngine.Patch.of(set, p.metadata("metadata"));
        StripeIdempotency.executing(req);
        return ok(engine.charges().update(origin(req), req.pathParam("id"), patch), p);
    }

    private ApiResponse listCharges(ApiRequest req) {
        return list(req, "charge", "/v1/charges", Set.of("customer", "payment_intent", "transfer_group"),
                p -> equalsIfGiven(p, "customer", "customer").and(equalsIfGiven(p, "payment_intent",
                        "payment_intent")).and(equalsIfGiven(p, "transfer_group", "transfer_group")));
    }

    // ------------------------------------------------------------------ refunds

    private ApiResponse createRefund(ApiRequest req) {
        StripeParams p = params(req.form()).allow(Set.of("amount", "charge", "payment_intent", "reason", "metadata",
                "refund_application_fee", "reverse_transfer", "instructions_email", "origin", "currency",
                "customer"));
        Long amount = p.amount("amount", false);
        String reason = p.oneOf("reason", Set.of("duplicate", "fraudulent", "requested_by_customer"));
        String charge = p.nullableString("charge");
        String intent = p.nullableString("payment_intent");
        Map<String, String> metadata = p.metadata("metadata");
        StripeIdempotency.executing(req);
        return ok(engine.refunds().create(origin(req), charge, intent, amount, reason, metadata, false), p);
    }

    private ApiResponse listRefunds(ApiRequest req) {
        return list(req, "refund", "/v1/refunds", Set.of("charge", "payment_intent"),
                p -> equalsIfGiven(p, "charge", "charge").and(equalsIfGiven(p, "payment_intent", "payment_intent")));
    }

    // ------------------------------------------------------------------ invoices

    private static final Set<String> INVOICE_CREATE = Set.of("customer", "description", "metadata", "auto_advance",
            "collection_method", "days_until_due", "due_date", "currency", "pending_invoice_items_behavior", "footer",
            "default_payment_method", "statement_descriptor", "custom_fields", "account_tax_ids", "automatic_tax",
            "default_tax_rates", "discounts", "rendering", "shipping_cost", "subscription", "on_behalf_of",
            "effective_at", "issuer", "payment_settings", "transfer_data", "application_fee_amount", "from_invoice",
            "default_source", "shipping_details");

    private ApiResponse createInvoice(ApiRequest req) {
        StripeParams p = params(req.form()).allow(INVOICE_CREATE);
        String customer = p.requiredString("customer");
        String method = p.oneOf("collection_method", Set.of("charge_automatically", "send_invoice"));
        String behavior = p.oneOf("pending_invoice_items_behavior", Set.of("include", "exclude"));
        Long days = p.integer("days_until_due");
        if (days != null && (days < 0 || days > 730)) {
            throw StripeErrors.invalid(null, "days_until_due must be between 0 and 730.", "days_until_due");
        }
        Invoices.InvoiceInput in = new Invoices.InvoiceInput(customer, p.nullableString("description"),
                p.metadata("metadata"), Boolean.TRUE.equals(p.bool("auto_advance")),
                method == null ? "charge_automatically" : method, days, p.currency("currency", false),
                "include".equals(behavior));
        StripeIdempotency.executing(req);
        ObjectNode inv = engine.invoices().create(origin(req), in);
        if (p.has("footer")) {
            inv = engine.invoices().update(origin(req), inv.get("id").asText(), PaymentsEngine.Patch.of(
                    Map.of("footer", TextNode.valueOf(p.string("footer"))), null));
        }
        return ok(inv, p);
    }

    private ApiResponse updateInvoice(ApiRequest req) {
        StripeParams p = params(req.form()).allow(Set.of("description", "metadata", "auto_advance", "footer",
                "days_until_due", "due_date", "collection_method", "default_payment_method", "statement_descriptor",
                "custom_fields", "default_source", "rendering"));
        Map<String, JsonNode> set = new LinkedHashMap<>();
        for (String f : List.of("description", "footer", "statement_descriptor")) {
            if (p.has(f)) {
                String v = p.nullableString(f);
                set.put(f, v == null ? NullNode.instance : TextNode.valueOf(v));
            }
        }
        if (p.has("auto_advance")) {
            set.put("auto_advance", BooleanNode.valueOf(p.bool("auto_advance")));
        }
        if (p.has("due_date")) {
            set.put("due_date", LongNode.valueOf(p.integer("due_date")));
        }
        PaymentsEngine.Patch patch = PaymentsEngine.Patch.of(set, p.metadata("metadata"));
        StripeIdempotency.executing(req);
        return ok(engine.invoices().update(origin(req), req.pathParam("id"), patch), p);
    }

    private ApiResponse payInvoice(ApiRequest req) {
        StripeParams p = params(req.form()).allow(Set.of("paid_out_of_band", "payment_method", "source",
                "off_session", "forgive", "mandate"));
        boolean outOfBand = Boolean.TRUE.equals(p.bool("paid_out_of_band"));
        Cards.Card card = card(p, "payment_method", false);
        if (card == null) {
            card = card(p, "source", true);
        }
        StripeIdempotency.executing(req);
        PaymentsEngine.Result r = engine.invoices().pay(origin(req), req.pathParam("id"), card, outOfBand);
        return r.declineError() != null ? r.toResponse() : ok(r.object(), p);
    }

    private ApiResponse invoiceLines(ApiRequest req) {
        StripeParams p = params(req.query()).allow(Set.of("limit", "starting_after", "ending_before"));
        Long limit = p.integer("limit");
        if (limit != null && (limit < 1 || limit > 100)) {
            throw StripeErrors.invalid("parameter_invalid_integer", limit < 1
                    ? "This value must be greater than or equal to 1." : "This value must be less than or equal to 100.",
                    "limit");
        }
        return ApiResponse.ok(engine.invoices().lines(req.pathParam("id"), limit == null ? 10 : limit.intValue(),
                p.nullableString("starting_after"), p.nullableString("ending_before")));
    }

    private ApiResponse listInvoices(ApiRequest req) {
        return list(req, "invoice", "/v1/invoices", Set.of("customer", "status", "collection_method", "subscription",
                "due_date"), p -> {
                    String status = p.oneOf("status", Set.of("draft", "open", "paid", "uncollectible", "void"));
                    Predicate<ObjectNode> f = equalsIfGiven(p, "customer", "customer")
                            .and(equalsIfGiven(p, "collection_method", "collection_method"))
                            .and(equalsIfGiven(p, "subscription", "subscription"));
                    return status == null ? f : f.and(o -> status.equals(o.path("status").asText()));
                });
    }

    private ApiResponse createInvoiceItem(ApiRequest req) {
        StripeParams p = params(req.form()).allow(Set.of("customer", "amount", "currency", "description", "invoice",
                "metadata", "quantity", "unit_amount", "period", "price", "discountable", "tax_rates", "subscription",
                "discounts", "unit_amount_decimal", "tax_behavior", "tax_code", "price_data"));
        String customer = p.requiredString("customer");
        Long quantity = p.integer("quantity");
        long qty = quantity == null ? 1 : quantity;
        if (qty < 1) {
            throw StripeErrors.invalid("parameter_invalid_integer", "This value must be greater than or equal to 1.",
                    "quantity");
        }
        Long amount = p.amount("amount", false);
        Long unit = p.amount("unit_amount", false);
        if (amount == null && unit == null) {
            throw StripeErrors.missingParam("amount");
        }
        long total = amount != null ? amount : unit * qty;
        Invoices.ItemInput in = new Invoices.ItemInput(customer, total, qty, p.currency("currency", false),
                p.nullableString("description"), p.nullableString("invoice"), p.metadata("metadata"));
        StripeIdempotency.executing(req);
        return ok(engine.invoices().createItem(origin(req), in), p);
    }

    private ApiResponse listInvoiceItems(ApiRequest req) {
        return list(req, "invoiceitem", "/v1/invoiceitems", Set.of("customer", "invoice", "pending"), p -> {
            Boolean pending = p.bool("pending");
            Predicate<ObjectNode> f = equalsIfGiven(p, "customer", "customer").and(equalsIfGiven(p, "invoice",
                    "invoice"));
            return pending == null ? f : f.and(o -> pending == o.path("invoice").isNull());
        });
    }

    // ------------------------------------------------------------------ events

    private ApiResponse listEvents(ApiRequest req) {
        return list(req, "event", "/v1/events", Set.of("type", "types", "delivery_success"), p -> {
            String type = p.nullableString("type");
            List<String> types = p.strings("types");
            if (type != null && !types.isEmpty()) {
                throw StripeErrors.invalid(null, "You may only specify one of these parameters: type, types.",
                        "types");
            }
            if (types.size() > 20) {
                throw StripeErrors.invalid(null, "You may pass up to 20 event types in types.", "types");
            }
            p.bool("delivery_success");
            if (type != null) {
                return eventType(type);
            }
            if (!types.isEmpty()) {
                Set<String> set = Set.copyOf(types);
                return o -> set.contains(o.path("type").asText());
            }
            return o -> true;
        });
    }

    /** Matches an event type, with Stripe's trailing wildcard ({@code charge.*}). */
    private static Predicate<ObjectNode> eventType(String type) {
        if (type.endsWith(".*")) {
            String prefix = type.substring(0, type.length() - 1);
            return o -> o.path("type").asText().startsWith(prefix);
        }
        if (type.equals("*")) {
            return o -> true;
        }
        return o -> type.equals(o.path("type").asText());
    }

    // ------------------------------------------------------------------ webhook endpoints

    private static List<String> enabledEvents(StripeParams p) {
        List<String> events = p.strings("enabled_events");
        if (events.isEmpty()) {
            throw StripeErrors.missingParam("enabled_events");
        }
        for (int i = 0; i < events.size(); i++) {
            if (!EVENT_TYPE.matcher(events.get(i)).matches()) {
                throw StripeErrors.invalid(null, "Invalid enabled_events[" + i + "]: " + events.get(i),
                        "enabled_events[" + i + "]");
            }
        }
        return events;
    }

    static String validUrl(String url, String param) {
        try {
            URI u = new URI(url);
            if (!u.isAbsolute() || u.getHost() == null
                    || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
                throw new URISyntaxException(url, "not an absolute http(s) URL");
            }
            return url;
        } catch (URISyntaxException e) {
            throw StripeErrors.invalid("url_invalid", "Invalid URL: " + url + ". URLs must be absolute and begin "
                    + "with 'http://' or 'https://'.", param);
        }
    }

    private ApiResponse createWebhookEndpoint(ApiRequest req) {
        StripeParams p = params(req.form()).allow(Set.of("url", "enabled_events", "description", "metadata",
                "api_version", "connect"));
        String url = validUrl(p.requiredString("url"), "url");
        List<String> events = enabledEvents(p);
        StripeIdempotency.executing(req);
        return ok(engine.webhookEndpoints().create(origin(req), url, events, p.nullableString("description"),
                p.metadata("metadata")), p);
    }

    private ApiResponse updateWebhookEndpoint(ApiRequest req) {
        StripeParams p = params(req.form()).allow(Set.of("url", "enabled_events", "description", "metadata",
                "disabled"));
        Map<String, JsonNode> set = new LinkedHashMap<>();
        if (p.has("url")) {
            set.put("url", TextNode.valueOf(validUrl(p.requiredString("url"), "url")));
        }
        if (p.has("enabled_events")) {
            ArrayNode arr = Json.MAPPER.createArrayNode();
            enabledEvents(p).forEach(arr::add);
            set.put("enabled_events", arr);
        }
        if (p.has("description")) {
            String d = p.nullableString("description");
            set.put("description", d == null ? NullNode.instance : TextNode.valueOf(d));
        }
        if (p.has("disabled")) {
            set.put("status", TextNode.valueOf(Boolean.TRUE.equals(p.bool("disabled")) ? "disabled" : "enabled"));
        }
        PaymentsEngine.Patch patch = PaymentsEngine.Patch.of(set, p.metadata("metadata"));
        StripeIdempotency.executing(req);
        return ok(engine.webhookEndpoints().update(req.pathParam("id"), patch), p);
    }
}
