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
 * routed ones, fallback topics), with raw retention and the partition count the existing {@code raw.*} topics have
 * ({@code topic-partitions} only when there is none), so that no write waits on (or relies on) the broker
 * auto-creating a topic. A cluster where the gateway may not create topics is told
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
            int partitions = partitionsForNew(admin, existing, config.topicPartitions(), timeoutMs);
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, Optional.of(partitions), Optional.empty())
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

    /**
     * The partitions a new raw topic gets: the most an existing {@code raw.*} topic has, else {@code configured}.
     * Why not always {@code configured}: the normalizer reads every raw topic in one Kafka Streams sub-topology whose
     * state changelogs keep the partition count they were created with, and a raw topic with more partitions stops
     * every normalizer instance at its next rebalance (docs/normalizer.md). Taking the existing count means a gateway
     * configured differently from the other writers cannot do that.
     */
    static int partitionsForNew(Admin admin, Set<String> existing, int configured, long timeoutMs)
            throws ExecutionException, TimeoutException, InterruptedException {
        List<String> raw = existing.stream().filter(t -> t.startsWith("raw.")).toList();
        if (raw.isEmpty()) {
            return configured;
        }
        int most = admin.describeTopics(raw).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS).values().stream()
                .mapToInt(d -> d.partitions().size()).max().orElse(configured);
        if (most != configured) {
            log.info("creating raw topics with {} partitions, as the existing raw topics have, instead of"
                    + " gateway.topic-partitions {}", most, configured);
        }
        return most;
    }
}
