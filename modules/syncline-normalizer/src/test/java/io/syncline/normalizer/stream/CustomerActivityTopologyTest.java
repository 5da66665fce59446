package io.syncline.normalizer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.syncline.normalizer.mapping.MappingSet;
import io.syncline.normalizer.mapping.TargetCatalog;
import io.syncline.schemas.common.Money;
import io.syncline.schemas.common.Operation;
import io.syncline.schemas.finance.CustomerActivity;
import io.syncline.schemas.finance.PaymentStatus;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The customer-activity join on a {@link TopologyTestDriver} behind the shipped Stripe mappings: raw Stripe events in,
 * {@code canonical.finance.customer-activity.v1} out, through the real normalizer, the repartition topic and the
 * stores.
 */
class CustomerActivityTopologyTest {

    private static final String ACTIVITY = CustomerActivityTopology.TOPIC;
    private static final long T0 = 1_717_000_000L;

    @TempDir
    Path stateDir;
    NormalizerDriver driver;
    private int events;

    @BeforeEach
    void start() {
        driver = new NormalizerDriver(MappingSet.load(StripeMappingTestSupport.MAPPINGS, TargetCatalog.canonical()),
                stateDir, true);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    // ------------------------------------------------------------------ Stripe events, as the gateway writes them

    private void customer(String type, String id, String email, long created) {
        String object = "{\"id\":\"" + id + "\",\"object\":\"customer\",\"email\":" + json(email)
                + ",\"name\":\"Ada Lovelace\",\"created\":" + T0 + ",\"livemode\":false,\"metadata\":{}}";
        if (type.equals("customer.deleted")) {
            object = "{\"id\":\"" + id + "\",\"object\":\"customer\",\"deleted\":true}";
        }
        event("customer", id, type, created, object);
    }

    private void charge(String type, String id, String customer, String email, String status, long amount,
            long refunded, String currency, long created, long eventCreated) {
        boolean ok = status.equals("succeeded");
        String object = "{\"id\":\"" + id + "\",\"object\":\"charge\",\"amount\":" + amount + ",\"amount_captured\":"
                + (ok ? amount : 0) + ",\"amount_refunded\":" + refunded + ",\"currency\":\"" + currency
                + "\",\"status\":\"" + status + "\",\"paid\":" + ok + ",\"captured\":" + ok + ",\"refunded\":"
                + (refunded == amount) + ",\"customer\":" + json(customer) + ",\"payment_intent\":\"pi_" + id
                + "\",\"failure_code\":" + (ok ? "null" : "\"card_declined\"") + ",\"created\":" + created
                + ",\"billing_details\":{\"email\":" + json(email) + "},\"livemode\":false,\"metadata\":{}}";
        event("charge", id, type, eventCreated, object);
    }

    private void event(String object, String id, String type, long created, String data) {
        events++;
        driver.pipe("raw.stripe." + object, id, "{\"id\":\"evt_" + events + "\",\"object\":\"event\",\"type\":\""
                + type + "\",\"created\":" + created + ",\"data\":{\"object\":" + data + "}}",
                "syncline.received-at", StripeMappingTestSupport.RECEIVED_AT);
    }

    private static String json(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }

    private List<CustomerActivity> activity() {
        return driver.specific(ACTIVITY).stream().map(o -> (CustomerActivity) o).toList();
    }

    private static Map<String, Long> ltv(CustomerActivity a) {
        return a.getLifetimeValue().stream().collect(java.util.stream.Collectors.toMap(Money::getCurrency,
                Money::getAmount));
    }

    private double metric(String name) {
        return driver.metrics().total(name);
    }

    // ------------------------------------------------------------------ tests

    @Test
    void aCustomerAndItsPaymentsBecomeOneRecordPerChangeWithRisingRevisions() {
        customer("customer.created", "cus_1", " Ada@Example.com ", T0);
        charge("charge.succeeded", "ch_1", "cus_1", null, "succeeded", 1999, 0, "usd", T0 + 10, T0 + 10);
        charge("charge.succeeded", "ch_2", "cus_1", null, "succeeded", 500, 0, "eur", T0 + 20, T0 + 20);

        List<CustomerActivity> out = activity();
        assertThat(out).extracting(CustomerActivity::getRevision).containsExactly(1L, 2L, 3L);
        CustomerActivity last = out.get(2);
        assertThat(last.getId()).isEqualTo("stripe:cus_1");
        assertThat(last.getEmail()).isEqualTo("ada@example.com");
        assertThat(last.getCustomer().getName()).isEqualTo("Ada Lovelace");
        assertThat(last.getNewestPayment().getId()).isEqualTo("stripe:ch_2");
        assertThat(ltv(last)).containsExactlyInAnyOrderEntriesOf(Map.of("USD", 1999L, "EUR", 500L));
        assertThat(last.getLifetimeValue()).extracting(Money::getCurrency).containsExactly("EUR", "USD");
        assertThat(last.getNewestCurrencyLifetimeValue()).isEqualTo(new Money(500L, "EUR"));
        assertThat(last.getPaymentCount()).isEqualTo(2);
        assertThat(last.getSucceededPaymentCount()).isEqualTo(2);
        // The record says which change produced it, with that change's ingest time and trace.
        assertThat(last.getMetadata().getSourceObjectType()).isEqualTo("charge");
        assertThat(last.getMetadata().getSourceId()).isEqualTo("ch_2");
        assertThat(last.getMetadata().getOperation()).isEqualTo(Operation.UPSERT);
        assertThat(metric("syncline.normalizer.activity.written")).isEqualTo(3);
    }

    @Test
    void aPaymentWhoseCustomerIsNotKnownYetWaitsInStateAndIsAppliedWhenTheCustomerArrives() {
        charge("charge.succeeded", "ch_1", "cus_late", null, "succeeded", 1000, 0, "usd", T0, T0);
        charge("charge.refunded", "ch_1", "cus_late", null, "succeeded", 1000, 400, "usd", T0, T0 + 5);

        assertThat(activity()).isEmpty();
        assertThat(driver.metrics().activityWaitingNow()).isEqualTo(2);
        assertThat(driver.deadLetters()).isEmpty();

        customer("customer.created", "cus_late", "late@example.com", T0 + 9);

        assertThat(activity()).singleElement().satisfies(a -> {
            assertThat(a.getRevision()).isEqualTo(1);
            assertThat(a.getEmail()).isEqualTo("late@example.com");
            assertThat(a.getNewestPayment().getAmountRefunded().getAmount()).isEqualTo(400);
            assertThat(ltv(a)).containsExactly(Map.entry("USD", 600L));
            assertThat(a.getPaymentCount()).isEqualTo(1);
            assertThat(a.getRefundedPaymentCount()).isEqualTo(1);
        });
        assertThat(driver.metrics().activityWaitingNow()).isZero();
        assertThat(metric("syncline.normalizer.activity.released")).isEqualTo(2);
    }

    @Test
    void aLaterVersionReplacesAPaymentsContributionSoTheLifetimeValueCountsEachPaymentOnce() {
        customer("customer.created", "cus_1", "ada@example.com", T0);
        charge("charge.succeeded", "ch_1", "cus_1", null, "succeeded", 1000, 0, "usd", T0, T0);
        charge("charge.refunded", "ch_1", "cus_1", null, "succeeded", 1000, 300, "usd", T0, T0 + 60);
        charge("charge.refunded", "ch_1", "cus_1", null, "succeeded", 1000, 1000, "usd", T0, T0 + 120);

        List<CustomerActivity> out = activity();
        assertThat(out).extracting(a -> ltv(a).get("USD")).containsExactly(null, 1000L, 700L, 0L);
        CustomerActivity last = out.get(out.size() - 1);
        assertThat(last.getPaymentCount()).isEqualTo(1);
        assertThat(last.getRefundedPaymentCount()).isEqualTo(1);
        assertThat(last.getLifetimeValue()).containsExactly(new Money(0L, "USD")); // a currency, once paid, stays
    }

    @Test
    void failedAndPendingPaymentsCountButAddNothingToTheLifetimeValue() {
        customer("customer.created", "cus_1", "ada@example.com", T0);
        charge("charge.failed", "ch_1", "cus_1", null, "failed", 1000, 0, "usd", T0, T0);
        charge("charge.pending", "ch_2", "cus_1", null, "pending", 700, 0, "usd", T0 + 1, T0 + 1);

        CustomerActivity last = activity().get(2);
        assertThat(last.getLifetimeValue()).isEmpty();
        assertThat(last.getNewestCurrencyLifetimeValue()).as("nothing paid in it yet").isEqualTo(new Money(0L, "USD"));
        assertThat(last.getPaymentCount()).isEqualTo(2);
        assertThat(last.getFailedPaymentCount()).isEqualTo(1);
        assertThat(last.getSucceededPaymentCount()).isZero();
        assertThat(last.getNewestPayment().getStatus()).isEqualTo(PaymentStatus.PENDING);
    }

    @Test
    void anUpdateOfAnOlderPaymentChangesTheFiguresButNotTheNewestPayment() {
        customer("customer.created", "cus_1", "ada@example.com", T0);
        charge("charge.succeeded", "ch_old", "cus_1", null, "succeeded", 1000, 0, "usd", T0, T0);
        charge("charge.succeeded", "ch_new", "cus_1", null, "succeeded", 2000, 0, "usd", T0 + 60, T0 + 60);
        charge("charge.refunded", "ch_old", "cus_1", null, "succeeded", 1000, 1000, "usd", T0, T0 + 120);

        CustomerActivity last = activity().get(3);
        assertThat(last.getNewestPayment().getId()).isEqualTo("stripe:ch_new");
        assertThat(ltv(last)).containsExactly(Map.entry("USD", 2000L));
    }

    @ParameterizedTest(name = "{0} then {1}")
    @CsvSource({"ch_a, ch_b", "ch_b, ch_a"})
    void paymentsCreatedInTheSameSecondAreOrderedByIdWhicheverArrivesFirst(String first, String second) {
        customer("customer.created", "cus_1", "ada@example.com", T0);
        charge("charge.succeeded", first, "cus_1", null, "succeeded", 100, 0, "usd", T0 + 5, T0 + 5);
        charge("charge.succeeded", second, "cus_1", null, "succeeded", 200, 0, "usd", T0 + 5, T0 + 5);

        List<CustomerActivity> out = activity();
        assertThat(out.get(out.size() - 1).getNewestPayment().getId()).isEqualTo("stripe:ch_b");
    }

    @Test
    void paymentIntentsAndGuestsWithoutAnEmailAreCountedSkipsAndAGuestWithAnEmailHasItsOwnActivity() {
        events++;
        driver.pipe("raw.stripe.payment_intent", "pi_1", "{\"id\":\"evt_pi\",\"object\":\"event\",\"type\":"
                + "\"payment_intent.succeeded\",\"created\":" + T0 + ",\"data\":{\"object\":{\"id\":\"pi_1\","
                + "\"object\":\"payment_intent\",\"amount\":100,\"amount_received\":100,\"currency\":\"usd\","
                + "\"status\":\"succeeded\",\"customer\":\"cus_1\",\"created\":" + T0 + ",\"metadata\":{}}}}",
                "syncline.received-at", StripeMappingTestSupport.RECEIVED_AT);
        charge("charge.succeeded", "ch_anon", null, null, "succeeded", 100, 0, "usd", T0, T0);
        charge("charge.succeeded", "ch_guest", null, "Guest@Example.com", "succeeded", 300, 0, "usd", T0, T0);

        assertThat(activity()).singleElement().satisfies(a -> {
            assertThat(a.getId()).isEqualTo("stripe:guest:guest@example.com");
            assertThat(a.getEmail()).isEqualTo("guest@example.com");
            assertThat(a.getCustomer()).isNull();
            assertThat(ltv(a)).containsExactly(Map.entry("USD", 300L));
        });
        assertThat(driver.metrics().count("syncline.normalizer.activity.skipped", "reason", "payment-intent"))
                .isEqualTo(1);
        assertThat(driver.metrics().count("syncline.normalizer.activity.skipped", "reason", "no-payer"))
                .isEqualTo(1);
        assertThat(driver.metrics().activityWaitingNow()).isZero(); // not waiting: skipped on purpose
    }

    @Test
    void aChangeNoReaderCanSeeWritesNothingAndKeepsTheRevision() {
        customer("customer.created", "cus_1", "ada@example.com", T0);
        // Same fields and time, another event (what the events API's copy of a webhook looks like): the
        // normalizer passes it on, and the join sees that nothing a reader reads has changed.
        customer("customer.updated", "cus_1", "ada@example.com", T0);

        assertThat(activity()).extracting(CustomerActivity::getRevision).containsExactly(1L);
        assertThat(driver.metrics().count("syncline.normalizer.activity.skipped", "reason", "unchanged"))
                .isEqualTo(1);

        customer("customer.updated", "cus_1", "new@example.com", T0 + 6);
        assertThat(activity()).extracting(CustomerActivity::getRevision).containsExactly(2L);
    }

    @Test
    void aDeletedCustomerGetsADeleteAndATombstoneAndItsLatePaymentsWriteNothing() {
        customer("customer.created", "cus_1", "ada@example.com", T0);
        charge("charge.succeeded", "ch_1", "cus_1", null, "succeeded", 1000, 0, "usd", T0, T0);
        customer("customer.deleted", "cus_1", null, T0 + 30);
        charge("charge.refunded", "ch_1", "cus_1", null, "succeeded", 1000, 1000, "usd", T0, T0 + 60);

        List<Object> out = driver.specific(ACTIVITY);
        assertThat(out).hasSize(4);
        CustomerActivity delete = (CustomerActivity) out.get(2);
        assertThat(delete.getMetadata().getOperation()).isEqualTo(Operation.DELETE);
        assertThat(delete.getEmail()).isEqualTo("ada@example.com");
        assertThat(delete.getRevision()).isEqualTo(3);
        assertThat(out.get(3)).isNull();
        assertThat(driver.metrics().count("syncline.normalizer.activity.skipped", "reason", "customer-deleted"))
                .isEqualTo(1);
        assertThat(driver.metrics().activityWaitingNow()).isZero();
    }

    @Test
    void theNormalizerStaysSubTopologyZeroSoItsTasksKeepTheirIdsWhenTheJoinIsAdded() {
        Map<String, Object> serde = Map.of("schema.registry.url", "mock://ids");
        MappingSet mappings = driver.mappings();
        TopologyDescription with = NormalizerTopology.build(new NormalizerTopology.Settings(mappings, serde,
                NormalizerDriver.DLQ, null, CustomerActivityTopology.Settings.canonical(12, serde,
                        NormalizerDriver.DLQ, null))).describe();

        TopologyDescription.Subtopology normalizer = with.subtopologies().stream()
                .filter(s -> s.nodes().stream().anyMatch(n -> n.name().equals(NormalizerTopology.SOURCE)))
                .findFirst().orElseThrow();
        assertThat(normalizer.id()).isZero();
        assertThat(with.subtopologies()).hasSize(3);
        assertThat(with.subtopologies().stream().filter(s -> s.nodes().stream()
                .anyMatch(n -> Objects.equals(n.name(), CustomerActivityTopology.PROCESSOR))).findFirst()
                .orElseThrow().nodes()).extracting(TopologyDescription.Node::name)
                .contains(CustomerActivityTopology.CUSTOMERS_SOURCE,
                        CustomerActivityTopology.REKEYED + "-repartition-source");
    }
}
