package io.syncline.normalizer.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.syncline.schemas.common.Money;
import io.syncline.schemas.finance.Payment;
import io.syncline.schemas.finance.PaymentStatus;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What one payment adds to its payer's activity, as of the payment's latest version: its part of the lifetime value
 * and which counts it is in. The join keeps one per payment (store {@code customer-activity-payments}), so a later
 * version replaces the earlier contribution instead of adding to it: a refund lowers the lifetime value once, and a
 * redelivered change adds nothing.
 *
 * @param currency ISO-4217 code of {@code value}, or null when the payment names no currency
 * @param value minor units counted in the lifetime value: captured minus refunded while SUCCEEDED, else 0
 * @param succeeded the latest status is SUCCEEDED
 * @param failed the latest status is FAILED
 * @param refunded some amount was refunded
 */
record PaymentContribution(String currency, long value, boolean succeeded, boolean failed, boolean refunded) {

    private static final byte FORMAT = 1;
    private static final int SUCCEEDED = 1;
    private static final int FAILED = 2;
    private static final int REFUNDED = 4;

    /** The contribution of a payment's version (docs: finance.CustomerActivity, lifetime_value). */
    static PaymentContribution of(Payment p) {
        PaymentStatus status = p.getStatus();
        boolean succeeded = status == PaymentStatus.SUCCEEDED;
        long refunded = p.getAmountRefunded() == null ? 0 : p.getAmountRefunded().getAmount();
        long captured;
        if (p.getAmountCaptured() != null) {
            captured = p.getAmountCaptured().getAmount();
        } else if (Boolean.FALSE.equals(p.getCaptured()) || p.getAmount() == null) {
            captured = 0; // authorized only: nothing was paid yet
        } else {
            captured = p.getAmount().getAmount();
        }
        String currency = currency(p.getAmountCaptured(), p.getAmount(), p.getAmountRefunded());
        long value = succeeded && currency != null ? Math.max(0, captured - refunded) : 0;
        return new PaymentContribution(currency, value, succeeded, status == PaymentStatus.FAILED, refunded > 0);
    }

    private static String currency(Money... amounts) {
        for (Money m : amounts) {
            if (m != null && m.getCurrency() != null && !m.getCurrency().isEmpty()) {
                return m.getCurrency();
            }
        }
        return null;
    }

    /** The store's value serde: a format byte, a flags byte, the value as 8 bytes, then the currency's UTF-8. */
    static Serde<PaymentContribution> serde() {
        return Serdes.serdeFrom(SERIALIZER, DESERIALIZER);
    }

    private static final Serializer<PaymentContribution> SERIALIZER = (topic, c) -> {
        if (c == null) {
            return null;
        }
        byte[] currency = c.currency == null ? new byte[0] : c.currency.getBytes(StandardCharsets.UTF_8);
        int flags = (c.succeeded ? SUCCEEDED : 0) | (c.failed ? FAILED : 0) | (c.refunded ? REFUNDED : 0);
        return ByteBuffer.allocate(2 + Long.BYTES + currency.length).put(FORMAT).put((byte) flags).putLong(c.value)
                .put(currency).array();
    };

    private static final Deserializer<PaymentContribution> DESERIALIZER = (topic, bytes) -> {
        if (bytes == null) {
            return null;
        }
        if (bytes.length < 2 + Long.BYTES || bytes[0] != FORMAT) {
            throw new SerializationException("a payment contribution is format " + FORMAT + " and at least "
                    + (2 + Long.BYTES) + " bytes; got " + bytes.length + " bytes"
                    + (bytes.length > 0 ? " of format " + bytes[0] : ""));
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        buf.get();
        int flags = buf.get();
        long value = buf.getLong();
        String currency = buf.hasRemaining()
                ? new String(bytes, buf.position(), buf.remaining(), StandardCharsets.UTF_8) : null;
        return new PaymentContribution(currency, value, (flags & SUCCEEDED) != 0, (flags & FAILED) != 0,
                (flags & REFUNDED) != 0);
    };
}
