package io.syncline.console;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import io.syncline.config.ConsoleConfig;
import io.syncline.config.NormalizerConfig;
import io.syncline.config.SecretRef;

/**
 * Everything the console needs to know: where it listens and who may use it, and where the cluster it shows is.
 * {@code syncline up} fills it from its own stack; {@code syncline console} from the flags, the running {@code up}'s
 * file or {@code syncline.yaml}, as every command finds the stack.
 *
 * @param host the interface to listen on; anything but a loopback address needs {@code authToken}
 * @param port the HTTP port, 0 for any free one
 * @param authToken the token people sign in with, as a reference (never the value); null for none
 * @param bootstrapServers Kafka
 * @param registryUrl the schema registry
 * @param connectUrl the Kafka Connect REST API
 * @param dataDir the data directory of a running {@code syncline up} (its sinks' stats), or null
 * @param configFile the {@code syncline.yaml} the Config page shows, or null when there is none
 * @param normalizerApp the normalizer's application id (its consumer group)
 * @param normalizerDlqTopic the normalizer's dead-letter topic
 * @param normalizerRunning whether the {@code up} that serves the console runs the normalizer (null: unknown)
 * @param gatewayUrl the webhook gateway's URL, or null when none is known
 * @param sampleInterval how often the pipeline figures are read for the live page and its charts
 */
public record ConsoleSettings(String host, int port, SecretRef authToken, String bootstrapServers, String registryUrl,
                              String connectUrl, Path dataDir, Path configFile, String normalizerApp,
                              String normalizerDlqTopic, Boolean normalizerRunning, String gatewayUrl,
                              Duration sampleInterval) {

    /** How far back the pipeline charts reach. */
    public static final Duration HISTORY = Duration.ofMinutes(15);
    public static final Duration DEFAULT_SAMPLE_INTERVAL = Duration.ofSeconds(2);

    public ConsoleSettings {
        host = host == null || host.isBlank() ? ConsoleConfig.DEFAULT_HOST : host.trim();
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(registryUrl, "registryUrl");
        Objects.requireNonNull(connectUrl, "connectUrl");
        normalizerApp = normalizerApp == null ? NormalizerConfig.DEFAULT_APPLICATION_ID : normalizerApp;
        normalizerDlqTopic = normalizerDlqTopic == null ? NormalizerConfig.DEFAULT_DLQ_TOPIC : normalizerDlqTopic;
        sampleInterval = sampleInterval == null ? DEFAULT_SAMPLE_INTERVAL : sampleInterval;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("console port: expected 0 to 65535 (0 = any free port), got " + port);
        }
        if (sampleInterval.toMillis() < 100) {
            throw new IllegalArgumentException("console sample interval: expected at least 100 ms, got "
                    + sampleInterval.toMillis() + " ms");
        }
    }

    /** Settings for a cluster at these addresses, listening on localhost:8090, everything else by default. */
    public static ConsoleSettings of(String bootstrapServers, String registryUrl, String connectUrl) {
        return new ConsoleSettings(null, ConsoleConfig.DEFAULT_PORT, null, bootstrapServers, registryUrl, connectUrl,
                null, null, null, null, null, null, null);
    }

    /** Where and how to listen, from {@code syncline.yaml}'s console section. */
    public ConsoleSettings withListener(ConsoleConfig console) {
        return new ConsoleSettings(console.host(), console.port(), console.authToken(), bootstrapServers, registryUrl,
                connectUrl, dataDir, configFile, normalizerApp, normalizerDlqTopic, normalizerRunning, gatewayUrl,
                sampleInterval);
    }

    public ConsoleSettings withHost(String host) {
        return new ConsoleSettings(host, port, authToken, bootstrapServers, registryUrl, connectUrl, dataDir, configFile,
                normalizerApp, normalizerDlqTopic, normalizerRunning, gatewayUrl, sampleInterval);
    }

    public ConsoleSettings withPort(int port) {
        return new ConsoleSettings(host, port, authToken, bootstrapServers, registryUrl, connectUrl, dataDir, configFile,
                normalizerApp, normalizerDlqTopic, normalizerRunning, gatewayUrl, sampleInterval);
    }

    public ConsoleSettings withAuthToken(SecretRef authToken) {
        return new ConsoleSettings(host, port, authToken, bootstrapServers, registryUrl, connectUrl, dataDir, configFile,
                normalizerApp, normalizerDlqTopic, normalizerRunning, gatewayUrl, sampleInterval);
    }

    /** The running {@code up}'s data directory, whose {@code pipeline-stats.json} has the sinks' latency. */
    public ConsoleSettings withDataDir(Path dataDir) {
        return new ConsoleSettings(host, port, authToken, bootstrapServers, registryUrl, connectUrl, dataDir, configFile,
                normalizerApp, normalizerDlqTopic, normalizerRunning, gatewayUrl, sampleInterval);
    }

    public ConsoleSettings withConfigFile(Path configFile) {
        return new ConsoleSettings(host, port, authToken, bootstrapServers, registryUrl, connectUrl, dataDir, configFile,
                normalizerApp, normalizerDlqTopic, normalizerRunning, gatewayUrl, sampleInterval);
    }

    public ConsoleSettings withNormalizer(String applicationId, String dlqTopic, Boolean running) {
        return new ConsoleSettings(host, port, authToken, bootstrapServers, registryUrl, connectUrl, dataDir, configFile,
                applicationId, dlqTopic, running, gatewayUrl, sampleInterval);
    }

    public ConsoleSettings withGatewayUrl(String gatewayUrl) {
        return new ConsoleSettings(host, port, authToken, bootstrapServers, registryUrl, connectUrl, dataDir, configFile,
                normalizerApp, normalizerDlqTopic, normalizerRunning, gatewayUrl, sampleInterval);
    }

    public ConsoleSettings withSampleInterval(Duration sampleInterval) {
        return new ConsoleSettings(host, port, authToken, bootstrapServers, registryUrl, connectUrl, dataDir, configFile,
                normalizerApp, normalizerDlqTopic, normalizerRunning, gatewayUrl, sampleInterval);
    }

    /** Whether the console only listens on this machine. */
    public boolean loopback() {
        return ConsoleConfig.isLoopback(host);
    }
}
