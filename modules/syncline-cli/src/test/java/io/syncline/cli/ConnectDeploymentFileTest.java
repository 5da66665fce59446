package io.syncline.cli;

import io.syncline.kafka.EmbeddedConnectWorker;
import io.syncline.testsupport.docs.GeneratedSection;
import org.junit.jupiter.api.Test;

/**
 * deploy/connect/connect-distributed.properties is the settings of the worker {@code syncline up} runs, for a
 * standalone Connect deployment; it is generated from {@link EmbeddedConnectWorker#deploymentProperties()}. Checked
 * here because the shared freshness helper cannot be a dependency of syncline-kafka (it depends on syncline-kafka).
 */
class ConnectDeploymentFileTest {

    @Test
    void theDeployedWorkerPropertiesMatchTheEmbeddedWorkersSettings() {
        GeneratedSection.assertFileUpToDate(GeneratedSection.repositoryDir().resolve("deploy/connect/"
                + "connect-distributed.properties"), EmbeddedConnectWorker.deploymentProperties());
    }
}
