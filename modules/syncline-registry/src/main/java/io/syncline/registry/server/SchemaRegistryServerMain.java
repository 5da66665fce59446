package io.syncline.registry.server;

import java.util.concurrent.CountDownLatch;

/**
 * Runs a registry from the command line until interrupted.
 *
 * <pre>
 * java -cp … io.syncline.registry.server.SchemaRegistryServerMain --bootstrap-servers localhost:9092 \
 *     [--host localhost] [--port 8081] [--topic _schemas]
 * </pre>
 */
public final class SchemaRegistryServerMain {

    private static final String USAGE = "usage: SchemaRegistryServerMain --bootstrap-servers HOST:PORT[,…]"
            + " [--host HOST] [--port PORT] [--topic TOPIC]";

    private SchemaRegistryServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SchemaRegistryServer server;
        try {
            server = parse(args).build();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "syncline-registry-shutdown"));
        try {
            server.start();
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("Schema registry listening on " + server.url());
        stopped.await();
    }

    /** Reads the flags into a builder; unknown flags and missing values are errors naming the flag. */
    static SchemaRegistryServer.Builder parse(String[] args) {
        String bootstrap = null;
        String host = null;
        Integer port = null;
        String topic = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new IllegalArgumentException("Runs a Confluent-compatible schema registry.");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + flag);
            }
            String value = args[++i];
            switch (flag) {
                case "--bootstrap-servers" -> bootstrap = value;
                case "--host" -> host = value;
                case "--port" -> {
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port must be a number, got '" + value + "'");
                    }
                }
                case "--topic" -> topic = value;
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (bootstrap == null) {
            throw new IllegalArgumentException("--bootstrap-servers is required");
        }
        SchemaRegistryServer.Builder builder = SchemaRegistryServer.builder(bootstrap);
        if (host != null) {
            builder.host(host);
        }
        if (port != null) {
            builder.port(port);
        }
        if (topic != null) {
            builder.topic(topic);
        }
        return builder;
    }
}
