package io.syncline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * deploy/connect/connect-distributed.properties is the embedded worker's configuration for a standalone Connect
 * deployment, generated from {@link EmbeddedConnectWorker#deploymentWorkerConfig()}; this test fails when it is
 * stale and rewrites it with {@code -Dsyncline.docs.update=true}.
 */
class ConnectWorkerPropertiesTest {

    @Test
    void theDeployedWorkerPropertiesMatchTheEmbeddedWorkersSettings() throws Exception {
        Path file = Path.of(System.getProperty("syncline.deploy.dir", "../../deploy")).resolve("connect")
                .resolve("connect-distributed.properties");
        String expected = EmbeddedConnectWorker.deploymentProperties();
        String current = Files.exists(file) ? Files.readString(file) : "";
        if (Boolean.getBoolean("syncline.docs.update") && !current.equals(expected)) {
            Files.writeString(file, expected);
            return;
        }
        assertThat(current).as("%s is stale: rerun with -Dsyncline.docs.update=true to regenerate it", file)
                .isEqualTo(expected);
    }

    @Test
    void theDeploymentKeepsSecretsAndAddressesOutOfTheFile() {
        Map<String, String> config = EmbeddedConnectWorker.deploymentWorkerConfig();
        assertThat(config).containsEntry("bootstrap.servers", "${env:CONNECT_BOOTSTRAP_SERVERS}")
                .containsEntry("plugin.path", "/opt/syncline/plugins")
                .containsEntry("config.storage.replication.factor", "-1")
                .doesNotContainKeys("scheduled.rebalance.max.delay.ms", "offset.storage.partitions");
        Map<String, String> embedded = EmbeddedConnectWorker.defaultWorkerConfig("localhost:9092", "http://localhost:8083",
                List.of(Path.of("/opt/syncline/plugins")));
        // Everything else is the embedded worker's own setting: one definition for both.
        embedded.forEach((key, value) -> {
            if (!List.of("bootstrap.servers", "listeners", "config.storage.replication.factor",
                    "offset.storage.replication.factor", "status.storage.replication.factor",
                    "offset.storage.partitions", "status.storage.partitions", "scheduled.rebalance.max.delay.ms")
                    .contains(key)) {
                assertThat(config).containsEntry(key, value);
            }
        });
    }
}
