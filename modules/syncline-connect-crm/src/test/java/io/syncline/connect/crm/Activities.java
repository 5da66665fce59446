package io.syncline.connect.crm;

import java.util.List;

import io.syncline.schemas.common.ChangeMetadata;
import io.syncline.schemas.common.Money;
import io.syncline.schemas.finance.Customer;
import io.syncline.schemas.finance.CustomerActivity;
import io.syncline.schemas.finance.Payment;

/** Customer-activity records as the normalizer's join writes them, for sink tests. */
final class Activities {

    private Activities() {
    }

    /**
     * Revision {@code revision} of a payer: its customer (null for a guest), newest payment (or null) and lifetime
     * value in the newest payment's currency; the metadata is the triggering change's (the payment's, else the
     * customer's).
     */
    static CustomerActivity of(String id, long revision, Customer customer, Payment newest, long lifetimeValue,
            String email) {
        ChangeMetadata trigger = newest != null ? newest.getMetadata() : customer.getMetadata();
        String currency = newest == null || newest.getAmount() == null ? null : newest.getAmount().getCurrency();
        return CustomerActivity.newBuilder()
                .setId(id)
                .setMetadata(trigger)
                .setRevision(revision)
                .setEmail(email)
                .setCustomer(customer)
                .setNewestPayment(newest)
                .setLifetimeValue(currency == null ? List.of() : List.of(new Money(lifetimeValue, currency)))
                .setNewestCurrencyLifetimeValue(currency == null ? null : new Money(lifetimeValue, currency))
                .setPaymentCount(newest == null ? 0L : 1L)
                .setSucceededPaymentCount(newest == null ? 0L : 1L)
                .setFailedPaymentCount(0L)
                .setRefundedPaymentCount(0L)
                .build();
    }
}
