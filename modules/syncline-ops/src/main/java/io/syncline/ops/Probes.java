package io.syncline.ops;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.syncline.kafka.ConnectRestClient;
import io.syncline.registry.client.HttpSchemaRegistryClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Live health checks of Kafka, a schema registry and Kafka Connect, shared by {@code up} and {@code status}. */
public final class Probes {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private Probes() {
    }

    /** Kafka answers a describe-cluster request within a few seconds. */
    public static Health kafka(String bootstrapServers) {
        try (Admin admin = Admin.create(adminConfig(bootstrapServers))) {
            int brokers = admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
            return Health.up(brokers == 1 ? "1 broker" : brokers + " brokers");
        } catch (ExecutionException | TimeoutException e) {
            return Health.down("no answer from " + bootstrapServers + " within " + TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down("interrupted");
        } catch (RuntimeException e) {
            return Health.down(e.getMessage());
        }
    }

    /** The registry lists its subjects. */
    public static Health registry(String url) {
        try (HttpSchemaRegistryClient client = Registry.client(url)) {
            int subjects = client.getAllSubjects().size();
            return Health.up(subjects == 1 ? "1 subject" : subjects + " subjects");
        } catch (RuntimeException e) {
            return Health.down(e.getMessage());
        }
    }

    /** The Connect worker reports its version and its health endpoint answers 200. */
    public static Health connect(String url) {
        try {
            ConnectRestClient rest = new ConnectRestClient(url, TIMEOUT);
            String version = rest.version();
            if (!rest.healthy()) {
                return Health.down("worker " + version + " answers but is not ready (GET /health)");
            }
            int connectors = rest.connectors().size();
            return Health.up("Connect " + version + ", " + (connectors == 1 ? "1 connector" : connectors + " connectors"));
        } catch (RuntimeException e) {
            return Health.down(e.getMessage());
        }
    }

    /** Admin settings that fail fast instead of retrying for minutes against an address where nothing runs. */
    public static Map<String, Object> adminConfig(String bootstrapServers) {
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    }
}
