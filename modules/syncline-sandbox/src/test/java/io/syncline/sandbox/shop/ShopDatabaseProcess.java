package io.syncline.sandbox.shop;

import java.nio.file.Path;

/**
 * {@code <port> <data directory>}: a shop database in a JVM of its own, for the test that kills that JVM with SIGKILL
 * and checks what the next start on the same data does. Prints {@code ready} once the server accepts connections.
 */
public final class ShopDatabaseProcess {

    private ShopDatabaseProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        ShopDatabase.builder().port(Integer.parseInt(args[0])).dataDirectory(Path.of(args[1])).build().start();
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }
}
