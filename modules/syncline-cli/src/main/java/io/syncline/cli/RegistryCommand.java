package io.syncline.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.syncline.cli.common.CheckOption;
import io.syncline.cli.common.CliException;
import io.syncline.cli.common.HelpOption;
import io.syncline.config.SecretRef;
import io.syncline.registry.server.SchemaRegistryServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code syncline registry}: the Confluent-compatible schema registry alone, storing its log in Kafka. */
@Command(name = "registry", header = "Run the schema registry alone against an existing Kafka.",
        description = {"Serves the Confluent Schema Registry REST API (Avro, JSON Schema and Protobuf; references, "
                + "data contracts, modes, contexts) and keeps its log in a compacted Kafka topic, as Confluent's "
                + "does (docs/registry.md). Start several against the same topic for availability. Runs until "
                + "stopped; `syncline up` runs one too. Secrets are references, env:NAME or file:PATH."})
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

    @Option(names = "--basic-auth-users", paramLabel = "REF",
            description = "Require HTTP basic auth; REF (env:NAME or file:PATH) holds user:password lines.")
    String basicAuthUsers;

    @Option(names = "--bearer-tokens", paramLabel = "REF",
            description = "Accept these bearer tokens (REF holds one per line); with --basic-auth-users, either.")
    String bearerTokens;

    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = "Serve HTTPS with the certificate and key in this key store.")
    Path tlsKeystore;

    @Option(names = "--tls-keystore-type", paramLabel = "TYPE", defaultValue = "PKCS12",
            description = "PKCS12 or JKS (default: ${DEFAULT-VALUE}).")
    String tlsKeystoreType;

    @Option(names = "--tls-keystore-password", paramLabel = "REF",
            description = "Reference to the key store's password (env:NAME or file:PATH).")
    String tlsKeystorePassword;

    @Option(names = "--tls-key-password", paramLabel = "REF",
            description = "Reference to the key's password, when it differs from the store's.")
    String tlsKeyPassword;

    @Option(names = "--tls-truststore", paramLabel = "FILE",
            description = "Require client certificates signed by what this trust store holds (mutual TLS).")
    Path tlsTruststore;

    @Option(names = "--tls-truststore-type", paramLabel = "TYPE", defaultValue = "PKCS12",
            description = "PKCS12 or JKS (default: ${DEFAULT-VALUE}).")
    String tlsTruststoreType;

    @Option(names = "--tls-truststore-password", paramLabel = "REF",
            description = "Reference to the trust store's password.")
    String tlsTruststorePassword;

    @Option(names = "--incompatible-error-code", paramLabel = "CODE", defaultValue = "40901",
            description = "error_code of an incompatible schema: 40901 (Confluent 8.2+) or 409 (earlier); "
                    + "default: ${DEFAULT-VALUE}.")
    int incompatibleErrorCode;

    @Mixin
    CheckOption check;

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
            SchemaRegistryServer.Builder builder = SchemaRegistryServer.builder(kafka).host(host).port(port)
                    .topic(topic).incompatibleErrorCode(incompatibleErrorCode);
            if (basicAuthUsers != null) {
                builder.basicAuthUsers(ref("--basic-auth-users", basicAuthUsers));
            }
            if (bearerTokens != null) {
                builder.bearerTokens(ref("--bearer-tokens", bearerTokens));
            }
            if (tlsKeystore != null) {
                if (tlsKeystorePassword == null) {
                    throw new IllegalArgumentException("--tls-keystore needs --tls-keystore-password (a reference)");
                }
                SchemaRegistryServer.Tls tls = new SchemaRegistryServer.Tls(tlsKeystore, tlsKeystoreType,
                        ref("--tls-keystore-password", tlsKeystorePassword),
                        tlsKeyPassword == null ? null : ref("--tls-key-password", tlsKeyPassword), null, null, null);
                if (tlsTruststore != null) {
                    tls = tls.requireClientCertificates(tlsTruststore, tlsTruststoreType,
                            tlsTruststorePassword == null ? null : ref("--tls-truststore-password",
                                    tlsTruststorePassword));
                }
                builder.tls(tls);
            } else if (tlsTruststore != null || tlsKeystorePassword != null) {
                throw new IllegalArgumentException("--tls-truststore and --tls-keystore-password need --tls-keystore");
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static SecretRef ref(String flag, String value) {
        try {
            return SecretRef.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage());
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        SchemaRegistryServer server = build();
        if (check.only()) {
            spec.commandLine().getOut().println("registry: settings OK (topic " + topic + ", port " + port + ")");
            spec.commandLine().getOut().flush();
            return 0;
        }
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
