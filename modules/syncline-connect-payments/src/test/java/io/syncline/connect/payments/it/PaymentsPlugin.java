package io.syncline.connect.payments.it;

import static io.syncline.testsupport.connect.PluginFixture.closedPort;
import static io.syncline.testsupport.connect.PluginFixture.with;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.syncline.sandbox.payments.PaymentsSandbox;
import io.syncline.testsupport.connect.PluginFixture;
import io.syncline.testsupport.connect.RawRecord;
import io.syncline.testsupport.connect.RawTopics;
import io.syncline.testsupport.connect.SourceConnectorContract.InvalidConfig;

/**
 * What worker-level tests know about the payments connector: only names (its class, its keys) and the packaged
 * archive, exactly what an operator knows. Nothing here loads the connector's classes.
 */
final class PaymentsPlugin {

    static final String CONNECTOR_CLASS = "io.syncline.connect.payments.PaymentsSourceConnector";
    static final List<String> TYPES = List.of("customer", "charge", "payment_intent", "invoice", "refund");
    static final List<String> EVENT_TYPES = List.of("customer.created", "customer.updated", "customer.deleted",
            "charge.captured", "charge.expired", "charge.failed", "charge.pending", "charge.refunded",
            "charge.succeeded", "charge.updated", "payment_intent.amount_capturable_updated",
            "payment_intent.canceled", "payment_intent.created", "payment_intent.partially_funded",
            "payment_intent.payment_failed", "payment_intent.processing", "payment_intent.requires_action",
            "payment_intent.succeeded", "invoice.created", "invoice.deleted", "invoice.finalization_failed",
            "invoice.finalized", "invoice.marked_uncollectible", "invoice.overdue", "invoice.paid",
            "invoice.payment_action_required", "invoice.payment_failed", "invoice.payment_succeeded", "invoice.sent",
            "invoice.updated", "invoice.voided", "invoice.will_be_due", "refund.created", "refund.failed",
            "refund.updated", "charge.refund.updated");

    private PaymentsPlugin() {
    }

    /** target/plugin, made by `package` from the shared assembly descriptor. */
    static Path pluginPath() {
        return PluginFixture.pluginPath(CONNECTOR_CLASS, "syncline-connect-payments");
    }

    /** The topic prefix of a test namespace. */
    static String topicPrefix(String namespace) {
        return "raw." + namespace + ".stripe.";
    }

