package io.syncline.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.syncline.cli.common.CliException;
import io.syncline.cli.common.HelpOption;
import io.syncline.cli.up.StackContext;
import io.syncline.config.ConsoleConfig;
import io.syncline.config.SecretRef;
import io.syncline.config.SynclineConfig;
import io.syncline.console.ConsoleServer;
import io.syncline.console.ConsoleSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code syncline console}: the web console alone, against whatever cluster the connection options find. */
@Command(name = "console", header = "Run the web console alone against any cluster.",
        description = {"Serves the web console (docs/console.md): the pipeline live, connectors, dead letters, "
                + "schemas, topics and syncline.yaml, in a browser. It finds Kafka, the registry and Connect as every "
                + "command does: the flags, else the running `syncline up` of the data directory, else syncline.yaml. "
                + "Listens on localhost unless told otherwise; any other address needs a token given by reference "
                + "(--token or console.auth-token). Runs until stopped; `syncline up` serves one too."})
final class ConsoleCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--host", paramLabel = "HOST",
            description = "Interface to listen on (default: console.host, else localhost). Any other address needs "
                    + "--token.")
    String host;

    @Option(names = "--port", paramLabel = "PORT",
            description = "HTTP port (default: console.port, else 8090; 0 = any free port).")
    Integer port;

    @Option(names = "--token", paramLabel = "REF",
            description = "The token people sign in with, as a reference: env:NAME or file:/path/to/token "
                    + "(default: console.auth-token). Never the token itself.")
    String token;

    @Spec
    CommandSpec spec;

    /** The settings the flags and the stack describe; a bad value is a usage error naming its flag. */
    ConsoleSettings settings() {
        ConnectionOptions.Endpoints endpoints = connection.resolve();
        SynclineConfig cfg = connection.config();
        ConsoleConfig console = cfg.console();
        if (port != null) {
            if (port < 0 || port > 65535) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--port: expected a port between 0 and 65535 (0 = any free port), got " + port);
            }
            console = console.withPort(port);
        }
        ConsoleSettings settings = ConsoleSettings.of(endpoints.bootstrapServers(), endpoints.registryUrl(),
                        endpoints.connectUrl()).withListener(console)
                .withConfigFile(connection.configOption().file().toAbsolutePath().normalize())
                .withNormalizer(endpoints.running().getOrDefault(StackContext.NORMALIZER,
                        cfg.normalizer().applicationId()), cfg.normalizer().dlqTopic(),
                        endpoints.fromRunningUp() ? endpoints.running().containsKey(StackContext.NORMALIZER) : null)
                .withGatewayUrl(endpoints.running().get(StackContext.GATEWAY));
        if (endpoints.fromRunningUp()) {
            settings = settings.withDataDir(endpoints.dataDir());
        }
        if (host != null) {
            settings = settings.withHost(host);
        }
        if (token != null) {
            try {
                settings = settings.withAuthToken(SecretRef.parse(token));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--token: " + e.getMessage());
            }
        }
        return settings;
    }

    @Override
    public Integer call() throws InterruptedException {
        Logging.off();
        ConsoleSettings settings = settings();
        ConsoleServer server;
        try {
            server = ConsoleServer.start(settings);
        } catch (IllegalStateException e) {
            throw new CliException(e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "syncline-console-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Syncline console at " + server.url() + " (Kafka " + settings.bootstrapServers() + ", registry "
                + settings.registryUrl() + ", Connect " + settings.connectUrl() + "). Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }
}
