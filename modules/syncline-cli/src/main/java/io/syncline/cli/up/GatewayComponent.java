package io.syncline.cli.up;

import io.syncline.config.GatewayConfig;
import io.syncline.gateway.WebhookGateway;
import io.syncline.kafka.FreePorts;
import io.syncline.ops.Health;

/**
 * The webhook gateway, writing to the Kafka published as {@link StackContext#KAFKA}, with the endpoints of
 * {@code syncline.yaml}'s gateway section. Publishes {@link StackContext#GATEWAY}.
 */
public final class GatewayComponent implements Component {

    private WebhookGateway gateway;
    private GatewayConfig config;
    private String address = "";

    @Override
    public String name() {
        return "Webhook gateway";
    }

    @Override
    public void preflight(StackContext context) {
        config = context.config().gateway();
        if (config.port() != 0) {
            FreePorts.requireFree("localhost", config.port(), "webhook gateway", "gateway.port in syncline.yaml");
        }
    }

    @Override
    public void start(StackContext context) {
        gateway = WebhookGateway.builder(config).bootstrapServers(context.endpoint(StackContext.KAFKA)).build()
                .start();
        address = "http://localhost:" + gateway.port();
        context.publish(StackContext.GATEWAY, address);
    }

    @Override
    public void stop() {
        gateway.close();
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public Health health() {
        if (gateway == null) {
            return Health.down("not started");
        }
        int n = config.endpoints().size();
        return Health.up(n == 0 ? "no endpoints: add them under gateway.endpoints"
                : n + (n == 1 ? " endpoint: " : " endpoints: ") + String.join(", ",
                config.endpoints().stream().map(e -> "/webhooks/" + e.name()).toList()));
    }
}
