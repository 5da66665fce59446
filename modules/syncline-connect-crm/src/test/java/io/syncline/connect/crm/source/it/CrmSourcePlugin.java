package io.syncline.connect.crm.source.it;

import static io.syncline.testsupport.connect.PluginFixture.closedPort;
import static io.syncline.testsupport.connect.PluginFixture.with;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.sandbox.crm.CrmSandbox;
import io.syncline.testsupport.connect.PluginFixture;
import io.syncline.testsupport.connect.SourceConnectorContract.InvalidConfig;

/**
 * What worker-level tests know about the CRM source: only names (its class, its keys) and the packaged archive,
 * exactly what an operator knows. Nothing here loads the connector's classes.
 */
final class CrmSourcePlugin {

    static final String CONNECTOR_CLASS = "io.syncline.connect.crm.source.CrmSourceConnector";
    /** The sink's class, in the same archive (for the shared-budget test). */
    static final String SINK_CLASS = "io.syncline.connect.crm.CrmContactSinkConnector";
    /** Singular (topic) and plural (API and sandbox) names of the types the source reads. */
    static final Map<String, String> TYPES = Map.of("contact", "contacts", "company", "companies", "deal", "deals");

    private CrmSourcePlugin() {
    }

    /** target/plugin, made by `package` from the shared assembly descriptor. */
    static Path pluginPath() {
        return PluginFixture.pluginPath(CONNECTOR_CLASS, "syncline-connect-crm");
    }

    /** The topic prefix of a test namespace. */
    static String topicPrefix(String namespace) {
        return "raw." + namespace + ".hubspot.";
    }

    /** A config against a sandbox, with topics of their own per namespace, quick to notice changes and deletes. */
    static Map<String, String> config(CrmSandbox sandbox, String namespace, String credential) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("tasks.max", "3");
        c.put("crm.url", sandbox.url());
        c.put("auth.bearer.token", credential);
        c.put("crm.objects", "contact,company,deal");
        c.put("topic.prefix", topicPrefix(namespace));
        c.put("poll.interval.ms", "300");
        c.put("archived.poll.interval.ms", "1000");
        c.put("search.lag.ms", "200");
        c.put("page.size", "20");
        c.put("search.page.size", "50");
        c.put("search.rate.limit.per.second", "50");
        c.put("rate.limit.window.requests", "0");
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
     * What the source must have written, by topic: every live object; every object archived after
     * {@code archivedAfter.apply(<type's plural>)} (as a delete; objects archived before the first start's t0 are
     * left out, as the docs say); every merged-away id whose survivor is live (as a retirement).
     */
    static Map<String, Set<String>> expectedIds(CrmSandbox sandbox, String namespace,
                                                Function<String, Instant> archivedAfter) {
        Map<String, Set<String>> out = new TreeMap<>();
        TYPES.forEach((singular, plural) -> {
            Instant since = archivedAfter.apply(plural);
            Set<String> ids = new TreeSet<>();
            Map<String, String> merged = sandbox.mergedIds(plural);
            for (String id : sandbox.objectIds(plural)) {
                JsonNode o = sandbox.object(plural, id);
                if (merged.containsKey(id)) {
                    JsonNode survivor = sandbox.object(plural, merged.get(id));
                    if (survivor != null && !survivor.get("archived").asBoolean()) {
                        ids.add(id);
                    }
                } else if (!o.get("archived").asBoolean()
                        || Instant.parse(o.get("archivedAt").asText()).isAfter(since)) {
                    ids.add(id);
                }
            }
            out.put(topicPrefix(namespace) + singular, ids);
        });
        return out;
    }

    /** Configurations the connector must refuse, with the key and the exact message. */
    static List<InvalidConfig> invalidConfigs(Map<String, String> valid, CrmSandbox sandbox) {
        String base = sandbox.url();
        int closedPort = closedPort();
        return List.of(
                new InvalidConfig("an unknown object type", with(valid, "crm.objects", "contact,ticket"),
                        "crm.objects", "crm.objects: unknown object type 'ticket'; expected one or more of contact, "
                        + "company, deal"),
                new InvalidConfig("a page size over HubSpot's limit", with(valid, "page.size", "500"), "page.size",
                        "Invalid value 500 for configuration page.size: Value must be no more than 100"),
                new InvalidConfig("a value converter that would re-encode the JSON",
                        with(valid, "value.converter", "org.apache.kafka.connect.json.JsonConverter"),
                        "value.converter", "value.converter: expected org.apache.kafka.connect.converters."
                        + "ByteArrayConverter so each record holds the HubSpot JSON exactly as received, got "
                        + "org.apache.kafka.connect.json.JsonConverter"),
                new InvalidConfig("plain http to a host not allowed it", with(valid, "outbound.allow.plain.http", ""),
                        "crm.url", "refusing crm.url " + base + ": plain http is allowed only for targets allowed "
                        + "plain HTTP; use https, or allow plain HTTP for 127.0.0.1:" + sandbox.port()
                        + " in connector key 'outbound.allow.plain.http' if this is intended"),
                new InvalidConfig("an internal address that is not allow-listed",
                        with(valid, "outbound.allow.list", ""), "crm.url",
                        "refusing crm.url " + base + ": 127.0.0.1 is an internal address (loopback); add it "
                        + "to connector key 'outbound.allow.list' (allow-list in syncline.yaml) if this is intended"),
                new InvalidConfig("nothing listening at the base URL (live check)",
                        with(valid, "crm.url", "http://127.0.0.1:" + closedPort), "crm.url",
                        "crm.url: cannot reach http://127.0.0.1:" + closedPort + " (GET http://127.0.0.1:" + closedPort
                        + "/crm/v3/objects/contacts: connection refused or not established)"),
                new InvalidConfig("a base URL that is not HubSpot (live check)",
                        with(valid, "crm.url", base + "/elsewhere"), "crm.url",
                        "crm.url: " + base + "/elsewhere does not look like the HubSpot API (GET " + base
                        + "/elsewhere/crm/v3/objects/contacts answered 404)"));
    }
}
