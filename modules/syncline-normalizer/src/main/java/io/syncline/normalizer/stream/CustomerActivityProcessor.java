package io.syncline.normalizer.stream;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import io.syncline.registry.serde.KafkaAvroSerializer;
import io.syncline.schemas.common.ChangeMetadata;
import io.syncline.schemas.common.Money;
import io.syncline.schemas.common.Operation;
import io.syncline.schemas.finance.Customer;
import io.syncline.schemas.finance.CustomerActivity;
import io.syncline.schemas.finance.Payment;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The customer-activity join's state and output, per payer (docs/normalizer.md, Customer activity).
 *
 * <p>A payment change replaces the payment's earlier {@link PaymentContribution} (so the lifetime value and the
 * counts take every payment once, in its latest version) and becomes the newest payment when it orders after the
 * current one by {@link #NEWEST} ({@code created_at}, then id: fixed per payment and unique, so the order cannot tie
 * and cannot invert). A customer change replaces the customer. After either, the payer's record is written with the
 * next revision, unless nothing a reader sees changed. A payment whose customer is not known yet is applied to the
 * state at once but written only when the customer arrives; until then it is counted as waiting. Everything happens
 * in the task's exactly-once transaction: the stores, the revision and the output move together.
 */
final class CustomerActivityProcessor implements Processor<String, byte[], String, byte[]> {

