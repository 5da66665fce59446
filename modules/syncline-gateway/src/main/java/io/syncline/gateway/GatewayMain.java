package io.syncline.gateway;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import io.syncline.config.ConfigException;
import io.syncline.config.SynclineConfig;
import io.syncline.config.SynclineConfigLoader;

/**
 * Runs the gateway alone against an existing Kafka cluster (the production shape), until the process is stopped.
 *
 * <pre>
 * GatewayMain [--config syncline.yaml] [--bootstrap-servers host:port] [--port 8080] [--producer-config kafka.properties]
 * </pre>
 *
 * Kafka is {@code --bootstrap-servers}, else {@code cluster.bootstrap-servers} of the config file. The producer
 * properties file carries TLS/SASL settings (secrets in it via Kafka's own config providers).
 */
public final class GatewayMain {

    private GatewayMain() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Starts the gateway and blocks until shutdown; returns a process exit code (2 = usage or config error). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path configFile = Path.of(SynclineConfig.DEFAULT_FILE);
        String bootstrap = null;
        Integer port = null;
        Path producerConfig = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (i + 1 >= args.length && !arg.equals("--help")) {
                err.println("missing value for " + arg);
                return usage(err);
            }
            switch (arg) {
                case "--config" -> configFile = Path.of(args[++i]);
                case "--bootstrap-servers" -> bootstrap = args[++i];
                case "--port" -> {
                    try {
                        port = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        err.println("--port expects a number, got " + args[i]);
                        return 2;
                    }
                }
                case "--producer-config" -> producerConfig = Path.of(args[++i]);
                case "--help" -> {
                    usage(out);
                    return 0;
                }
                default -> {
                    err.println("unknown option " + arg);
                    return usage(err);
                }
            }
        }
        SynclineConfig config;
        try {
            config = SynclineConfigLoader.load(configFile);
        } catch (ConfigException e) {
            err.println(SynclineConfigLoader.describe(e));
            return 2;
        }
        if (bootstrap == null) {
            bootstrap = config.cluster().bootstrapServers();
        }
        Map<String, Object> producer = new HashMap<>();
        if (producerConfig != null) {
            Properties p = new Properties();
            try (Reader reader = Files.newBufferedReader(producerConfig, StandardCharsets.UTF_8)) {
                p.load(reader);
            } catch (IOException e) {
                err.println("cannot read --producer-config " + producerConfig + ": " + e.getMessage());
                return 2;
            }
            p.forEach((k, v) -> producer.put(String.valueOf(k), v));
        }
        if ((bootstrap == null || bootstrap.isEmpty()) && !producer.containsKey("bootstrap.servers")) {
            err.println("no Kafka to write to: pass --bootstrap-servers host:port or set cluster.bootstrap-servers in "
                    + configFile);
            return 2;
        }
        WebhookGateway.Builder builder = WebhookGateway.builder(config.gateway()).producerProperties(producer);
        if (bootstrap != null && !bootstrap.isEmpty()) {
            builder.bootstrapServers(bootstrap);
        }
        if (port != null) {
            builder.port(port);
        }
        WebhookGateway gateway;
        try {
            gateway = builder.build().start();
        } catch (IllegalStateException e) {
            err.println(e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "syncline-gateway-shutdown"));
        out.println("Syncline gateway listening on " + gateway.url() + " (endpoints: "
                + config.gateway().endpoints().stream().map(e -> "/webhooks/" + e.name()).toList() + ")");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            gateway.close();
        }
        return 0;
    }

    private static int usage(PrintStream out) {
        out.println("usage: GatewayMain [--config syncline.yaml] [--bootstrap-servers host:port] [--port 8080] "
                + "[--producer-config kafka.properties]");
        return 2;
    }
}
