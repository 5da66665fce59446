package io.syncline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The role commands ({@code gateway}, {@code registry}, {@code normalizer}, {@code connect-worker}) refuse bad command
 * lines and bad files before starting anything, each with a message naming what is wrong, and {@code --check} builds
 * what they describe without starting; none of these cases needs Kafka.
 */
class RoleCommandsTest {

    @TempDir
    static Path dir;

    static Stream<Arguments> badCommandLines() throws Exception {
        Path badGateway = Files.writeString(dir.resolve("bad-gateway.yaml"), "gateway:\n  prot: 8080\n");
        Path missing = dir.resolve("missing.properties");
        Path badWorker = Files.writeString(dir.resolve("bad-worker.properties"), "offset.flush.interval.ms=fast\n");
        return Stream.of(
                Arguments.of(new String[] {"gateway", "--bogus", "x"}, 2, "Unknown options: '--bogus', 'x'"),
                Arguments.of(new String[] {"gateway", "--port", "70000"}, 2,
                        "--port: expected a port between 0 and 65535 (0 = any free port), got 70000"),
                Arguments.of(new String[] {"gateway", "--config", badGateway.toString()}, 1,
                        "error: " + badGateway + ":2: gateway.prot: unknown key \"prot\""),
                Arguments.of(new String[] {"gateway", "--producer-config", missing.toString()}, 1,
                        "error: cannot read --producer-config " + missing),
                Arguments.of(new String[] {"registry", "--port", "eighty"}, 2,
                        "Invalid value for option '--port': 'eighty' is not an int"),
                Arguments.of(new String[] {"registry", "--port", "70000"}, 2,
                        "--port: expected a port between 0 and 65535 (0 = any free port), got 70000"),
                Arguments.of(new String[] {"registry", "--topic", " "}, 2, "topic must not be blank"),
                Arguments.of(new String[] {"registry", "--colour", "blue"}, 2, "Unknown options: '--colour', 'blue'"),
                Arguments.of(new String[] {"registry", "--basic-auth-users", "alice:secret"}, 2,
                        "--basic-auth-users: expected a secret reference, env:NAME or file:/path/to/secret"),
                Arguments.of(new String[] {"registry", "--incompatible-error-code", "42"}, 2,
                        "incompatibleErrorCode must be 40901 (Confluent 8.2 and later) or 409 (earlier releases), got 42"),
                Arguments.of(new String[] {"registry", "--tls-keystore", "k.p12"}, 2,
                        "--tls-keystore needs --tls-keystore-password (a reference)"),
                Arguments.of(new String[] {"registry", "--tls-truststore", "t.p12"}, 2,
                        "--tls-truststore and --tls-keystore-password need --tls-keystore"),
                Arguments.of(new String[] {"normalizer", "--config", badGateway.toString()}, 1,
                        "error: " + badGateway + ":2: gateway.prot: unknown key \"prot\""),
                Arguments.of(new String[] {"normalizer", "--mappings", dir.resolve("no-mappings").toString(),
                    "--config", dir.resolve("none.yaml").toString()}, 1, "no-mappings"),
                Arguments.of(new String[] {"connect-worker", "--port", "70000"}, 2,
                        "--port: expected a port between 0 and 65535, got 70000"),
                Arguments.of(new String[] {"connect-worker", "--metrics-port", "-3"}, 2,
                        "--metrics-port: expected a port between 0 and 65535 (0 = any free port), got -3"),
                Arguments.of(new String[] {"connect-worker", "--plugin-path", dir.resolve("no-plugins").toString()}, 1,
                        "the Connect plugin directory " + dir.resolve("no-plugins") + " (--plugin-path) does not exist"),
                Arguments.of(new String[] {"connect-worker", "--worker-config", missing.toString()}, 1,
                        "error: cannot read --worker-config " + missing),
                Arguments.of(new String[] {"connect-worker", "--worker-config", badWorker.toString(), "--check"}, 1,
                        "the Connect worker settings are not valid: Invalid value fast for configuration "
                                + "offset.flush.interval.ms"));
    }

    static Stream<Arguments> goodChecks() {
        return Stream.of(
                Arguments.of((Object) new String[] {"gateway", "--check", "--config", "none.yaml"}),
                Arguments.of((Object) new String[] {"registry", "--check", "--port", "0"}),
                Arguments.of((Object) new String[] {"normalizer", "--check", "--config", "none.yaml",
                    "--mappings", "../../mappings"}),
                Arguments.of((Object) new String[] {"connect-worker", "--check", "--group-id", "g", "--metrics-port",
                    "0", "--bootstrap-servers", "kafka-1:19092"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodChecks")
    void checkBuildsEverythingAndExitsWithoutStarting(String[] args) {
        ValidateCommandTest.Run run = ValidateCommandTest.run(args);
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains(args[0] + ": settings OK");
        assertThat(run.code()).isZero();
    }

    @ParameterizedTest(name = "{0} -> exit {1}")
    @MethodSource("badCommandLines")
    void aBadCommandLineOrFileIsRefusedBeforeAnythingStarts(String[] args, int code, String message) {
        ValidateCommandTest.Run run = ValidateCommandTest.run(args);
        assertThat(run.err()).contains(message);
        assertThat(run.code()).isEqualTo(code);
        assertThat(run.out()).isEmpty();
    }
}
