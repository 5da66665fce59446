package io.syncline.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.syncline.normalizer.stream.CustomerActivityTopology;
import io.syncline.registry.serde.KafkaAvroDeserializer;
import io.syncline.schemas.common.Money;
import io.syncline.schemas.finance.CustomerActivity;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The customer-activity join on the embedded broker and the registry over HTTP, with the normalizer as a separate JVM
 * killed with SIGKILL twice mid-stream: every payer's records carry the revisions 1, 2, 3, … without a gap or a
 * repeat (the revision is state, committed with the output), and the last record holds the figures computed from the
 * input: lifetime value per currency with every refund counted once, the newest payment, the counts. A third of the
 * customers arrive after their payments, which wait in state meanwhile.
 */
class CustomerActivityUnderKillIT extends WithBrokerAndRegistry {

    private static final int CUSTOMERS = 120;
    private static final int CHARGES = 900;
    private static final String APP = "activity-kill-test";
    private static final String CUSTOMERS_RAW = "raw.stripe.customer";
    private static final String CHARGES_RAW = "raw.stripe.charge";
    private static final long T0 = 1_717_000_000L;
    private static final String[] CURRENCIES = {"usd", "eur", "jpy"};

    /** What the test expects per payer, computed from the events it sends. */
    private static final class Expected {
        final Map<String, long[]> charges = new TreeMap<>(); // id -> {created, currencyIndex, amount, refunded, ok}
    }

    private record Event(String topic, String key, String json) {
    }

