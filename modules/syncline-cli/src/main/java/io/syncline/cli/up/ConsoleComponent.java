package io.syncline.cli.up;

import java.nio.file.Path;

import io.syncline.config.ConsoleConfig;
import io.syncline.console.ConsoleServer;
import io.syncline.console.ConsoleSettings;
import io.syncline.kafka.FreePorts;
import io.syncline.ops.Health;

/**
 * The web console (docs/console.md) on the stack started before it: Kafka, the registry, Connect, the gateway and
 * the normalizer as published, the data directory (the sinks' stats) and the syncline.yaml in use. Publishes
 * {@link StackContext#CONSOLE}.
 */
public final class ConsoleComponent implements Component {

    private final ConsoleConfig config;
    private final Path configFile;
    private ConsoleServer server;
    private String address = "";

    /**
     * @param config the console section, with {@code --console-port} applied
     * @param configFile the syncline.yaml the Config page shows
     */
    public ConsoleComponent(ConsoleConfig config, Path configFile) {
        this.config = config;
        this.configFile = configFile;
    }

    @Override
    public String name() {
        return "Console";
    }

    @Override
    public void preflight(StackContext context) {
        if (config.port() != 0) {
            FreePorts.requireFree(config.host(), config.port(), "web console", "--console-port (or console.port)");
        }
    }

    @Override
    public void start(StackContext context) {
        var endpoints = context.endpoints();
        ConsoleSettings settings = ConsoleSettings.of(context.endpoint(StackContext.KAFKA),
                        context.endpoint(StackContext.REGISTRY), context.endpoint(StackContext.CONNECT))
                .withListener(config)
                .withDataDir(context.dataDir())
                .withConfigFile(configFile.toAbsolutePath().normalize())
                .withNormalizer(endpoints.get(StackContext.NORMALIZER), context.config().normalizer().dlqTopic(),
                        endpoints.containsKey(StackContext.NORMALIZER))
                .withGatewayUrl(endpoints.get(StackContext.GATEWAY));
        server = ConsoleServer.start(settings);
        address = server.url();
        context.publish(StackContext.CONSOLE, address);
    }

    @Override
    public void stop() {
        server.close();
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public Health health() {
        if (server == null) {
            return Health.down("not started");
        }
        return Health.up(server.settings().loopback() ? "open it in a browser"
                : "on " + server.settings().host() + ", sign in with console.auth-token");
    }
}
