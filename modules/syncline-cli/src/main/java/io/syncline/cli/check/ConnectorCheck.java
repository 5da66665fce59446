package io.syncline.cli.check;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.syncline.config.ConnectorConfig;
import io.syncline.config.Problems;
import io.syncline.config.ProviderReference;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.runtime.isolation.LoaderSwap;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Checks one {@code sources:}/{@code sinks:} entry as the Connect worker of {@code syncline up} would when creating it:
 * its {@code ${env:...}}/{@code ${file:...}} references are resolved with Kafka's own config providers, then the
 * connector class is loaded from the plugin path with Connect's own plugin isolation and its {@code validate()} runs
 * on the resolved settings. Each error the connector reports becomes a problem at its key.
 *
 * <p>Why in this process and not through a Connect worker's REST validate endpoint: validate must work before anything
 * runs (a user checks the file, then starts it), and the classes and providers used here are the ones {@code up}'s
 * worker loads from the same directories. When {@code cluster.connect-url} points at another Connect cluster, that
 * worker's plugins and secrets live elsewhere: what cannot be checked here is a warning there, not a problem.
 */
public final class ConnectorCheck {

    private final List<Path> pluginPath;
    private final EnvVarConfigProvider env;
    private final FileConfigProvider files = new FileConfigProvider();
    private final String externalConnect;
    private final Placer placer;
    private Plugins plugins;

    /**
     * @param pluginPath the directories {@code up}'s worker loads plugins from
     * @param environment the environment references resolve in (the process's)
     * @param externalConnect the URL of the Connect cluster in {@code cluster.connect-url}; empty when {@code up}
     *                        starts its own worker
     */
    public ConnectorCheck(List<Path> pluginPath, Map<String, String> environment, String externalConnect,
                          Placer placer) {
        this.pluginPath = List.copyOf(pluginPath);
        this.env = new EnvVarConfigProvider(environment);
        // Configured as the worker's are: no allow-list, so everything the worker could read is checked.
        this.env.configure(Map.of());
        this.files.configure(Map.of());
        this.externalConnect = externalConnect;
        this.placer = placer;
    }

    /** Findings for the connector at key path {@code at} ({@code sources[0]}); empty when it is valid. */
    public List<Finding> check(ConnectorConfig connector, boolean sink, String at) {
        List<Finding> findings = new ArrayList<>();
        Set<String> unresolved = new HashSet<>();
        Map<String, String> secrets = new LinkedHashMap<>();
        Map<String, String> resolved = new LinkedHashMap<>(connector.connectConfig(sink));
        for (Map.Entry<String, String> e : connector.config().entrySet()) {
            String key = Problems.child(Problems.child(at, "config"), e.getKey());
            String value = e.getValue() == null ? "" : e.getValue();
            for (ProviderReference ref : ProviderReference.findAll(value)) {
                String problem = resolve(ref);
                if (problem == null) {
                    String secret = lookup(ref);
                    secrets.put(secret, ref.text());
                    value = value.replace(ref.text(), secret);
                } else {
                    unresolved.add(e.getKey());
                    findings.add(externalConnect.isEmpty() ? Finding.problem(placer.at(key, problem))
                            : Finding.warning(placer.at(key, problem + " here; the Connect worker at " + externalConnect
                            + " resolves it in its own environment")));
                }
            }
            resolved.put(e.getKey(), value);
        }
        resolved.put("name", connector.name());
        for (Finding f : validate(connector, sink, at, resolved, unresolved)) {
            findings.add(redact(f, secrets));
        }
        return findings;
    }

    /**
     * A connector's message may quote the value it refused (ConfigDef does, for all but PASSWORD keys); a resolved
     * secret must not reach the terminal, so it is shown as the reference it came from.
     */
    private static Finding redact(Finding finding, Map<String, String> secrets) {
        String message = finding.problem().message();
        for (Map.Entry<String, String> s : secrets.entrySet()) {
            if (!s.getKey().isEmpty()) {
                message = message.replace(s.getKey(), s.getValue());
            }
        }
        var p = finding.problem();
        return new Finding(new io.syncline.config.ConfigProblem(p.source(), p.line(), p.key(), message),
                finding.warning());
    }

