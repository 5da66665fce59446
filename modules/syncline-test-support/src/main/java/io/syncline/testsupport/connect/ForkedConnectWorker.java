package io.syncline.testsupport.connect;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.syncline.kafka.EmbeddedConnectWorker;

/**
 * A Kafka Connect worker in a JVM of its own, so that a test can kill it with SIGKILL mid-work (an in-process worker
 * can only be stopped politely, which commits offsets and would hide what a crash leaves behind). It forms a Connect
 * cluster of its own on the broker (group and topics {@code <group>}, {@code <group>.configs|offsets|status}) and loads
 * connectors from the plugin path only; the JVM gets the test's class path, so keep the connector's classes off it.
 */
public final class ForkedConnectWorker {

    private ForkedConnectWorker() {
    }

    /** Starts the JVM; the worker is ready when its REST API on {@code port} answers. */
    public static Process start(String bootstrapServers, int port, Path pluginPath, String group, Path log)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                ForkedConnectWorker.class.getName(), bootstrapServers, String.valueOf(port), pluginPath.toString(),
                group));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Kills the worker's JVM with SIGKILL and waits until it is gone. */
    public static void kill(Process worker) throws InterruptedException {
        worker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** {@code <bootstrap servers> <REST port> <plugin path> <group>}; runs until killed. */
    public static void main(String[] args) throws InterruptedException {
        String group = args[3];
        EmbeddedConnectWorker worker = EmbeddedConnectWorker.builder(args[0]).port(Integer.parseInt(args[1]))
                .pluginDirectory(Path.of(args[2]))
                .config("group.id", group)
                .config("config.storage.topic", group + ".configs")
                .config("offset.storage.topic", group + ".offsets")
                .config("status.storage.topic", group + ".status")
                // The killed worker's membership must lapse quickly for its successor to get the tasks.
                .config("session.timeout.ms", "6000")
                .config("heartbeat.interval.ms", "1000")
                .build().start();
        System.out.println("forked Connect worker ready at " + worker.url());
        Thread.currentThread().join();
    }
}
