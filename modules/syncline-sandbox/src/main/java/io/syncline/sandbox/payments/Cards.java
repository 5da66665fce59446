package io.syncline.sandbox.payments;

import java.util.Map;

/**
 * Stripe's documented test payment methods and tokens, and what a payment with each one does. Unknown
 * {@code pm_card_*}/{@code tok_*} names are rejected like a missing PaymentMethod.
 */
final class Cards {

    /** A test card and its outcome; {@code failureCode} is null for cards that pay. */
    record Card(String brand, String last4, String funding, String failureCode, String declineCode,
                String message) {
        boolean succeeds() {
            return failureCode == null;
        }
    }

    static final Card VISA = new Card("visa", "4242", "credit", null, null, null);

    private static final Map<String, Card> BY_NAME = Map.ofEntries(
            Map.entry("visa", VISA),
            Map.entry("visa_debit", new Card("visa", "5556", "debit", null, null, null)),
            Map.entry("mastercard", new Card("mastercard", "4444", "credit", null, null, null)),
            Map.entry("amex", new Card("amex", "8431", "credit", null, null, null)),
            Map.entry("chargeDeclined", new Card("visa", "0002", "credit", "card_declined", "generic_decline",
                    "Your card was declined.")),
            Map.entry("chargeDeclinedInsufficientFunds", new Card("visa", "9995", "credit", "card_declined",
                    "insufficient_funds", "Your card has insufficient funds.")),
            Map.entry("chargeDeclinedFraudulent", new Card("visa", "0019", "credit", "card_declined", "fraudulent",
                    "Your card was declined.")),
            Map.entry("chargeDeclinedExpiredCard", new Card("visa", "0069", "credit", "expired_card", "expired_card",
                    "Your card has expired.")),
            Map.entry("chargeDeclinedIncorrectCvc", new Card("visa", "0127", "credit", "incorrect_cvc",
                    "incorrect_cvc", "Your card's security code is incorrect.")),
            Map.entry("chargeDeclinedProcessingError", new Card("visa", "0119", "credit", "processing_error",
                    "processing_error", "An error occurred while processing your card. Try again in a little bit.")));

    private Cards() {
    }

    /** The card behind {@code pm_card_<name>} or {@code tok_<name>}, or null when it is not a known test card. */
    static Card lookup(String paymentMethodOrToken) {
        if (paymentMethodOrToken == null) {
            return null;
        }
        String name;
        if (paymentMethodOrToken.startsWith("pm_card_")) {
            name = paymentMethodOrToken.substring(8);
        } else if (paymentMethodOrToken.startsWith("tok_")) {
            name = paymentMethodOrToken.substring(4);
        } else {
            return null;
        }
        return BY_NAME.get(name);
    }

    static Card declined(String declineCode) {
        return switch (declineCode) {
            case "insufficient_funds" -> BY_NAME.get("chargeDeclinedInsufficientFunds");
            case "expired_card" -> BY_NAME.get("chargeDeclinedExpiredCard");
            case "incorrect_cvc" -> BY_NAME.get("chargeDeclinedIncorrectCvc");
            case "processing_error" -> BY_NAME.get("chargeDeclinedProcessingError");
            default -> BY_NAME.get("chargeDeclined");
        };
    }
}
