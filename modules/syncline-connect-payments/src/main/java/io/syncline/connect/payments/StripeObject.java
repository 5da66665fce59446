package io.syncline.connect.payments;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Stripe object types the payments connector syncs: each with its list endpoint and the event types whose
 * {@code data.object} is an object of that type (Stripe's documented types; {@code invoice.upcoming} is left out
 * because an upcoming invoice has no id).
 */
public enum StripeObject {
    CUSTOMER("customer", "/v1/customers",
            "customer.created", "customer.updated", "customer.deleted"),
    CHARGE("charge", "/v1/charges",
            "charge.captured", "charge.expired", "charge.failed", "charge.pending", "charge.refunded",
            "charge.succeeded", "charge.updated"),
    PAYMENT_INTENT("payment_intent", "/v1/payment_intents",
            "payment_intent.amount_capturable_updated", "payment_intent.canceled", "payment_intent.created",
            "payment_intent.partially_funded", "payment_intent.payment_failed", "payment_intent.processing",
            "payment_intent.requires_action", "payment_intent.succeeded"),
    INVOICE("invoice", "/v1/invoices",
            "invoice.created", "invoice.deleted", "invoice.finalization_failed", "invoice.finalized",
            "invoice.marked_uncollectible", "invoice.overdue", "invoice.paid", "invoice.payment_action_required",
            "invoice.payment_failed", "invoice.payment_succeeded", "invoice.sent", "invoice.updated",
            "invoice.voided", "invoice.will_be_due"),
    REFUND("refund", "/v1/refunds",
            "refund.created", "refund.failed", "refund.updated", "charge.refund.updated");

    private final String apiName;
    private final String listPath;
    private final List<String> eventTypes;

    StripeObject(String apiName, String listPath, String... eventTypes) {
        this.apiName = apiName;
        this.listPath = listPath;
        this.eventTypes = List.of(eventTypes);
        // GET /v1/events accepts at most 20 types[] values.
        if (eventTypes.length > 20) {
            throw new IllegalStateException(apiName + " has more than 20 event types");
        }
    }

    /** Stripe's name of the type, the {@code object} field of its JSON, e.g. {@code payment_intent}. */
    public String apiName() {
        return apiName;
    }

    /** The list endpoint, e.g. {@code /v1/payment_intents}. */
    public String listPath() {
        return listPath;
    }

    /** The event types that carry this object, for {@code GET /v1/events?types[]=...}. */
    public List<String> eventTypes() {
        return eventTypes;
    }

    /** The type named {@code apiName} (as in {@code stripe.objects}), if it is one the connector syncs. */
    public static Optional<StripeObject> fromApiName(String apiName) {
        String wanted = apiName.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(o -> o.apiName.equals(wanted)).findFirst();
    }

    /** Every supported name, comma-separated, in declaration order. */
    public static String allApiNames() {
        return Arrays.stream(values()).map(StripeObject::apiName).collect(Collectors.joining(","));
    }
}