    @Test
    void revisionsRunWithoutGapOrRepeatAndTheFiguresAreRightAfterTwoSigkills() throws Exception {
        Random random = new Random(14);
        Map<String, Expected> expected = new HashMap<>();
        List<Event> early = new ArrayList<>();
        List<Event> late = new ArrayList<>();
        long clock = T0;
        for (int c = 0; c < CUSTOMERS; c++) {
            String customer = "cus_kill_" + c;
            expected.put("stripe:" + customer, new Expected());
            Event created = new Event(CUSTOMERS_RAW, customer, "{\"id\":\"evt_c" + c + "\",\"object\":\"event\","
                    + "\"type\":\"customer.created\",\"created\":" + (clock++) + ",\"data\":{\"object\":{\"id\":\""
                    + customer + "\",\"object\":\"customer\",\"email\":\"payer" + c + "@example.com\",\"created\":"
                    + T0 + ",\"metadata\":{}}}}");
            // A third of the customers come after their payments: those payments wait in the join's state.
            (c % 3 == 0 ? late : early).add(created);
        }
        List<Event> charges = new ArrayList<>();
        for (int i = 0; i < CHARGES; i++) {
            String customer = "cus_kill_" + random.nextInt(CUSTOMERS);
            String charge = "ch_kill_" + i;
            int currency = random.nextInt(CURRENCIES.length);
            long amount = 100 + random.nextInt(10_000);
            boolean ok = random.nextInt(10) > 1;
            // Several charges share a created second: the newest is then the greatest id.
            long created = T0 + 10_000 + i / 3;
            long eventAt = clock++;
            charges.add(new Event(CHARGES_RAW, charge, charge(i + "a", ok ? "charge.succeeded" : "charge.failed",
                    charge, customer, ok, amount, 0, CURRENCIES[currency], created, eventAt)));
            long refunded = 0;
            if (ok && random.nextInt(3) == 0) {
                refunded = random.nextBoolean() ? amount : amount / 2;
                charges.add(new Event(CHARGES_RAW, charge, charge(i + "b", "charge.refunded", charge, customer, true,
                        amount, refunded, CURRENCIES[currency], created, clock++)));
            }
            expected.get("stripe:" + customer).charges.put("stripe:" + charge,
                    new long[] {created, currency, amount, refunded, ok ? 1 : 0});
        }
        List<Event> all = new ArrayList<>(early);
        all.addAll(charges);
        all.addAll(late);

        Path mappings = ItSupport.copyMappings(dir.resolve("mappings"));
        Path log = dir.resolve("normalizer.log");
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(CUSTOMERS_RAW, 4, (short) 1),
                    new NewTopic(CHARGES_RAW, 4, (short) 1))).all().get();
        }
        try (KafkaProducer<byte[], byte[]> producer = ItSupport.producer(broker.bootstrapServers())) {
            for (Event e : all) {
                producer.send(new ProducerRecord<>(e.topic(), e.key().getBytes(), e.json().getBytes()));
            }
            producer.flush();
        }

        KafkaAvroDeserializer values = new KafkaAvroDeserializer();
        values.configure(Map.of("schema.registry.url", registry.url(), "specific.avro.reader", true), false);
        Map<String, List<CustomerActivity>> byPayer = new HashMap<>();
        List<Integer> outputAtKill = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", broker.bootstrapServers(), "isolation.level", "read_committed",
                "enable.auto.commit", false), new StringDeserializer(), new ByteArrayDeserializer())) {
            int[] total = {0};
            Supplier<Integer> poll = () -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    byPayer.computeIfAbsent(r.key(), k -> new ArrayList<>())
                            .add((CustomerActivity) values.deserialize(CustomerActivityTopology.TOPIC, r.value()));
                    total[0]++;
                }
                return total[0];
            };
            Process normalizer = startNormalizer(mappings, log);
            try {
                assignWhenCreated(consumer, CustomerActivityTopology.TOPIC, normalizer, log);
                for (int threshold : new int[] {CHARGES / 4, CHARGES / 2}) {
                    awaitOutput(poll, threshold, normalizer, log);
                    normalizer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                    outputAtKill.add(poll.get());
                    normalizer = startNormalizer(mappings, log);
                }
                ItSupport.awaitCommitted(broker.bootstrapServers(), APP, List.of(CUSTOMERS_RAW, CHARGES_RAW,
                        "canonical.finance.customer.v1", "canonical.finance.payment.v1",
                        APP + "-" + CustomerActivityTopology.REKEYED + "-repartition"));
                Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
                        && System.nanoTime() < deadline) {
                    poll.get();
                }
            } finally {
                normalizer.destroy();
                normalizer.waitFor(60, TimeUnit.SECONDS);
                values.close();
            }
        }

        assertThat(outputAtKill).as("killed twice, each time mid-stream").hasSize(2)
                .allSatisfy(n -> assertThat(n).isLessThan(CHARGES));
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Expected> e : expected.entrySet()) {
            List<CustomerActivity> records = byPayer.getOrDefault(e.getKey(), List.of());
            List<Long> revisions = records.stream().map(CustomerActivity::getRevision).toList();
            List<Long> wanted = new ArrayList<>();
            for (long r = 1; r <= records.size(); r++) {
                wanted.add(r);
            }
            if (!revisions.equals(wanted)) {
                problems.add(e.getKey() + ": revisions " + revisions);
            }
            if (records.isEmpty()) {
                problems.add(e.getKey() + ": no record");
                continue;
            }
            CustomerActivity last = records.get(records.size() - 1);
            Map<String, Long> ltv = new TreeMap<>();
            long succeeded = 0;
            long refundedCount = 0;
            String newest = null;
            long newestCreated = Long.MIN_VALUE;
            for (Map.Entry<String, long[]> ch : e.getValue().charges.entrySet()) {
                long[] v = ch.getValue();
                if (v[4] == 1) {
                    ltv.merge(CURRENCIES[(int) v[1]].toUpperCase(), v[2] - v[3], Long::sum);
                    succeeded++;
                }
                refundedCount += v[3] > 0 ? 1 : 0;
                if (v[0] > newestCreated || (v[0] == newestCreated && ch.getKey().compareTo(newest) > 0)) {
                    newest = ch.getKey();
                    newestCreated = v[0];
                }
            }
            Map<String, Long> actual = new TreeMap<>();
            for (Money m : last.getLifetimeValue()) {
                actual.put(m.getCurrency(), m.getAmount());
            }
            String want = "ltv " + ltv + ", newest " + newest + ", " + e.getValue().charges.size() + " payments, "
                    + succeeded + " succeeded, " + refundedCount + " refunded";
            String got = "ltv " + actual + ", newest " + (last.getNewestPayment() == null ? null
                    : last.getNewestPayment().getId()) + ", " + last.getPaymentCount() + " payments, "
                    + last.getSucceededPaymentCount() + " succeeded, " + last.getRefundedPaymentCount() + " refunded";
            if (!want.equals(got)) {
                problems.add(e.getKey() + ": expected " + want + ", got " + got);
            }
        }
        assertThat(problems).as("payers whose records are wrong").isEmpty();
    }

    private static String charge(String event, String type, String charge, String customer, boolean ok, long amount,
            long refunded, String currency, long created, long eventAt) {
        return "{\"id\":\"evt_" + event + "\",\"object\":\"event\",\"type\":\"" + type + "\",\"created\":" + eventAt
                + ",\"data\":{\"object\":{\"id\":\"" + charge + "\",\"object\":\"charge\",\"amount\":" + amount
                + ",\"amount_captured\":" + (ok ? amount : 0) + ",\"amount_refunded\":" + refunded
                + ",\"currency\":\"" + currency + "\",\"status\":\"" + (ok ? "succeeded" : "failed")
                + "\",\"paid\":" + ok + ",\"captured\":" + ok + ",\"customer\":\"" + customer
                + "\",\"created\":" + created + ",\"metadata\":{}}}}";
    }

    private Process startNormalizer(Path mappings, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Four partitions instead of twelve: fewer tasks to start after every kill.
        List<String> command = List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                NormalizerProcess.class.getName(), broker.bootstrapServers(), registry.url(), mappings.toString(),
                dir.resolve("state").toString(), APP, "4");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                log.toFile())).start();
    }

    private static void assignWhenCreated(KafkaConsumer<String, byte[]> consumer, String topic, Process normalizer,
            Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline && normalizer.isAlive()) {
            var infos = consumer.listTopics(Duration.ofSeconds(10)).get(topic);
            if (infos != null && !infos.isEmpty()) {
                List<TopicPartition> parts = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                return;
            }
        }
        throw new AssertionError("the normalizer did not create " + topic + "; its output:\n" + Files.readString(log));
    }

    private static void awaitOutput(Supplier<Integer> poll, int count, Process normalizer, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (poll.get() < count) {
            if (!normalizer.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the normalizer " + (normalizer.isAlive() ? "did not reach " + count
                        + " records in time" : "exited with " + normalizer.exitValue()) + "; its output:\n"
                        + Files.readString(log));
            }
        }
    }
}
