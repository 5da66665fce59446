package io.syncline.connect.cdc;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.syncline.kafka.FreePorts;
import io.syncline.sandbox.shop.ShopDatabase;
import io.syncline.testsupport.docker.RequiresDocker;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The CDC contract against the official {@code postgres} image ({@code -Pdocker} only, skipped with a message where no
 * Docker engine answers). The container's port is bound to a fixed host port so that stopping and starting the
 * container (the database-down tests) keeps the address the connector was given.
 */
@RequiresDocker
class DockerPostgresCdcIT extends PostgresCdcContract {

    /** A current PostgreSQL major; the embedded variant runs zonky's 14. */
    static final String IMAGE = "postgres:17";

    @Override
    CdcDatabase startDatabase(Path dir) throws Exception {
        int hostPort = FreePorts.pick();
        PostgreSQLContainer container = new PostgreSQLContainer(IMAGE)
                .withDatabaseName("postgres").withUsername("postgres").withPassword("postgres")
                .withCommand("postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=10",
                        "-c", "max_wal_senders=10")
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
                        new PortBinding(Ports.Binding.bindPort(hostPort), new ExposedPort(5432))));
        container.start();
        String cdcPassword = "cdc-" + Long.toHexString(System.nanoTime());
        ShopDatabase.install("localhost", hostPort, "postgres", "postgres", cdcPassword);
        return new CdcDatabase() {
            private boolean running = true;

            @Override
            public String host() {
                return "localhost";
            }

            @Override
            public int port() {
                return hostPort;
            }

            @Override
            public String cdcPassword() {
                return cdcPassword;
            }

            @Override
            public Connection superuser() throws SQLException {
                return DriverManager.getConnection("jdbc:postgresql://localhost:" + hostPort + "/"
                        + ShopDatabase.DATABASE, "postgres", "postgres");
            }

            @Override
            public void stop() {
                container.getDockerClient().stopContainerCmd(container.getContainerId()).exec();
                running = false;
            }

            @Override
            public void start() {
                container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                    try (Connection c = superuser()) {
                        return c.isValid(2);
                    }
                });
                running = true;
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public void close() {
                container.stop();
            }
        };
    }
}
