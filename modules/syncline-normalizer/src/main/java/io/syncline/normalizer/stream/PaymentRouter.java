package io.syncline.normalizer.stream;

import java.util.Locale;

import io.syncline.schemas.common.Operation;
import io.syncline.schemas.finance.Payment;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * First step of the customer-activity join: gives each canonical payment its payer's key (the customer's canonical
 * id, or a guest key built from the billing e-mail) so that the repartition topic brings it to the task that holds
 * the payer's state. Changes that describe no payment of a payer are counted as deliberate skips: tombstones and
 * DELETEs, payment intents (their charges are the payments), and guest payments with neither customer nor e-mail.
 * A record that cannot be decoded travels on unchanged and is dead-lettered by the next step, which has the sink.
 */
final class PaymentRouter implements Processor<String, byte[], String, byte[]> {

    /**
     * Marks the key of a record the router could not decode, so that the next step dead-letters it: the key becomes
     * {@code <prefix><partition>:<offset>\u0000<original key>}, where it was in the payment topic.
     */
    static final String UNDECODABLE_PREFIX = "\u0000undecodable\u0000";

    private final CustomerActivityTopology.Settings settings;
    private ProcessorContext<String, byte[]> context;
    private CanonicalDecoder decoder;

    PaymentRouter(CustomerActivityTopology.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.decoder = new CanonicalDecoder(settings.serdeConfig());
    }

    @Override
    public void process(Record<String, byte[]> record) {
        NormalizerMetrics metrics = settings.metrics();
        if (record.value() == null) {
            metrics.activitySkipped("tombstone"); // follows a DELETE, which was counted already
            return;
        }
        Object decoded;
        try {
            decoded = decoder.decode(settings.paymentTopic(), record.value());
        } catch (SerializationException e) {
            decoded = null;
        }
        if (!(decoded instanceof Payment payment)) {
            RecordMetadata md = context.recordMetadata().orElseThrow();
            context.forward(record.withKey(UNDECODABLE_PREFIX + md.partition() + ":" + md.offset() + "\u0000"
                    + record.key()));
            return;
        }
        if (payment.getMetadata().getOperation() == Operation.DELETE) {
            // Providers do not delete payments (Stripe cannot); a DELETE leaves the payer's figures as they were.
            metrics.activitySkipped("payment-delete");
            return;
        }
        if (payment.getId().equals(payment.getPaymentIntentId())) {
            metrics.activitySkipped("payment-intent");
            return;
        }
        String payer = payerKey(payment);
        if (payer == null) {
            metrics.activitySkipped("no-payer");
            return;
        }
        context.forward(record.withKey(payer));
    }

    /**
     * The payer of a payment: its customer's canonical id; without a customer, {@code <system>:guest:<e-mail>} from
     * the billing e-mail (trimmed, lower-cased); null when it has neither.
     */
    static String payerKey(Payment payment) {
        if (payment.getCustomerId() != null && !payment.getCustomerId().isBlank()) {
            return payment.getCustomerId();
        }
        String email = normalizedEmail(payment.getBillingEmail());
        return email == null ? null : payment.getMetadata().getSourceSystem() + ":guest:" + email;
    }

    /** An e-mail as targets match it: trimmed and lower-cased; null when empty. */
    static String normalizedEmail(String email) {
        if (email == null) {
            return null;
        }
        String e = email.trim().toLowerCase(Locale.ROOT);
        return e.isEmpty() ? null : e;
    }

    @Override
    public void close() {
        if (decoder != null) {
            decoder.close();
        }
    }
}
