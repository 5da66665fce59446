package io.syncline.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.syncline.registry.server.SchemaRegistryServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code syncline registry}: the Confluent-compatible schema registry alone, storing its log in Kafka. */
@Command(name = "registry", header = "Run the schema registry alone against an existing Kafka.",
        description = {"Serves the Confluent Schema Registry REST API (subjects, versions, ids, compatibility) and "
                + "keeps its log in a compacted Kafka topic, as Confluent's does (docs/registry.md). Start several "
                + "against the same topic for availability. Runs until stopped; `syncline up` runs one too."})
final class RegistryCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "localhost",
            description = "Interface to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8081",
            description = "HTTP port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "_schemas",
            description = "Compacted topic holding the registry's log (default: ${DEFAULT-VALUE}).")
    String topic;

    @Spec
    CommandSpec spec;

    /** The server the flags describe, built but not started; a bad value is a usage error naming its flag. */
    SchemaRegistryServer build() {
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--port: expected a port between 0 and 65535 (0 = any free port), got " + port);
        }
        String kafka = connection.resolve().bootstrapServers();
        try {
            return SchemaRegistryServer.builder(kafka).host(host).port(port).topic(topic).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        SchemaRegistryServer server = build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "syncline-registry-shutdown"));
        try {
            server.start();
        } catch (IllegalStateException e) {
            throw new CliException(e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Schema registry listening on " + server.url() + " (log in topic " + topic + ")");
        out.flush();
        stopped.await();
        return 0;
    }
}
