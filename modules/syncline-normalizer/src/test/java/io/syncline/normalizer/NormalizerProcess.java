package io.syncline.normalizer;

import java.nio.file.Path;

/**
 * The normalizer alone in a JVM of its own, through its plain Java entry point, for tests that kill the process
 * ({@link ExactlyOnceUnderKillIT}). The {@code syncline normalizer} command does the same with flags and syncline.yaml.
 *
 * <p>Arguments, in order: bootstrap servers, registry URL, mappings directory, state directory, application id, and
 * optionally the partition count of the topics it creates.
 */
public final class NormalizerProcess {

    private NormalizerProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        NormalizerSettings settings = NormalizerSettings.defaults(args[0], args[1], Path.of(args[2]), Path.of(args[3]))
                .withApplicationId(args[4])
                // A killed member must leave the group quickly, so the restart does not wait out a long session.
                .withStreams("session.timeout.ms", "6000")
                .withStreams("heartbeat.interval.ms", "1000")
                .withStreams("commit.interval.ms", "200");
        if (args.length > 5) {
            settings = settings.withPartitions(Integer.parseInt(args[5]));
        }
        Normalizer normalizer = Normalizer.create(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(normalizer::close, "normalizer-shutdown"));
        normalizer.start();
        System.out.println("normalizer " + settings.applicationId() + " started");
        normalizer.awaitStop();
        System.exit(normalizer.failure() == null ? 0 : 1);
    }
}
