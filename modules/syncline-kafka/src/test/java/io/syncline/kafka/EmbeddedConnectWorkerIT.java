package io.syncline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Connect worker on the embedded broker: restart of worker and broker together on the same data directory. */
class EmbeddedConnectWorkerIT extends ConnectWorkerContract {

    @TempDir
    Path dataDir;

    private EmbeddedKafkaBroker broker;

    @Override
    protected String startKafka() {
        if (broker == null) {
            broker = EmbeddedKafkaBroker.builder(dataDir.resolve("kafka")).build();
        }
        broker.start();
        return broker.bootstrapServers();
    }

    @Override
    protected void stopKafka() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aBusyRestPortFailsWithAMessageNamingThePortAndTheFlag() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            EmbeddedConnectWorker worker = EmbeddedConnectWorker.builder("localhost:1").port(busy.getLocalPort()).build();
            assertThatThrownBy(worker::start)
                    .isInstanceOf(FreePorts.PortInUseException.class)
                    .hasMessageContaining("port " + busy.getLocalPort())
                    .hasMessageContaining("Kafka Connect REST API")
                    .hasMessageContaining("--connect-port");
        }
    }

    @Test
    void aMissingPluginDirectoryIsNamed() {
        Path missing = dataDir.resolve("no-such-plugins");
        EmbeddedConnectWorker worker = EmbeddedConnectWorker.builder("localhost:1").port(0).pluginDirectory(missing).build();
        assertThatThrownBy(worker::start)
                .hasMessage("Connect plugin directory " + missing.toAbsolutePath()
                        + " does not exist; create it or remove it from the plugin path");
        assertThat(worker.isRunning()).isFalse();
    }
}
