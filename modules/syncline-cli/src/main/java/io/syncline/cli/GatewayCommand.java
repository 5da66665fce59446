package io.syncline.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.syncline.gateway.GatewayMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code syncline gateway}: the webhook gateway alone, against an existing Kafka (the production shape). */
@Command(name = "gateway", header = "Run the webhook gateway alone against an existing Kafka.",
        description = {"Receives provider webhooks at POST /webhooks/{endpoint}, verifies their signatures over the "
                + "raw body and answers 2xx only once the record is durably in Kafka. Endpoints come from "
                + "syncline.yaml's gateway section (docs/gateway.md). Runs until stopped; `syncline up` runs it too."})
final class GatewayCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    ConfigOption config;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka to write to (default: cluster.bootstrap-servers).")
    String bootstrapServers;

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port (default: gateway.port, else 8080).")
    Integer port;

    @Option(names = "--producer-config", paramLabel = "FILE",
            description = "Kafka producer properties (TLS, SASL; secrets through Kafka's config providers).")
    Path producerConfig;

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>(List.of("--config", config.file().toString()));
        if (bootstrapServers != null) {
            args.addAll(List.of("--bootstrap-servers", bootstrapServers));
        }
        if (port != null) {
            args.addAll(List.of("--port", String.valueOf(port)));
        }
        if (producerConfig != null) {
            args.addAll(List.of("--producer-config", producerConfig.toString()));
        }
        int code = GatewayMain.run(args.toArray(String[]::new), System.out, System.err);
        return code == 0 ? 0 : code == 2 ? SynclineCli.USAGE : SynclineCli.PROBLEMS;
    }
}