    /** Why {@code ref} cannot be read, naming the reference and never a value; null when it can. */
    private String resolve(ProviderReference ref) {
        if (!ProviderReference.problems(ref.text()).isEmpty()) {
            return null; // malformed: the config model reported it already
        }
        switch (ref.provider()) {
            case "env" -> {
                String v = lookup(ref);
                return v == null || v.isEmpty() ? ref.text() + " is not set: export " + ref.key()
                        + " in the environment syncline up runs in" : null;
            }
            case "file" -> {
                try {
                    if (files.get(ref.path(), Set.of(ref.key())).data().get(ref.key()) == null) {
                        return ref.text() + ": " + ref.path() + " has no key " + ref.key()
                                + " (it is read as a Java properties file: key=value per line)";
                    }
                    return null;
                } catch (ConfigException e) {
                    return ref.text() + ": " + ref.path() + " cannot be read: check that it exists and is readable";
                }
            }
            default -> {
                return ref.text().substring(0, ref.text().indexOf(':') + 1) + "...} uses the config provider \""
                        + ref.provider() + "\"; the Connect worker syncline up starts knows env (${env:NAME}) and file "
                        + "(${file:/path/to/file.properties:key})";
            }
        }
    }

    private String lookup(ProviderReference ref) {
        return switch (ref.provider()) {
            case "env" -> env.get("", Set.of(ref.key())).data().get(ref.key());
            case "file" -> files.get(ref.path(), Set.of(ref.key())).data().get(ref.key());
            default -> null;
        };
    }

    private List<Finding> validate(ConnectorConfig connector, boolean sink, String at, Map<String, String> config,
                                   Set<String> unresolved) {
        String className = connector.connectorClass();
        Class<? extends Connector> type;
        try {
            type = plugins().connectorClass(className);
        } catch (RuntimeException e) {
            String notFound = pluginPath.isEmpty()
                    ? className + " was not found: no plugin directory is set (run through ./syncline, whose plugins/ "
                            + "has Syncline's connectors, or pass --plugin-path)"
                    : className + " is not in the plugin path " + pluginPath.stream().map(Path::toString)
                            .collect(Collectors.joining(", "));
            String key = Problems.child(at, "connector");
            return List.of(externalConnect.isEmpty()
                    ? Finding.problem(placer.at(key, "connector class " + notFound
                            + "; the Connect worker syncline up starts could not create it"))
                    : Finding.warning(placer.at(key, "cannot check here: connector class " + notFound
                            + "; the Connect worker at " + externalConnect + " checks it when syncline up creates it")));
        }
        if (SinkConnector.class.isAssignableFrom(type) != sink) {
            return List.of(Finding.problem(placer.at(Problems.child(at, "connector"), className + " is a "
                    + (sink ? "source" : "sink") + " connector; list it under " + (sink ? "sources:" : "sinks:"))));
        }
        Config result;
        Connector instance = plugins().newConnector(className);
        try (LoaderSwap swap = plugins().withClassLoader(instance.getClass().getClassLoader())) {
            result = instance.validate(config);
        } catch (RuntimeException e) {
            return List.of(Finding.problem(placer.at(Problems.child(at, "connector"), className
                    + ".validate() failed: " + e.getMessage())));
        }
        List<Finding> findings = new ArrayList<>();
        for (ConfigValue value : result.configValues()) {
            if (value.errorMessages().isEmpty() || unresolved.contains(value.name())) {
                continue;
            }
            String key = switch (value.name()) {
                case "topics" -> connector.topics().isEmpty() ? Problems.child(Problems.child(at, "config"), "topics")
                        : Problems.child(at, "topics");
                case "tasks.max" -> connector.tasksMax() == null ? Problems.child(Problems.child(at, "config"),
                        "tasks.max") : Problems.child(at, "tasks-max");
                case "connector.class" -> Problems.child(at, "connector");
                default -> Problems.child(Problems.child(at, "config"), value.name());
            };
            value.errorMessages().forEach(m -> findings.add(Finding.problem(placer.at(key, m))));
        }
        return findings;
    }

    private Plugins plugins() {
        if (plugins == null) {
            // service_load: only what plugins declare in META-INF/services, as up's worker does (fast, no scan).
            plugins = new Plugins(Map.of("plugin.path", pluginPath.stream().map(Path::toString)
                    .collect(Collectors.joining(",")), "plugin.discovery", "service_load"));
        }
        return plugins;
    }
}
