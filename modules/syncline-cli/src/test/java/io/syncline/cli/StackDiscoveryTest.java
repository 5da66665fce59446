package io.syncline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.syncline.cli.common.ConfigOption;
import io.syncline.cli.common.DataDirOption;
import io.syncline.cli.up.RunningFile;
import io.syncline.cli.up.StackContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Every command that talks to the stack finds it the same way: a flag, else the running file of
 * {@code syncline up}'s data directory, else syncline.yaml, else the embedded ports on localhost.
 */
class StackDiscoveryTest {

    private static final Map<String, String> RUNNING = Map.of(StackContext.KAFKA, "127.0.0.1:23992",
            StackContext.REGISTRY, "http://127.0.0.1:23981", StackContext.CONNECT, "http://127.0.0.1:23983");

    /** The command lines of every command with connection options (arguments they require included). */
    static Stream<String[]> commands() {
        return Stream.of(new String[] {"status"}, new String[] {"topics"}, new String[] {"schemas"},
                new String[] {"tail", "raw.stripe.charge"}, new String[] {"dlq", "list"}, new String[] {"dlq", "show", "0:1"},
                new String[] {"dlq", "replay", "--all"}, new String[] {"gateway"}, new String[] {"registry"},
                new String[] {"plan"}, new String[] {"apply"},
                new String[] {"normalizer"}, new String[] {"console"});
    }

    @TempDir
    Path dir;

    @Test
    void everyOptionThatSaysWhereTheStackIsIsDeclaredOnceInTheSharedMixins() {
        Set<Class<?>> shared = Set.of(ConnectionOptions.class, DataDirOption.class, ConfigOption.class);
        List<String> checked = new ArrayList<>();
        forEachCommand(SynclineCli.commandLine(), "syncline", (name, spec) -> {
            for (String flag : List.of("--bootstrap-servers", "--registry-url", "--connect-url", "--data-dir",
                    "--config")) {
                OptionSpec option = spec.findOption(flag);
                if (option != null) {
                    assertThat(((Field) option.userObject()).getDeclaringClass()).as("%s %s", name, flag)
                            .isIn(shared);
                    checked.add(name + " " + flag);
                }
            }
        });
        assertThat(checked).contains("syncline dlq replay --bootstrap-servers", "syncline gateway --data-dir",
                "syncline registry --bootstrap-servers", "syncline normalizer --registry-url", "syncline up --data-dir");
    }

    private static void forEachCommand(CommandLine command, String name,
                                       java.util.function.BiConsumer<String, CommandSpec> action) {
        action.accept(name, command.getCommandSpec());
        command.getSubcommands().forEach((sub, cl) -> forEachCommand(cl, name + " " + sub, action));
    }

