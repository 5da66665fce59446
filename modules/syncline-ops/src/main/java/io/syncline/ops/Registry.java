package io.syncline.ops;

import java.util.Map;

import io.syncline.registry.client.HttpSchemaRegistryClient;
import io.syncline.registry.client.SchemaRegistryClientConfig;

/** Registry clients for the CLI: one try per call and short timeouts, so a registry that is down is reported at once. */
public final class Registry {

    private Registry() {
    }

    /** A client for {@code url} that fails fast instead of retrying. */
    public static HttpSchemaRegistryClient client(String url) {
        return HttpSchemaRegistryClient.create(Map.of(
                SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL, url,
                SchemaRegistryClientConfig.MAX_RETRIES, 0,
                SchemaRegistryClientConfig.HTTP_CONNECT_TIMEOUT_MS, 3000,
                SchemaRegistryClientConfig.HTTP_READ_TIMEOUT_MS, 10000));
    }
}