    /** The config `up --demo` would use against a sandbox, with topics of their own per namespace. */
    static Map<String, String> config(PaymentsSandbox sandbox, String namespace, String credential) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("tasks.max", "3");
        c.put("stripe.base.url", sandbox.url());
        c.put("auth.bearer.token", credential);
        c.put("stripe.objects", String.join(",", TYPES));
        c.put("backfill.start", "all");
        c.put("topic.prefix", topicPrefix(namespace));
        c.put("poll.interval.ms", "500");
        c.put("page.size", "20");
        c.put("rate.limit.per.second", "300");
        c.put("rate.limit.burst", "300");
        c.put("outbound.allow.list", "127.0.0.1");
        c.put("outbound.allow.plain.http", "127.0.0.1");
        c.put("retry.backoff.initial.ms", "50");
        c.put("retry.backoff.max.ms", "1000");
        PluginFixture.withRawConverters(c);
        return c;
    }

    /**
     * The same config as {@link #config} written with the keys the connector had before the shared outbound
     * vocabulary (stripe.api.key, http.allowed.hosts, http.allow.plain.http, retry.backoff.ms,
     * request.budget.per.second): a config saved then must keep running.
     */
    static Map<String, String> configWithDeprecatedKeys(PaymentsSandbox sandbox, String namespace, String credential) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("tasks.max", "3");
        c.put("stripe.base.url", sandbox.url());
        c.put("stripe.api.key", credential);
        c.put("stripe.objects", String.join(",", TYPES));
        c.put("backfill.start", "all");
        c.put("topic.prefix", topicPrefix(namespace));
        c.put("poll.interval.ms", "500");
        c.put("page.size", "20");
        c.put("request.budget.per.second", "300");
        c.put("http.allowed.hosts", "127.0.0.1");
        c.put("http.allow.plain.http", "true");
        c.put("retry.backoff.ms", "50");
        c.put("retry.backoff.max.ms", "1000");
        PluginFixture.withRawConverters(c);
        return c;
    }

    /**
     * Every object of the synced types the sandbox created, by topic, except customers deleted before the backfill's
     * t0 (Stripe lists leave deleted objects out, and their events precede the events cursor; see the docs). t0 is
     * read from the snapshots' event ids ({@code <id>@backfill:<t0>}).
     */
    static Map<String, Set<String>> expectedIds(PaymentsSandbox sandbox, String bootstrap, String namespace) {
        String prefix = topicPrefix(namespace);
        List<String> topics = TYPES.stream().map(t -> prefix + t).toList();
        long t0 = RawTopics.readAll(bootstrap, topics).stream()
                .map(r -> r.header("syncline.event-id"))
                .filter(id -> id != null && id.contains("@backfill:"))
                .mapToLong(id -> Long.parseLong(id.substring(id.indexOf("@backfill:") + 10)))
                .min().orElse(Long.MIN_VALUE);
        Set<String> deletedBefore = sandbox.events().stream()
                .filter(e -> e.path("type").asText().equals("customer.deleted") && e.path("created").asLong() < t0)
                .map(e -> e.path("data").path("object").path("id").asText())
                .collect(Collectors.toSet());
        Map<String, Set<String>> out = new TreeMap<>();
        for (String type : TYPES) {
            Set<String> ids = new TreeSet<>(sandbox.objectIds(type));
            ids.removeAll(deletedBefore);
            out.put(prefix + type, ids);
        }
        return out;
    }

    /** Ids of the sandbox's events of the synced types created at or after {@code second}. */
    static Set<String> eventIdsSince(PaymentsSandbox sandbox, long second) {
        return sandbox.events().stream()
                .filter(e -> e.path("created").asLong() >= second && EVENT_TYPES.contains(e.path("type").asText()))
                .map(e -> e.path("id").asText()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Event ids among {@code records} (snapshots excluded). */
    static Set<String> deliveredEventIds(List<RawRecord> records) {
        return records.stream().map(r -> r.header("syncline.event-id")).filter(id -> id.startsWith("evt_"))
                .collect(Collectors.toSet());
    }

    /** Configurations the connector must refuse, with the key and the exact message. */
    static List<InvalidConfig> invalidConfigs(Map<String, String> valid, PaymentsSandbox sandbox) {
        String base = sandbox.url();
        int closedPort = closedPort();
        return List.of(
                new InvalidConfig("an unknown object type", with(valid, "stripe.objects", "charge,charges"),
                        "stripe.objects", "stripe.objects: unknown object type 'charges'; expected one or more of "
                        + "customer, charge, payment_intent, invoice, refund"),
                new InvalidConfig("a page size over Stripe's limit", with(valid, "page.size", "500"), "page.size",
                        "Invalid value 500 for configuration page.size: Value must be no more than 100"),
                new InvalidConfig("a value converter that would re-encode the JSON",
                        with(valid, "value.converter", "org.apache.kafka.connect.json.JsonConverter"),
                        "value.converter", "value.converter: expected org.apache.kafka.connect.converters."
                        + "ByteArrayConverter so each record holds the Stripe JSON exactly as received, got "
                        + "org.apache.kafka.connect.json.JsonConverter"),
                new InvalidConfig("plain http to a host not allowed it", with(valid, "outbound.allow.plain.http", ""),
                        "stripe.base.url", "refusing stripe.base.url " + base + ": plain http is allowed only for "
                        + "targets allowed plain HTTP; use https, or allow plain HTTP for 127.0.0.1:" + sandbox.port()
                        + " in connector key 'outbound.allow.plain.http' if this is intended"),
                new InvalidConfig("an internal address that is not allow-listed",
                        with(valid, "outbound.allow.list", ""), "stripe.base.url",
                        "refusing stripe.base.url " + base + ": 127.0.0.1 is an internal address (loopback); add it "
                        + "to connector key 'outbound.allow.list' (allow-list in syncline.yaml) if this is intended"),
                new InvalidConfig("nothing listening at the base URL (live check)",
                        with(valid, "stripe.base.url", "http://127.0.0.1:" + closedPort), "stripe.base.url",
                        "stripe.base.url: cannot reach http://127.0.0.1:" + closedPort + " (GET http://127.0.0.1:"
                        + closedPort + "/v1/events: connection refused or not established)"));
    }
}
