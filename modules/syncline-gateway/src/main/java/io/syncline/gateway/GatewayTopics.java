package io.syncline.gateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.syncline.config.GatewayConfig;
import io.syncline.config.WebhookEndpointConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, at start, every raw topic an endpoint may write that does not exist yet (fixed topics, allow-listed and
 * routed ones, fallback topics), with {@code topic-partitions} partitions and raw retention, so that no write waits
 * on (or relies on) the broker auto-creating a topic. A cluster where the gateway may not create topics is told
 * once at WARN, naming the topics to create; the gateway starts anyway and a write to a missing topic answers 503.
 */
final class GatewayTopics {

    private static final Logger log = LoggerFactory.getLogger(GatewayTopics.class);
    /** As the normalizer and the source connectors create raw topics: deletion after 7 days. */
    static final String RAW_RETENTION_MS = String.valueOf(7L * 24 * 3600 * 1000);

    private GatewayTopics() {
    }

    /** Every topic the endpoints may write, in order. */
    static List<String> declared(GatewayConfig config) {
        Set<String> all = new LinkedHashSet<>();
        for (WebhookEndpointConfig e : config.endpoints()) {
            all.addAll(e.declaredTopics());
        }
        return List.copyOf(all);
    }

    /**
     * Creates the missing ones.
     *
     * @param clientConfig the producer's settings (bootstrap servers, TLS/SASL), of which the admin client takes its
     *     own
     * @return the topics created
     */
    static List<String> ensure(GatewayConfig config, Map<String, Object> clientConfig, long timeoutMs) {
        List<String> wanted = declared(config);
        if (wanted.isEmpty()) {
            return List.of();
        }
        Map<String, Object> adminConfig = new LinkedHashMap<>(clientConfig);
        adminConfig.keySet().retainAll(AdminClientConfig.configNames());
        List<String> created = new ArrayList<>();
        try (Admin admin = Admin.create(adminConfig)) {
            Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, Optional.of(config.topicPartitions()), Optional.empty())
                            .configs(Map.of("cleanup.policy", "delete", "retention.ms", RAW_RETENTION_MS)))
                    .toList();
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(timeoutMs, TimeUnit.MILLISECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            log.warn("could not create the raw topics the webhook endpoints write ({}): {}; create them before"
                    + " providers call (syncline apply), or writes to a missing one answer 503", wanted,
                    cause.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return created;
    }
}
