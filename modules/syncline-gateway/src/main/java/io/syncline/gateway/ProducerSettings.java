package io.syncline.gateway;

import java.util.HashMap;
import java.util.Map;

import io.syncline.config.GatewayConfig;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The gateway's Kafka client settings: the producer's (bounded waits, sized for the largest body, and {@code acks=all}
 * with idempotence whatever the user overrides) and the health check's admin client, derived from them.
 */
final class ProducerSettings {

    /** How long {@code /health} waits for the cluster to answer. */
    static final int HEALTH_TIMEOUT_MS = 2000;
    /** Room for the key, headers and batch framing on top of the largest body, for the producer's size check. */
    private static final int RECORD_OVERHEAD_BYTES = 64 * 1024;

    private ProducerSettings() {
    }

    /**
     * The producer's configuration: the gateway's defaults, then {@code overrides}, then the two settings a 200
     * depends on.
     *
     * @throws IllegalStateException when no {@code bootstrap.servers} was given
     */
    static Map<String, Object> producer(GatewayConfig config, Map<String, Object> overrides) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "syncline-gateway");
        int timeout = config.produceTimeoutMs();
        // Bounded waits: a request must turn into 200 or 503 within about produce-timeout-ms plus max.block.ms.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout / 2);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout / 2);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.maxBodyBytes() + RECORD_OVERHEAD_BYTES);
        // Provider JSON compresses several times over: cheaper disks and links, and a body near the 1 MiB limit
        // still fits Kafka's default message.max.bytes (about 1 MiB, checked on the compressed batch).
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.putAll(overrides);
        // Not negotiable: a 200 promises the record survives a broker failure and is not duplicated by our retries.
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        if (p.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) == null) {
            throw new IllegalStateException("the gateway needs Kafka: set bootstrapServers(...) or bootstrap.servers "
                    + "in producerProperties(...)");
        }
        Object maxBlock = p.get(ProducerConfig.MAX_BLOCK_MS_CONFIG);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.parseLong(String.valueOf(maxBlock)));
        return p;
    }

    /** How long a request waits for Kafka's acknowledgement: the delivery budget plus what {@code send} may block. */
    static long ackTimeoutMs(GatewayConfig config, Map<String, Object> producer) {
        return config.produceTimeoutMs() + ((Number) producer.get(ProducerConfig.MAX_BLOCK_MS_CONFIG)).longValue();
    }

    /** The health check's admin client: the producer's connection settings (TLS, SASL, …) with short timeouts. */
    static Map<String, Object> admin(Map<String, Object> producer) {
        Map<String, Object> a = new HashMap<>();
        for (Map.Entry<String, Object> e : producer.entrySet()) {
            if (AdminClientConfig.configNames().contains(e.getKey())) {
                a.put(e.getKey(), e.getValue());
            }
        }
        a.put(AdminClientConfig.CLIENT_ID_CONFIG, "syncline-gateway-health");
        a.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, HEALTH_TIMEOUT_MS);
        a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, HEALTH_TIMEOUT_MS);
        return a;
    }
}
