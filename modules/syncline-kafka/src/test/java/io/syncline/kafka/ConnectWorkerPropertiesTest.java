package io.syncline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The settings of deploy/connect/connect-distributed.properties ({@link EmbeddedConnectWorker#deploymentWorkerConfig()}):
 * the embedded worker's, without its addresses and secrets. The file's freshness is checked by the CLI module's
 * ConnectDeploymentFileTest with the shared docs helper (which this module cannot depend on: test-support uses it).
 */
class ConnectWorkerPropertiesTest {

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
