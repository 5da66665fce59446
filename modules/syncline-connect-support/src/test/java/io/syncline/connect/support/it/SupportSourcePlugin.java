package io.syncline.connect.support.it;

import static io.syncline.testsupport.connect.PluginFixture.closedPort;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.syncline.sandbox.support.SupportSandbox;
import io.syncline.testsupport.connect.PluginFixture;
import io.syncline.testsupport.connect.SourceConnectorContract.InvalidConfig;

/**
 * What worker-level tests know about the support source: only names (its class, its keys) and the packaged archive,
 * exactly what an operator knows. Nothing here loads the connector's classes.
 */
final class SupportSourcePlugin {

    static final String CONNECTOR_CLASS = "io.syncline.connect.support.SupportSourceConnector";
    static final List<String> TYPES = List.of("ticket", "user", "organization", "ticket_comment");

    private SupportSourcePlugin() {
    }

    /** target/plugin, made by `package` from the shared assembly descriptor. */
    static Path pluginPath() {
        return PluginFixture.pluginPath(CONNECTOR_CLASS, "syncline-connect-support");
    }

    /** A sandbox for worker-level tests: exports leave out only the last two seconds, no request limits. */
    static SupportSandbox sandbox(long seed) {
        SupportSandbox s = SupportSandbox.builder().port(0).seed(seed).rateLimitPerMinute(0)
                .exportExclusion(Duration.ofSeconds(2)).build().start();
        s.exportRateLimiter().configure(0, Duration.ofMinutes(1));
        return s;
    }

    static String topicPrefix(String namespace) {
        return "raw." + namespace + ".zendesk.";
    }

    /** A config against {@code sandbox}, topics of their own per namespace, the API token given as {@code token}. */
    static Map<String, String> config(SupportSandbox sandbox, String namespace, String token) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("tasks.max", "2");
        c.put("zendesk.url", sandbox.url());
        c.put("auth.basic.username", sandbox.agentEmail() + "/token");
        c.put("auth.basic.password", token);
        c.put("zendesk.objects", String.join(",", TYPES));
        c.put("topic.prefix", topicPrefix(namespace));
        c.put("poll.interval.ms", "1000");
        c.put("page.size", "20");
        // The sandbox's export limit is off; the connector's window is wide so the test does not wait on it.
        c.put("rate.limit.window.requests", "600");
        c.put("retry.backoff.initial.ms", "50");
        c.put("retry.backoff.max.ms", "500");
        c.put("outbound.allow.list", "127.0.0.1");
        c.put("outbound.allow.plain.http", "127.0.0.1");
        PluginFixture.withRawConverters(c);
        c.put("topic.creation.default.partitions", "3");
        c.put("topic.creation.default.replication.factor", "1");
        return c;
    }

    /** Every object id the sandbox has by topic, deleted ones included, and the comments of every ticket. */
    static Map<String, Set<String>> expectedIds(SupportSandbox sandbox, String namespace) {
        Map<String, Set<String>> out = new TreeMap<>();
        String prefix = topicPrefix(namespace);
        out.put(prefix + "ticket", new TreeSet<>(sandbox.objectIds("tickets")));
        out.put(prefix + "user", new TreeSet<>(sandbox.objectIds("users")));
        out.put(prefix + "organization", new TreeSet<>(sandbox.objectIds("organizations")));
        Set<String> comments = new TreeSet<>();
        for (String ticket : sandbox.objectIds("tickets")) {
            sandbox.comments(Long.parseLong(ticket)).forEach(c -> comments.add(c.get("id").asText()));
        }
        out.put(prefix + "ticket_comment", comments);
        return out;
    }

    /** The configurations the connector must refuse, each with the key and the exact message. */
    static List<InvalidConfig> invalidConfigs(Map<String, String> valid, SupportSandbox sandbox) {
        Map<String, String> badUrl = new LinkedHashMap<>(valid);
        badUrl.put("zendesk.url", "acme.zendesk.com");
        Map<String, String> unknownObject = new LinkedHashMap<>(valid);
        unknownObject.put("zendesk.objects", "ticket,macro");
        Map<String, String> password = new LinkedHashMap<>(valid);
        password.put("auth.basic.username", sandbox.agentEmail());
        Map<String, String> notAllowed = new LinkedHashMap<>(valid);
        notAllowed.remove("outbound.allow.list");
        Map<String, String> jsonValues = new LinkedHashMap<>(valid);
        jsonValues.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        int closed = closedPort();
        Map<String, String> nothingThere = new LinkedHashMap<>(valid);
        nothingThere.put("zendesk.url", "http://127.0.0.1:" + closed);
        String agent = sandbox.objectIds("users").stream().map(id -> sandbox.user(Long.parseLong(id)))
                .filter(u -> "agent".equals(u.get("role").asText())).map(u -> u.get("email").asText()).findFirst()
                .orElseThrow(() -> new AssertionError("the sandbox's activity created no agent"));
        Map<String, String> notAdmin = new LinkedHashMap<>(valid);
        notAdmin.put("auth.basic.username", agent + "/token");
        return List.of(
                new InvalidConfig("a URL without a scheme", badUrl, "zendesk.url",
                        "zendesk.url: expected the account's https URL such as https://acme.zendesk.com, got "
                                + "'acme.zendesk.com'"),
                new InvalidConfig("an object type Zendesk's exports do not have", unknownObject, "zendesk.objects",
                        "zendesk.objects: unknown object type 'macro'; expected one or more of ticket, user, "
                                + "organization, ticket_comment"),
                new InvalidConfig("a password login instead of an API token", password, "auth.basic.username",
                        "auth.basic.username: expected <agent e-mail>/token (Zendesk API-token access, e.g. "
                                + "admin@example.com/token, with the token in auth.basic.password), got '"
                                + sandbox.agentEmail() + "'; Zendesk no longer accepts passwords over the API"),
                new InvalidConfig("a loopback desk that is not allow-listed", notAllowed, "zendesk.url",
                        "refusing zendesk.url " + sandbox.url() + ": " + sandbox.url().replace("http://", "")
                                .replaceAll(":\\d+$", "") + " is an internal address (loopback); add it to connector "
                                + "key 'outbound.allow.list' (allow-list in syncline.yaml) if this is intended"),
                new InvalidConfig("a converter that would re-encode the JSON", jsonValues, "value.converter",
                        "value.converter: expected org.apache.kafka.connect.converters.ByteArrayConverter so each "
                                + "record holds the Zendesk JSON exactly as received, got "
                                + "org.apache.kafka.connect.json.JsonConverter"),
                new InvalidConfig("nothing listening at the URL (live check)", nothingThere, "zendesk.url",
                        "zendesk.url: cannot reach http://127.0.0.1:" + closed + " (GET http://127.0.0.1:" + closed
                                + "/api/v2/users/me.json: connection refused or not established)"),
                new InvalidConfig("an agent's token: the exports need an admin (live check)", notAdmin,
                        "auth.basic.password", "auth.basic.password: the credentials act as a user with role 'agent' "
                                + "(GET " + sandbox.url() + "/api/v2/users/me.json); Zendesk's incremental exports "
                                + "need an admin: use an admin's API token or OAuth token"));
    }
}
