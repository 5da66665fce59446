package io.syncline.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * One Kafka Connect connector of the {@code sources:} or {@code sinks:} section: {@code syncline up} creates it, or
 * updates it when its configuration changed, on the Connect cluster ({@code PUT /connectors/<name>/config}).
 *
 * @param name the connector's name on the Connect cluster; unique across sources and sinks
 * @param connector the connector class, or a short name of a Syncline connector ({@link #ALIASES})
 * @param tasksMax most tasks; null: the connector's default (1)
 * @param topics the topics a sink reads; ignored for sources
 * @param config the connector's own settings, passed through as strings; secrets as Connect config provider
 *               references (${env:NAME}, ${file:/path:key}), never inline
 * @param state running (default), paused or stopped on the cluster
 */
public record ConnectorConfig(
        @JsonPropertyDescription("Connector name on the Connect cluster; letters, digits, '.', '_' and '-'.")
        String name,
        @JsonPropertyDescription("Connector class, or a Syncline short name: payments, crm-source, http-sink, "
                + "crm-contacts, postgres-cdc, zendesk, zendesk-tickets.")
        String connector,
        @JsonPropertyDescription("Most tasks (default 1).")
        Integer tasksMax,
        @JsonPropertyDescription("Topics a sink reads.")
        List<String> topics,
        @JsonPropertyDescription("The connector's settings (see docs/connectors/), values as strings; secrets as "
                + "${env:NAME} or ${file:/path:key} references.")
        Map<String, String> config,
        @JsonPropertyDescription("State on the Connect cluster: running (default), paused or stopped; syncline apply "
                + "moves the connector there.")
        ConnectorState state) implements Validatable {

    /** Short names of the connectors Syncline ships. */
    public static final Map<String, String> ALIASES = Map.of(
            "payments", "io.syncline.connect.payments.PaymentsSourceConnector",
            "crm-source", "io.syncline.connect.crm.source.CrmSourceConnector",
            "http-sink", "io.syncline.connect.http.HttpSinkConnector",
            "crm-contacts", "io.syncline.connect.crm.CrmContactSinkConnector",
            "postgres-cdc", "io.syncline.connect.cdc.PostgresCdcSourceConnector",
            "zendesk", "io.syncline.connect.support.SupportSourceConnector",
            "zendesk-tickets", "io.syncline.connect.support.SupportSinkConnector");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern INLINE_SECRET_KEY = Pattern.compile(".*(password|secret|token|api\\.key)$");

    public ConnectorConfig {
        name = name == null ? "" : name.trim();
        connector = connector == null ? "" : connector.trim();
        topics = topics == null ? List.of() : List.copyOf(topics);
        config = config == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(config));
        state = state == null ? ConnectorState.RUNNING : state;
    }

    /** A running connector (the state most declarations leave out). */
    public ConnectorConfig(String name, String connector, Integer tasksMax, List<String> topics,
                           Map<String, String> config) {
        this(name, connector, tasksMax, topics, config, null);
    }

    /**
     * Whether a key names a secret by its spelling ({@code ...password}, {@code ...secret}, {@code ...token},
     * {@code ...api.key}); such a value must be a config provider reference. A connector may declare more keys as
     * {@code PASSWORD}; {@code syncline plan} asks the worker for those.
     */
    public static boolean isSecretKey(String key) {
        return key != null && INLINE_SECRET_KEY.matcher(key).matches();
    }

    /** The connector class, with short names resolved. */
    public String connectorClass() {
        return ALIASES.getOrDefault(connector, connector);
    }

    /** The whole configuration to PUT to Connect, {@code config} plus the keys this record names. */
    public Map<String, String> connectConfig(boolean sink) {
        Map<String, String> c = new LinkedHashMap<>(config);
        c.put("connector.class", connectorClass());
        if (tasksMax != null) {
            c.put("tasks.max", String.valueOf(tasksMax));
        }
        if (sink && !topics.isEmpty()) {
            c.put("topics", String.join(",", topics));
        }
        return c;
    }

    @Override
    public void validate(Problems problems, String path) {
        problems.require(NAME.matcher(name).matches(), Problems.child(path, "name"),
                "expected a connector name of letters, digits, '.', '_' and '-', got \"" + name + "\"");
        problems.require(!connector.isEmpty() && (ALIASES.containsKey(connector) || connector.contains(".")),
                Problems.child(path, "connector"), "expected a connector class or one of " + ALIASES.keySet().stream()
                        .sorted().toList() + ", got \"" + connector + "\"");
        if (tasksMax != null) {
            problems.require(tasksMax >= 1 && tasksMax <= 1024, Problems.child(path, "tasks-max"),
                    "expected 1 to 1024, got " + tasksMax);
        }
        for (Map.Entry<String, String> e : config.entrySet()) {
            String value = e.getValue() == null ? "" : e.getValue();
            String key = Problems.child(Problems.child(path, "config"), e.getKey());
            if (isSecretKey(e.getKey()) && !value.isEmpty() && !value.startsWith("${")) {
                problems.add(key, "expected a secret reference such as ${env:NAME} or ${file:/path:key}; secrets are "
                        + "never written inline");
            }
            // A transformation's or predicate's setting may hold the transformation's own ${placeholder}.
            boolean transform = e.getKey().startsWith("transforms.") || e.getKey().startsWith("predicates.");
            ProviderReference.problems(value, transform).forEach(message -> problems.add(key, message));
        }
    }
}
