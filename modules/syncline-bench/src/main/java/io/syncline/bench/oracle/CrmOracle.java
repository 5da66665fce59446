package io.syncline.bench.oracle;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.bench.BenchSupport;
import io.syncline.sandbox.crm.CrmSandbox;
import io.syncline.sandbox.payments.PaymentsSandbox;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The oracle of issue 14: once the pipeline has drained, compares every payer's CRM contact in the CRM sandbox with
 * the payments sandbox's own state, both read through their public APIs, and reports what is wrong, what is lost and
 * which payments sit in a dead-letter topic.
 *
 * <p>A payer is a live customer with an e-mail and at least one charge. Its expected contact (matched by the
 * customer's current e-mail, lower-cased) carries its newest charge by the rule of {@code finance.CustomerActivity}:
 * greatest {@code created}, then greatest id (Stripe's {@code created} has one-second resolution, ids are unique) in
 * the CRM sink's default properties ({@code syncline_last_payment_id} {@code stripe:<id>}, {@code _status} the
 * canonical status, {@code _amount} in major units, {@code _currency}, {@code _date}), and {@code
 * syncline_lifetime_value}: the sum over its succeeded charges of captured minus refunded, in the newest charge's
 * currency, in major units. Payment intents are not payments here (their charges are). <b>Wrong</b>: the contact
 * exists with other values; <b>lost</b>: no contact with the e-mail, or one without any payment property.
 *
 * <p>{@code java -cp modules/syncline-bench/target/benchmarks.jar io.syncline.bench.oracle.CrmOracle
 * --payments-url http://localhost:28111 --crm-url http://localhost:28112 [--bootstrap-servers localhost:28092]
 * [--dlq-topics dlq.normalizer,dlq.sink.demo-crm-contacts] [--lifetime-value true]}; exits 1 when anything is wrong,
 * lost or dead-lettered.
 */
public final class CrmOracle {

    public static final String LAST_ID = "syncline_last_payment_id";
    public static final String LAST_STATUS = "syncline_last_payment_status";
    public static final String LAST_AMOUNT = "syncline_last_payment_amount";
    public static final String LAST_CURRENCY = "syncline_last_payment_currency";
    public static final String LAST_DATE = "syncline_last_payment_date";
    public static final String LIFETIME_VALUE = "syncline_lifetime_value";
    private static final List<String> PROPERTIES = List.of("email", LAST_ID, LAST_STATUS, LAST_AMOUNT, LAST_CURRENCY,
            LAST_DATE, LIFETIME_VALUE);
    private static final Pattern PAYMENT_KEY = Pattern.compile("^(stripe:)?(ch|pi|py)_.*");
    private static final Pattern CUSTOMER_KEY = Pattern.compile("^(stripe:)?cus_.*");

    /** Where to look. */
    public record Settings(String paymentsUrl, String paymentsApiKey, String crmUrl, String crmToken,
            String bootstrapServers, List<String> dlqTopics, boolean lifetimeValue) {

        public Settings {
            Objects.requireNonNull(paymentsUrl, "paymentsUrl");
            Objects.requireNonNull(paymentsApiKey, "paymentsApiKey");
            Objects.requireNonNull(crmUrl, "crmUrl");
            Objects.requireNonNull(crmToken, "crmToken");
            dlqTopics = List.copyOf(dlqTopics == null ? List.of() : dlqTopics);
        }
    }

    /** One payer the CRM does not show right. */
    public record Finding(String customerId, String email, String problem) {
    }

    /**
     * What the oracle found.
     *
     * @param payers live customers with an e-mail and at least one charge
     * @param correct payers whose contact is right
     * @param wrong payers whose contact has other values (payment or lifetime value)
     * @param wrongLifetimeValueOnly of {@code wrong}, those whose last payment is right and only the lifetime value is
     *     not
     * @param lost payers without a contact, or with a contact without payment properties
     * @param paymentDeadLetters dead letters keyed by a payment id (raw or canonical), by topic
     * @param deadLetters every dead letter by {@code <topic> <reason>}
     * @param guestCharges charges without a customer (no contact to check)
     * @param customersWithoutEmail live customers with charges but no e-mail (no contact to check)
     */
    public record Report(int payers, int correct, List<Finding> wrong, int wrongLifetimeValueOnly, List<Finding> lost,
            Map<String, List<String>> paymentDeadLetters, Map<String, Long> deadLetters, int guestCharges,
            int customersWithoutEmail) {

        public boolean clean() {
            return wrong.isEmpty() && lost.isEmpty() && paymentDeadLetters.values().stream().allMatch(List::isEmpty);
        }

        public long paymentsInDeadLetters() {
            return paymentDeadLetters.values().stream().mapToLong(List::size).sum();
        }

        /** The report as text: figures first, then up to {@code examples} findings of each kind. */
        public String render(int examples) {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "payers %d: correct %d, wrong %d (lifetime value only: %d), lost %d;"
                    + " payments in a DLQ %d%n", payers, correct, wrong.size(), wrongLifetimeValueOnly, lost.size(),
                    paymentsInDeadLetters()));
            b.append(String.format(Locale.ROOT, "not checked: %d guest charges, %d customers with charges but no "
                    + "e-mail%n", guestCharges, customersWithoutEmail));
            deadLetters.forEach((k, v) -> b.append("dead letters ").append(k).append(": ").append(v).append('\n'));
            wrong.stream().limit(examples).forEach(f -> b.append("wrong ").append(f.customerId()).append(" <")
                    .append(f.email()).append(">: ").append(f.problem()).append('\n'));
            lost.stream().limit(examples).forEach(f -> b.append("lost ").append(f.customerId()).append(" <")
                    .append(f.email()).append(">: ").append(f.problem()).append('\n'));
            paymentDeadLetters.forEach((topic, keys) -> keys.stream().limit(examples).forEach(k ->
                    b.append("dead-lettered payment ").append(k).append(" in ").append(topic).append('\n')));
            return b.toString();
        }
    }

    private CrmOracle() {
    }

    public static void main(String[] args) {
        BenchSupport.Options o = BenchSupport.options(args, Map.of("payments-url", "http://localhost:12111",
                "payments-api-key", PaymentsSandbox.DEFAULT_API_KEY, "crm-url", "http://localhost:12112",
                "crm-token", CrmSandbox.DEFAULT_PRIVATE_APP_TOKEN, "bootstrap-servers", "", "dlq-topics",
                "dlq.normalizer,dlq.sink.demo-crm-contacts", "lifetime-value", "true", "examples", "20"));
        Report report = check(new Settings(o.text("payments-url"), o.text("payments-api-key"), o.text("crm-url"),
                o.text("crm-token"), o.text("bootstrap-servers").isEmpty() ? null : o.text("bootstrap-servers"),
                List.of(o.text("dlq-topics").split(",")), Boolean.parseBoolean(o.text("lifetime-value"))));
        System.out.print(report.render(o.integer("examples")));
        System.exit(report.clean() ? 0 : 1);
    }

    /** Reads both sandboxes (and the dead-letter topics, when a broker is given) and compares. */
    public static Report check(Settings s) {
        ProviderApis apis = new ProviderApis();
        List<JsonNode> customers = apis.stripeList(s.paymentsUrl(), s.paymentsApiKey(), "customers");
        List<JsonNode> charges = apis.stripeList(s.paymentsUrl(), s.paymentsApiKey(), "charges");
        List<JsonNode> contacts = apis.hubSpotContacts(s.crmUrl(), s.crmToken(), PROPERTIES);
        Map<String, List<String>> paymentDeadLetters = new TreeMap<>();
        Map<String, Long> deadLetters = new TreeMap<>();
        if (s.bootstrapServers() != null) {
            readDeadLetters(s.bootstrapServers(), s.dlqTopics(), paymentDeadLetters, deadLetters);
        }
        return compare(customers, charges, contacts, s.lifetimeValue(), paymentDeadLetters, deadLetters);
    }

    /** The comparison itself, on objects as the two APIs return them. */
    static Report compare(List<JsonNode> customers, List<JsonNode> charges, List<JsonNode> contacts,
            boolean lifetimeValue, Map<String, List<String>> paymentDeadLetters, Map<String, Long> deadLetters) {
        Map<String, List<JsonNode>> byCustomer = new HashMap<>();
        int guests = 0;
        for (JsonNode ch : charges) {
            String customer = text(ch.path("customer"));
            if (customer == null) {
                guests++;
            } else {
                byCustomer.computeIfAbsent(customer, k -> new ArrayList<>()).add(ch);
            }
        }
        Map<String, JsonNode> contactByEmail = new HashMap<>();
        for (JsonNode c : contacts) {
            String email = text(c.path("properties").path("email"));
            if (email != null) {
                contactByEmail.put(email.toLowerCase(Locale.ROOT), c.path("properties"));
            }
        }
        Comparator<JsonNode> newest = Comparator.<JsonNode>comparingLong(ch -> ch.path("created").asLong())
                .thenComparing(ch -> ch.path("id").asText());
        int payers = 0;
        int correct = 0;
        int withoutEmail = 0;
        int ltvOnly = 0;
        List<Finding> wrong = new ArrayList<>();
        List<Finding> lost = new ArrayList<>();
        for (JsonNode customer : customers) {
            String id = customer.path("id").asText();
            List<JsonNode> own = byCustomer.get(id);
            if (own == null || own.isEmpty()) {
                continue;
            }
            String email = text(customer.path("email"));
            if (email == null) {
                withoutEmail++;
                continue;
            }
            email = email.trim().toLowerCase(Locale.ROOT);
            payers++;
            JsonNode contact = contactByEmail.get(email);
            JsonNode last = own.stream().max(newest).orElseThrow();
            if (contact == null) {
                lost.add(new Finding("stripe:" + id, email, "no contact"));
                continue;
            }
            if (text(contact.path(LAST_ID)) == null) {
                lost.add(new Finding("stripe:" + id, email, "contact without payment properties"));
                continue;
            }
            List<String> diffs = new ArrayList<>();
            String currency = last.path("currency").asText().toUpperCase(Locale.ROOT);
            expect(diffs, LAST_ID, "stripe:" + last.path("id").asText(), text(contact.path(LAST_ID)));
            expect(diffs, LAST_STATUS, status(last.path("status").asText()), text(contact.path(LAST_STATUS)));
            expect(diffs, LAST_CURRENCY, currency, text(contact.path(LAST_CURRENCY)));
            expectNumber(diffs, LAST_AMOUNT, major(last.path("amount").asLong(), currency),
                    text(contact.path(LAST_AMOUNT)));
            expectTime(diffs, LAST_DATE, Instant.ofEpochSecond(last.path("created").asLong()),
                    text(contact.path(LAST_DATE)));
            boolean paymentRight = diffs.isEmpty();
            if (lifetimeValue) {
                long minor = 0;
                for (JsonNode ch : own) {
                    if ("succeeded".equals(ch.path("status").asText())
                            && currency.equalsIgnoreCase(ch.path("currency").asText())) {
                        minor += Math.max(0, ch.path("amount_captured").asLong() - ch.path("amount_refunded").asLong());
                    }
                }
                expectNumber(diffs, LIFETIME_VALUE, major(minor, currency), text(contact.path(LIFETIME_VALUE)));
            }
            if (diffs.isEmpty()) {
                correct++;
            } else {
                ltvOnly += paymentRight ? 1 : 0;
                wrong.add(new Finding("stripe:" + id, email, String.join("; ", diffs)));
            }
        }
        return new Report(payers, correct, wrong, ltvOnly, lost, paymentDeadLetters, deadLetters, guests,
                withoutEmail);
    }

    /** Stripe charge status → {@code finance.PaymentStatus}, as mappings/stripe/charge.yaml maps it. */
    static String status(String stripe) {
        return switch (stripe) {
            case "succeeded" -> "SUCCEEDED";
            case "failed" -> "FAILED";
            case "pending" -> "PENDING";
            default -> "UNKNOWN";
        };
    }

    private static BigDecimal major(long minor, String currency) {
        int digits;
        try {
            digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (IllegalArgumentException e) {
            digits = 2;
        }
        return BigDecimal.valueOf(minor).movePointLeft(digits);
    }

    private static void expect(List<String> diffs, String property, String expected, String actual) {
        if (!Objects.equals(expected, actual)) {
            diffs.add(property + " " + actual + ", expected " + expected);
        }
    }

    private static void expectNumber(List<String> diffs, String property, BigDecimal expected, String actual) {
        try {
            if (actual != null && new BigDecimal(actual.trim()).compareTo(expected) == 0) {
                return;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        diffs.add(property + " " + actual + ", expected " + expected.toPlainString());
    }

    private static void expectTime(List<String> diffs, String property, Instant expected, String actual) {
        try {
            if (actual != null && Instant.parse(actual.trim()).equals(expected)) {
                return;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        diffs.add(property + " " + actual + ", expected " + expected);
    }

    private static String text(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() || n.asText().isEmpty() ? null : n.asText();
    }

    /** Every record of the dead-letter topics: payments by key, and counts by topic and reason. */
    private static void readDeadLetters(String bootstrap, List<String> topics, Map<String, List<String>> payments,
            Map<String, Long> counts) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "enable.auto.commit", false, "isolation.level", "read_committed"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            Map<String, List<org.apache.kafka.common.PartitionInfo>> all = consumer.listTopics(Duration.ofSeconds(30));
            for (String t : topics) {
                for (var p : all.getOrDefault(t, List.of())) {
                    parts.add(new TopicPartition(t, p.partition()));
                }
            }
            if (parts.isEmpty()) {
                return;
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String reason = header(r, "syncline.error.reason");
                    if (reason == null) {
                        reason = header(r, "__connect.errors.exception.class.name");
                    }
                    counts.merge(r.topic() + " " + (reason == null ? "(no reason)" : reason), 1L, Long::sum);
                    if (r.key() != null && PAYMENT_KEY.matcher(r.key()).matches()) {
                        payments.computeIfAbsent(r.topic(), k -> new ArrayList<>()).add(r.key());
                    } else if (r.key() != null && CUSTOMER_KEY.matcher(r.key()).matches()) {
                        counts.merge(r.topic() + " customers", 1L, Long::sum);
                    }
                }
            }
        }
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
