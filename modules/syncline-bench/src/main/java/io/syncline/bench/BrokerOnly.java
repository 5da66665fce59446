package io.syncline.bench;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import io.syncline.kafka.EmbeddedKafkaBroker;

/**
 * The baseline process for {@link UpStartupDriver}: only the embedded Kafka broker, started the way {@code syncline up}
 * starts it. Prints {@value #READY} when ready and stops on SIGTERM.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.syncline.bench.BrokerOnly DATA_DIR PORT CONTROLLER_PORT}
 */
public final class BrokerOnly {

    static final String READY = "broker ready";

    private BrokerOnly() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(Path.of(args[0]))
                .port(Integer.parseInt(args[1]))
                .controllerPort(Integer.parseInt(args[2]))
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "broker-only-shutdown"));
        broker.start();
        System.out.println(READY);
        System.out.flush();
        stopped.await();
    }
}
