package io.syncline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.syncline.cli.common.CheckOption;
import io.syncline.cli.common.CliException;
import io.syncline.cli.common.HelpOption;
import io.syncline.config.SynclineConfig;
import io.syncline.gateway.WebhookGateway;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code syncline gateway}: the webhook gateway alone, against an existing Kafka (the production shape). */
@Command(name = "gateway", header = "Run the webhook gateway alone against an existing Kafka.",
        description = {"Receives provider webhooks at POST /webhooks/{endpoint}, verifies their signatures over the "
                + "raw body and answers 2xx only once the record is durably in Kafka. Endpoints come from "
                + "syncline.yaml's gateway section (docs/gateway.md). Runs until stopped; `syncline up` runs it too."})
final class GatewayCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port (default: gateway.port, else 8080).")
    Integer port;

    @Option(names = "--producer-config", paramLabel = "FILE",
            description = "Kafka producer properties (TLS, SASL; secrets through Kafka's config providers). Its "
                    + "bootstrap.servers is used when --bootstrap-servers is not given.")
    Path producerConfig;

    @Mixin
    CheckOption check;

    @Spec
    CommandSpec spec;

    /** Where {@code env:NAME} secrets are read; a test checking a deployment's files gives the container's. */
    Map<String, String> environment = System.getenv();

    /** The gateway the flags and syncline.yaml describe, built but not started. */
    WebhookGateway build() {
        SynclineConfig config = connection.config();
        Map<String, Object> producer = producerProperties();
        WebhookGateway.Builder builder = WebhookGateway.builder(config.gateway()).producerProperties(producer)
                .environment(environment);
        // A producer file that names its own Kafka (often with TLS listeners) wins over the defaults, not over a flag.
        if (connection.bootstrapServersGiven() || !producer.containsKey("bootstrap.servers")) {
            builder.bootstrapServers(connection.resolve().bootstrapServers());
        }
        if (port != null) {
            if (port < 0 || port > 65535) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--port: expected a port between 0 and 65535 (0 = any free port), got " + port);
            }
            builder.port(port);
        }
        return builder.build();
    }

    private Map<String, Object> producerProperties() {
        Map<String, Object> producer = new HashMap<>();
        if (producerConfig == null) {
            return producer;
        }
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(producerConfig, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (IOException e) {
            throw new CliException("cannot read --producer-config " + producerConfig + ": " + e.getMessage()
                    + "; pass a Kafka producer properties file", e);
        }
        p.forEach((k, v) -> producer.put(String.valueOf(k), v));
        return producer;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (check.only()) {
            try {
                build().check();
            } catch (IllegalStateException e) {
                throw new CliException(e.getMessage(), e);
            }
            spec.commandLine().getOut().println("gateway: settings OK (endpoints: " + connection.config().gateway()
                    .endpoints().stream().map(e -> e.name()).toList() + ")");
            spec.commandLine().getOut().flush();
            return 0;
        }
        WebhookGateway gateway;
        try {
            gateway = build().start();
        } catch (IllegalStateException e) {
            throw new CliException(e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "syncline-gateway-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Syncline gateway listening on " + gateway.url() + " (endpoints: "
                + connection.config().gateway().endpoints().stream().map(e -> "/webhooks/" + e.name()).toList() + ")");
        out.flush();
        stopped.await();
        return 0;
    }
}
