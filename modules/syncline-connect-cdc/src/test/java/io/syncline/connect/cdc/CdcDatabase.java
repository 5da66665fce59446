package io.syncline.connect.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import io.syncline.sandbox.shop.ShopDatabase;

/** The PostgreSQL server a CDC test captures, holding the shop database: embedded here, or a container. */
interface CdcDatabase extends AutoCloseable {

    String host();

    int port();

    /** The password of {@link ShopDatabase#CDC_USER}. */
    String cdcPassword();

    /** A connection to the shop database as a superuser (replication slots, publications, DDL). */
    Connection superuser() throws SQLException;

    /** Takes the server down; its data stays. */
    void stop();

    /** Brings a stopped server back on the same address and data. */
    void start();

    boolean isRunning();

    /** A connection to the shop database as the application. */
    default Connection app() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + host() + ":" + port() + "/" + ShopDatabase.DATABASE,
                ShopDatabase.APP_USER, ShopDatabase.APP_PASSWORD);
    }

    @Override
    void close();
}
