package io.syncline.cli.up;

import java.nio.file.Path;
import java.time.Duration;

import io.syncline.cli.common.MappingsDirOption;
import io.syncline.config.NormalizerConfig;
import io.syncline.normalizer.Normalizer;
import io.syncline.normalizer.NormalizerSettings;
import io.syncline.ops.Health;
import io.syncline.ops.PipelineStats;

/**
 * The normalizer (Kafka Streams, exactly-once) on the Kafka and registry published before it, with the mappings of
 * {@code normalizer.mappings} (relative to syncline.yaml's directory; the distribution's {@code mappings/} when that
 * does not exist and the default was not changed), its state under the data directory.
 */
public final class NormalizerComponent implements Component {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Path baseDir;
    private Normalizer normalizer;
    private String address = "";

    /** @param baseDir the directory relative paths of syncline.yaml resolve against */
    public NormalizerComponent(Path baseDir) {
        this.baseDir = baseDir;
    }

    @Override
    public String name() {
        return "Normalizer";
    }

    @Override
    public void start(StackContext context) {
        NormalizerConfig config = context.config().normalizer();
        NormalizerSettings settings = NormalizerSettings.from(config, context.endpoint(StackContext.KAFKA),
                context.endpoint(StackContext.REGISTRY), baseDir, context.dataDir());
        settings = settings.withMappingsDir(MappingsDirOption.effective(settings.mappingsDir(), config));
        normalizer = Normalizer.create(settings).start();
        if (!normalizer.awaitRunning(READY_TIMEOUT)) {
            Throwable failure = normalizer.failure();
            normalizer.close();
            throw new IllegalStateException("the normalizer did not reach RUNNING within " + READY_TIMEOUT.toSeconds()
                    + " s" + (failure == null ? "" : ": " + failure.getMessage()));
        }
        address = "app " + settings.applicationId() + ", " + normalizer.mappings().all().size() + " mappings from "
                + settings.mappingsDir();
        context.publish(StackContext.NORMALIZER, settings.applicationId());
        if (normalizer.metricsPort() > 0) {
            context.publish(StackContext.NORMALIZER_METRICS, "http://localhost:" + normalizer.metricsPort() + "/metrics");
        }
        Normalizer running = normalizer;
        PipelineStats.normalizer(() -> {
            java.util.Map<String, PipelineStats.RawTopicStats> out = new java.util.LinkedHashMap<>();
            running.metrics().perTopic().forEach((topic, f) -> out.put(topic, new PipelineStats.RawTopicStats(
                    f.in(), f.out(), f.duplicate(), f.stale(), f.skipped(), f.deadLettered())));
            return out;
        });
    }

    @Override
    public void stop() {
        PipelineStats.normalizer(null);
        normalizer.close();
    }

    @Override
    public String address() {
        return address;
    }

    /** The normalizer's own figures ({@code Normalizer.health()}), empty before it starts. */
    public java.util.Map<String, Object> figures() {
        Normalizer n = normalizer;
        return n == null ? java.util.Map.of() : n.health();
    }

    @Override
    public Health health() {
        if (normalizer == null) {
            return Health.down("not started");
        }
        return normalizer.healthy() ? Health.up(normalizer.state().toString()) : Health.down(normalizer.state()
                + (normalizer.failure() == null ? "" : ": " + normalizer.failure().getMessage()));
    }
}