    static Stream<Arguments> runningStackCases() {
        return commands().map(c -> Arguments.of((Object) c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runningStackCases")
    void aRunningUpInTheDataDirIsFoundByEveryCommand(String[] command) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        RunningFile.write(data, RUNNING);
        ConnectionOptions.Endpoints e = endpoints(command, "--config", dir.resolve("none.yaml").toString(),
                "--data-dir", data.toString());
        assertThat(e.bootstrapServers()).isEqualTo("127.0.0.1:23992");
        assertThat(e.registryUrl()).isEqualTo("http://127.0.0.1:23981");
        assertThat(e.connectUrl()).isEqualTo("http://127.0.0.1:23983");
        assertThat(e.fromRunningUp()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runningStackCases")
    void aFlagWinsOverTheRunningUp(String[] command) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        RunningFile.write(data, RUNNING);
        ConnectionOptions.Endpoints e = endpoints(command, "--config", dir.resolve("none.yaml").toString(),
                "--data-dir", data.toString(), "--bootstrap-servers", "kafka-1:9092");
        assertThat(e.bootstrapServers()).isEqualTo("kafka-1:9092");
        assertThat(e.registryUrl()).isEqualTo("http://127.0.0.1:23981");
        assertThat(e.source()).startsWith("the command line and the running syncline up (");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runningStackCases")
    void theDataDirOfSynclineYamlIsWhereTheRunningUpIsLookedFor(String[] command) throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.writeString(project.resolve("syncline.yaml"), "cluster:\n  embedded:\n    data-dir: state\n");
        RunningFile.write(Files.createDirectories(project.resolve("state")), RUNNING);
        ConnectionOptions.Endpoints e = endpoints(command, "--config", project.resolve("syncline.yaml").toString());
        assertThat(e.bootstrapServers()).isEqualTo("127.0.0.1:23992");
        assertThat(e.dataDir()).isEqualTo(project.resolve("state").toAbsolutePath().normalize());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runningStackCases")
    void withoutARunningUpSynclineYamlsClusterIsUsedThenTheEmbeddedPorts(String[] command) throws Exception {
        Path file = Files.writeString(dir.resolve("syncline.yaml"), """
                cluster:
                  bootstrap-servers: kafka-1:9092,kafka-2:9092
                  embedded:
                    data-dir: nothing-runs-here
                    registry-port: 23081
                """);
        ConnectionOptions.Endpoints e = endpoints(command, "--config", file.toString());
        assertThat(e.bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
        assertThat(e.registryUrl()).isEqualTo("http://localhost:23081");
        assertThat(e.connectUrl()).isEqualTo("http://localhost:8083");
        assertThat(e.fromRunningUp()).isFalse();
    }

    @Test
    void aRunningFileLeftByAProcessThatIsGoneIsIgnored() throws Exception {
        Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(gone.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve(RunningFile.NAME), "pid=" + gone.pid() + "\nkafka=127.0.0.1:23992\n");
        ConnectionOptions.Endpoints e = endpoints(new String[] {"dlq", "list"}, "--config",
                dir.resolve("none.yaml").toString(), "--data-dir", data.toString());
        assertThat(e.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(e.source()).isEqualTo("the default ports");
    }

    /** Parses {@code command + options} as the CLI does and resolves the command's connection options. */
    @Test
    void theConsoleShowsTheRunningUpWithItsDataDirAndListensWhereItsFlagsSay() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        RunningFile.write(data, RUNNING);
        ParseResult result = SynclineCli.commandLine().parseArgs("console", "--config",
                dir.resolve("none.yaml").toString(), "--data-dir", data.toString(), "--port", "0", "--host",
                "127.0.0.1", "--token", "env:SYNCLINE_CONSOLE_TOKEN");
        io.syncline.console.ConsoleSettings settings = ((ConsoleCommand) result.subcommand().commandSpec()
                .userObject()).settings();
        assertThat(settings.bootstrapServers()).isEqualTo("127.0.0.1:23992");
        assertThat(settings.registryUrl()).isEqualTo("http://127.0.0.1:23981");
        assertThat(settings.connectUrl()).isEqualTo("http://127.0.0.1:23983");
        assertThat(settings.dataDir()).isEqualTo(data.toAbsolutePath().normalize());
        assertThat(settings.port()).isZero();
        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.authToken()).hasToString("env:SYNCLINE_CONSOLE_TOKEN");
    }

    private static ConnectionOptions.Endpoints endpoints(String[] command, String... options) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of(options));
        ParseResult result = SynclineCli.commandLine().parseArgs(args.toArray(String[]::new));
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        ConnectionOptions connection = find(result.commandSpec());
        assertThat(connection).as("%s has the connection options", String.join(" ", command)).isNotNull();
        return connection.resolve();
    }

    private static ConnectionOptions find(CommandSpec spec) {
        for (CommandSpec mixin : spec.mixins().values()) {
            if (mixin.userObject() instanceof ConnectionOptions c) {
                return c;
            }
            ConnectionOptions nested = find(mixin);
            if (nested != null) {
                return nested;
            }
        }
        return null;
    }
}
