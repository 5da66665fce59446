package io.syncline.cli.up;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.syncline.config.ConnectorConfig;
import io.syncline.kafka.ConnectRestClient;
import io.syncline.ops.Health;

/**
 * The {@code sources:} and {@code sinks:} of syncline.yaml, created on the Connect cluster published as
 * {@link StackContext#CONNECT}, or updated when their configuration changed ({@code PUT /connectors/<name>/config}
 * is idempotent: an unchanged connector is left running as it is). Connectors that are not declared are left alone.
 * A connector that fails does not stop the stack: its error shows here and in {@code syncline status}.
 */
public final class ConnectorsComponent implements Component {

    /** In a connector setting, replaced by the schema registry's URL (embedded on a port known only at start). */
    public static final String REGISTRY_URL = "${syncline:registry-url}";
    /** In a connector setting, replaced by Kafka's bootstrap servers. */
    public static final String BOOTSTRAP_SERVERS = "${syncline:bootstrap-servers}";

    private static final Duration RUNNING_TIMEOUT = Duration.ofSeconds(60);

    private final PrintWriter out;
    private ConnectRestClient rest;
    private final List<String> names = new ArrayList<>();

    /** @param out where to say what was created or updated */
    public ConnectorsComponent(PrintWriter out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public String name() {
        return "Connectors";
    }

    @Override
    public void start(StackContext context) throws InterruptedException {
        rest = new ConnectRestClient(context.endpoint(StackContext.CONNECT));
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        context.config().sources().forEach(c -> wanted.put(c.name(), resolve(c.connectConfig(false), context)));
        context.config().sinks().forEach(c -> wanted.put(c.name(), resolve(c.connectConfig(true), context)));
        List<String> existing = rest.connectors();
        for (Map.Entry<String, Map<String, String>> c : wanted.entrySet()) {
            String verb = !existing.contains(c.getKey()) ? "created"
                    : rest.connectorConfig(c.getKey()).equals(withName(c.getKey(), c.getValue())) ? "unchanged"
                    : "updated";
            if (!verb.equals("unchanged")) {
                rest.putConnectorConfig(c.getKey(), c.getValue());
            }
            names.add(c.getKey());
            out.print("[" + verb + " " + c.getKey() + "] ");
            out.flush();
        }
        long deadline = System.nanoTime() + RUNNING_TIMEOUT.toNanos();
        for (String name : names) {
            while (System.nanoTime() < deadline && !settled(name)) {
                Thread.sleep(250); // polling a remote REST API for a state change; nothing to wait on locally
            }
        }
    }

    /** Fills in the {@code ${syncline:...}} placeholders with the addresses this stack published. */
    static Map<String, String> resolve(Map<String, String> config, StackContext context) {
        Map<String, String> out = new LinkedHashMap<>();
        config.forEach((k, v) -> out.put(k, v == null ? null : v
                .replace(REGISTRY_URL, context.endpoints().getOrDefault(StackContext.REGISTRY, REGISTRY_URL))
                .replace(BOOTSTRAP_SERVERS, context.endpoints().getOrDefault(StackContext.KAFKA, BOOTSTRAP_SERVERS))));
        return out;
    }

    private static Map<String, String> withName(String name, Map<String, String> config) {
        Map<String, String> c = new LinkedHashMap<>(config);
        c.put("name", name);
        return c;
    }

    private boolean settled(String name) {
        try {
            ConnectRestClient.ConnectorStatus s = rest.status(name);
            if (s.state().equals("FAILED") || s.tasks().stream().anyMatch(t -> t.state().equals("FAILED"))) {
                return true;
            }
            return s.state().equals("RUNNING") && !s.tasks().isEmpty()
                    && s.tasks().stream().allMatch(t -> t.state().equals("RUNNING"));
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    @Override
    public void stop() {
        // Connectors live on in Connect's config topic; the worker stops their tasks.
    }

    @Override
    public String address() {
        return names.isEmpty() ? "none declared" : String.join(", ", names);
    }

    @Override
    public Health health() {
        if (names.isEmpty()) {
            return Health.up("add sources: and sinks: to syncline.yaml");
        }
        List<String> failed = new ArrayList<>();
        int running = 0;
        for (String name : names) {
            try {
                ConnectRestClient.ConnectorStatus s = rest.status(name);
                long failedTasks = s.tasks().stream().filter(t -> t.state().equals("FAILED")).count();
                if (s.state().equals("RUNNING") && failedTasks == 0) {
                    running++;
                } else {
                    failed.add(name + " " + s.state() + (failedTasks > 0 ? " (" + failedTasks + " task(s) failed)" : ""));
                }
            } catch (RuntimeException e) {
                failed.add(name + ": " + e.getMessage());
            }
        }
        return failed.isEmpty() ? Health.up(running + " running")
                : Health.down(String.join("; ", failed) + " - see syncline status");
    }
}