    /** The order that decides the newest payment: created_at (absent first), then canonical id. */
    static final Comparator<Payment> NEWEST = Comparator
            .comparing(Payment::getCreatedAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
            .thenComparing(Payment::getId);

    private static final String SEPARATOR = "\u0000";

    private final CustomerActivityTopology.Settings settings;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> activities;
    private KeyValueStore<String, PaymentContribution> payments;
    private KeyValueStore<String, Long> waiting;
    private CanonicalDecoder decoder;
    private KafkaAvroSerializer serializer;
    private long waitingHere;

    CustomerActivityProcessor(CustomerActivityTopology.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.activities = context.getStateStore(CustomerActivityTopology.ACTIVITY_STORE);
        this.payments = context.getStateStore(CustomerActivityTopology.PAYMENTS_STORE);
        this.waiting = context.getStateStore(CustomerActivityTopology.WAITING_STORE);
        this.decoder = new CanonicalDecoder(settings.serdeConfig());
        this.serializer = new KafkaAvroSerializer();
        this.serializer.configure(settings.serdeConfig(), false);
        // The waiting store holds only payers that wait, so counting it at start is cheap; it makes the gauge
        // right after a restart or a rebalance, not only for what this process saw.
        try (KeyValueIterator<String, Long> all = waiting.all()) {
            while (all.hasNext()) {
                waitingHere += all.next().value;
            }
        }
        settings.metrics().activityWaitingAdjust(waitingHere);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        NormalizerMetrics metrics = settings.metrics();
        RecordMetadata md = context.recordMetadata().orElseThrow();
        if (record.key() != null && record.key().startsWith(PaymentRouter.UNDECODABLE_PREFIX)) {
            String rest = record.key().substring(PaymentRouter.UNDECODABLE_PREFIX.length());
            int split = rest.indexOf('\u0000');
            String[] where = rest.substring(0, split).split(":");
            deadLetter(record.withKey(rest.substring(split + 1)), settings.paymentTopic(), Integer.parseInt(where[0]),
                    Long.parseLong(where[1]), "not a canonical finance.Payment written with a registered schema");
            return;
        }
        if (record.value() == null) {
            metrics.activitySkipped("tombstone"); // a customer's tombstone follows its DELETE, handled already
            return;
        }
        if (record.key() == null) {
            deadLetter(record, md.topic(), md.partition(), md.offset(),
                    "a canonical record without a key: its payer is unknown");
            return;
        }
        String topic = md.topic().equals(settings.customerTopic()) ? settings.customerTopic() : settings.paymentTopic();
        Object decoded;
        try {
            decoded = decoder.decode(topic, record.value());
        } catch (SerializationException e) {
            deadLetter(record, topic, md.partition(), md.offset(), e.getMessage());
            return;
        }
        if (decoded instanceof Customer customer) {
            customer(record, customer);
        } else if (decoded instanceof Payment payment) {
            payment(record, payment);
        } else {
            deadLetter(record, topic, md.partition(), md.offset(),
                    "expected a canonical finance.Customer or finance.Payment, got " + (decoded == null ? "null" : decoded.getClass().getName()));
        }
    }

    private void customer(Record<String, byte[]> record, Customer customer) {
        NormalizerMetrics metrics = settings.metrics();
        String key = record.key();
        CustomerActivity before = load(key);
        CustomerActivity state = before != null ? copy(before) : fresh(key, customer.getMetadata());
        if (customer.getMetadata().getOperation() == Operation.DELETE) {
            deleted(record, state, before, customer);
            return;
        }
        if (isDeleted(before)) {
            // A version older than the DELETE that overtook nothing upstream cannot arrive (the normalizer drops
            // stale versions); a new customer under a deleted id is a new payer.
            state = fresh(key, customer.getMetadata());
            clearPayments(key);
        }
        state.setCustomer(customer);
        state.setEmail(email(state));
        long released = release(key);
        if (released == 0 && before != null && before.getCustomer() != null && sameContent(before, state)) {
            metrics.activitySkipped("unchanged");
            return;
        }
        write(record, state, customer.getMetadata(), "customer");
    }

    private void deleted(Record<String, byte[]> record, CustomerActivity state, CustomerActivity before,
            Customer delete) {
        NormalizerMetrics metrics = settings.metrics();
        long released = release(record.key());
        if (released > 0) {
            // Their customer is gone before it was ever seen: nothing to write them to.
            metrics.activitySkipped("customer-deleted");
        }
        boolean wasWritten = before != null && before.getCustomer() != null && !isDeleted(before);
        if (wasWritten) {
            // Subscribers see the DELETE with the payer's last figures, then a tombstone lets compaction drop the key.
            write(record, state, delete.getMetadata(), "customer");
            context.forward(new Record<>(record.key(), (byte[]) null, record.timestamp(), record.headers()));
        } else {
            metrics.activitySkipped("customer-deleted");
        }
        // Kept as a marker, so that late changes of the customer's payments update its figures quietly instead of
        // waiting for a customer that will never come.
        CustomerActivity marker = load(record.key());
        marker = marker != null ? copy(marker) : state;
        marker.setCustomer(delete);
        activities.put(record.key(), encode(marker));
    }

    private void payment(Record<String, byte[]> record, Payment payment) {
        NormalizerMetrics metrics = settings.metrics();
        String key = record.key();
        CustomerActivity before = load(key);
        CustomerActivity state = before != null ? copy(before) : fresh(key, payment.getMetadata());
        apply(state, key, payment);
        state.setEmail(email(state));
        boolean guest = payment.getCustomerId() == null || payment.getCustomerId().isBlank();
        if (isDeleted(state)) {
            activities.put(key, encode(state));
            metrics.activitySkipped("customer-deleted");
            return;
        }
        if (!guest && state.getCustomer() == null) {
            state.setMetadata(payment.getMetadata());
            activities.put(key, encode(state));
            Long n = waiting.get(key);
            waiting.put(key, n == null ? 1 : n + 1);
            waitingHere++;
            metrics.activityWaited();
            return;
        }
        if (before != null && sameContent(before, state)) {
            activities.put(key, encode(withRevisionOf(state, before)));
            metrics.activitySkipped("unchanged");
            return;
        }
        write(record, state, payment.getMetadata(), "payment");
    }

    /** Replaces the payment's contribution and, when it is (still) the newest, the newest payment. */
    private void apply(CustomerActivity state, String key, Payment payment) {
        String slot = key + SEPARATOR + payment.getId();
        PaymentContribution was = payments.get(slot);
        PaymentContribution now = PaymentContribution.of(payment);
        Map<String, Long> ltv = new TreeMap<>();
        for (Money m : state.getLifetimeValue()) {
            ltv.put(m.getCurrency(), m.getAmount());
        }
        if (was == null) {
            state.setPaymentCount(state.getPaymentCount() + 1);
        } else {
            if (was.currency() != null && ltv.containsKey(was.currency())) {
                ltv.put(was.currency(), ltv.get(was.currency()) - was.value());
            }
        }
        if (now.currency() != null && (now.succeeded() || ltv.containsKey(now.currency()))) {
            ltv.merge(now.currency(), now.value(), Long::sum);
        }
        state.setSucceededPaymentCount(state.getSucceededPaymentCount() + flag(now.succeeded()) - flag(was != null
                && was.succeeded()));
        state.setFailedPaymentCount(state.getFailedPaymentCount() + flag(now.failed()) - flag(was != null
                && was.failed()));
        state.setRefundedPaymentCount(state.getRefundedPaymentCount() + flag(now.refunded()) - flag(was != null
                && was.refunded()));
        List<Money> list = new ArrayList<>(ltv.size());
        ltv.forEach((currency, amount) -> list.add(new Money(amount, currency)));
        state.setLifetimeValue(list);
        payments.put(slot, now);
        Payment newest = state.getNewestPayment();
        if (newest == null || newest.getId().equals(payment.getId()) || NEWEST.compare(payment, newest) > 0) {
            state.setNewestPayment(payment);
        }
        String currency = PaymentContribution.of(state.getNewestPayment()).currency();
        state.setNewestCurrencyLifetimeValue(currency == null ? null
                : new Money(ltv.getOrDefault(currency, 0L), currency));
    }

    private static long flag(boolean b) {
        return b ? 1 : 0;
    }

    /** Releases the payer's waiting payments (they are in the state already); returns how many there were. */
    private long release(String key) {
        Long n = waiting.get(key);
        if (n == null) {
            return 0;
        }
        waiting.delete(key);
        waitingHere -= n;
        settings.metrics().activityReleased(n);
        return n;
    }

    /** Forgets the contributions of a payer's payments (a deleted customer's id used again). */
    private void clearPayments(String key) {
        List<String> slots = new ArrayList<>();
        try (KeyValueIterator<String, PaymentContribution> it = payments.prefixScan(key + SEPARATOR,
                new org.apache.kafka.common.serialization.StringSerializer())) {
            while (it.hasNext()) {
                slots.add(it.next().key);
            }
        }
        slots.forEach(payments::delete);
    }

    private void write(Record<String, byte[]> record, CustomerActivity state, ChangeMetadata trigger, String kind) {
        state.setMetadata(trigger);
        state.setRevision(state.getRevision() + 1);
        byte[] bytes = encode(state);
        activities.put(record.key(), bytes);
        context.forward(new Record<>(record.key(), bytes, record.timestamp(), record.headers()));
        settings.metrics().activityWritten(kind);
    }

    private CustomerActivity load(String key) {
        byte[] bytes = activities.get(key);
        return bytes == null ? null : (CustomerActivity) decoder.decode(settings.activityTopic(), bytes);
    }

    private byte[] encode(CustomerActivity state) {
        // The stored state is the record as written to the topic, with the same registered schema, so that an
        // upgrade that evolves the schema still reads the state an older version stored.
        return serializer.serialize(settings.activityTopic(), state);
    }

    private static CustomerActivity fresh(String key, ChangeMetadata metadata) {
        return CustomerActivity.newBuilder().setId(key).setMetadata(metadata).setRevision(0L).setPaymentCount(0L)
                .setSucceededPaymentCount(0L).setFailedPaymentCount(0L).setRefundedPaymentCount(0L)
                .setLifetimeValue(List.of()).build();
    }

    private static CustomerActivity copy(CustomerActivity a) {
        return CustomerActivity.newBuilder(a).build();
    }

    private static CustomerActivity withRevisionOf(CustomerActivity state, CustomerActivity before) {
        state.setMetadata(before.getMetadata());
        state.setRevision(before.getRevision());
        return state;
    }

    private static boolean isDeleted(CustomerActivity a) {
        return a != null && a.getCustomer() != null
                && a.getCustomer().getMetadata().getOperation() == Operation.DELETE;
    }

    /** The e-mail to match the payer on: the customer's, else the newest payment's billing e-mail. */
    private static String email(CustomerActivity a) {
        String email = a.getCustomer() == null ? null : PaymentRouter.normalizedEmail(a.getCustomer().getEmail());
        if (email == null && a.getNewestPayment() != null) {
            email = PaymentRouter.normalizedEmail(a.getNewestPayment().getBillingEmail());
        }
        return email;
    }

    /**
     * Whether a reader would see the same payer: everything but the change metadata (the record's own and the
     * customer's and payment's), which changes with every event even when nothing else does.
     */
    static boolean sameContent(CustomerActivity a, CustomerActivity b) {
        return Objects.equals(a.getEmail(), b.getEmail())
                && Objects.equals(a.getPaymentCount(), b.getPaymentCount())
                && Objects.equals(a.getSucceededPaymentCount(), b.getSucceededPaymentCount())
                && Objects.equals(a.getFailedPaymentCount(), b.getFailedPaymentCount())
                && Objects.equals(a.getRefundedPaymentCount(), b.getRefundedPaymentCount())
                && Objects.equals(a.getLifetimeValue(), b.getLifetimeValue())
                && Objects.equals(a.getNewestCurrencyLifetimeValue(), b.getNewestCurrencyLifetimeValue())
                && Objects.equals(withoutMetadata(a.getCustomer()), withoutMetadata(b.getCustomer()))
                && Objects.equals(withoutMetadata(a.getNewestPayment()), withoutMetadata(b.getNewestPayment()));
    }

    private static final ChangeMetadata NO_METADATA = ChangeMetadata.newBuilder().setSourceSystem("")
            .setSourceObjectType("").setSourceId("").setOperation(Operation.UPSERT).setIngestedAt(Instant.EPOCH)
            .setEventId("").build();

    private static Customer withoutMetadata(Customer c) {
        return c == null ? null : Customer.newBuilder(c).setMetadata(NO_METADATA).build();
    }

    private static Payment withoutMetadata(Payment p) {
        return p == null ? null : Payment.newBuilder(p).setMetadata(NO_METADATA).build();
    }

    private void deadLetter(Record<String, byte[]> record, String topic, int partition, long offset,
            String message) {
        Headers headers = new RecordHeaders();
        record.headers().forEach(h -> {
            if (!DeadLetterHeaders.ERROR_HEADERS.contains(h.key())) {
                headers.add(h);
            }
        });
        put(headers, DeadLetterHeaders.ERROR_CLASS, SerializationException.class.getName());
        put(headers, DeadLetterHeaders.ERROR_MESSAGE, "customer activity: " + message);
        put(headers, DeadLetterHeaders.ERROR_REASON, "activity");
        put(headers, DeadLetterHeaders.ERROR_STAGE, DeadLetterHeaders.STAGE);
        put(headers, DeadLetterHeaders.SOURCE_TOPIC, topic);
        put(headers, DeadLetterHeaders.SOURCE_PARTITION, String.valueOf(partition));
        put(headers, DeadLetterHeaders.SOURCE_OFFSET, String.valueOf(offset));
        if (headers.lastHeader(DeadLetterHeaders.FIRST_SEEN) == null) {
            put(headers, DeadLetterHeaders.FIRST_SEEN, Instant.now().toString());
        }
        if (headers.lastHeader(DeadLetterHeaders.ATTEMPT) == null) {
            put(headers, DeadLetterHeaders.ATTEMPT, "1");
        }
        context.forward(new Record<>(record.key(), record.value(), record.timestamp(), headers));
        settings.metrics().deadLettered(CustomerActivityTopology.PROCESSOR, topic, "activity");
    }

    private static void put(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        settings.metrics().activityWaitingAdjust(-waitingHere);
        waitingHere = 0;
        if (decoder != null) {
            decoder.close();
        }
        if (serializer != null) {
            serializer.close();
        }
    }
}
