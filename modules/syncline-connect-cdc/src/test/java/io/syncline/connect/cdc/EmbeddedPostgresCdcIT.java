package io.syncline.connect.cdc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import io.syncline.kafka.FreePorts;
import io.syncline.sandbox.shop.ShopDatabase;

/** The CDC contract on the embedded PostgreSQL that {@code up --demo} runs (zonky's binaries; no Docker needed). */
class EmbeddedPostgresCdcIT extends PostgresCdcContract {

    @Override
    CdcDatabase startDatabase(Path dir) {
        ShopDatabase shop = ShopDatabase.builder().port(FreePorts.pick()).dataDirectory(dir.resolve("postgres"))
                .cdcPassword("cdc-" + Long.toHexString(System.nanoTime())).build().start();
        return new CdcDatabase() {
            @Override
            public String host() {
                return shop.host();
            }

            @Override
            public int port() {
                return shop.port();
            }

            @Override
            public String cdcPassword() {
                return shop.cdcPassword();
            }

            @Override
            public Connection superuser() throws SQLException {
                return shop.connectAsSuperuser();
            }

            @Override
            public void stop() {
                shop.stop();
            }

            @Override
            public void start() {
                shop.start();
            }

            @Override
            public boolean isRunning() {
                return shop.isRunning();
            }

            @Override
            public void close() {
                shop.close();
            }
        };
    }
}
