package io.syncline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code syncline validate} without connectors: the file, its secrets and its mappings (connectors: ValidateCommandIT). */
class ValidateCommandTest {

    /** The mappings Syncline ships, so a file without problems of its own is valid here as under up. */
    static final String MAPPINGS = Path.of("../../mappings").toAbsolutePath().normalize().toString();

    @TempDir
    Path dir;

    @Test
    void printsEveryProblemAsFileLineKeyMessageAndExitsWithOne() throws Exception {
        Path file = dir.resolve("syncline.yaml");
        Files.writeString(file, """
                cluster:
                  bootstrap-servers: "not a server"
                  embedded:
                    registry-port: 70000
                """);
        Run run = run("validate", "--config", file.toString(), "--mappings", MAPPINGS);
        assertThat(run.code).isEqualTo(1);
        assertThat(run.err.lines()).containsExactly(
                file + ":2: cluster.bootstrap-servers: expected host:port[,host:port...], got \"not a server\"",
                file + ":4: cluster.embedded.registry-port: expected a port between 0 and 65535 (0 = any free port), "
                        + "got 70000",
                "2 problems in " + file + "; fix them and run syncline validate again");
        assertThat(run.out).isEmpty();
    }

    @Test
    void anUnknownKeyIsAProblemWithItsLine() throws Exception {
        Path file = dir.resolve("syncline.yaml");
        Files.writeString(file, "cluster:\n  conect-url: http://localhost:8083\n");
        Run run = run("validate", "--config", file.toString(), "--mappings", MAPPINGS);
        assertThat(run.code).isEqualTo(1);
        assertThat(run.err).startsWith(file + ":2: cluster.conect-url: unknown key \"conect-url\"; expected one of "
                + "bootstrap-servers, connect-url, embedded, registry-url\n");
    }

    @Test
    void aValidFileSaysSoOnStdoutAndExitsWithZero() throws Exception {
        Path file = dir.resolve("syncline.yaml");
        Files.writeString(file, "cluster:\n  embedded:\n    connect-port: 18083\nnormalizer:\n  mappings: " + MAPPINGS
                + "\n");
        Run run = run("validate", "--config", file.toString());
        assertThat(run.err).isEmpty();
        assertThat(run.code).isZero();
        assertThat(run.out).startsWith(file + ": valid\n").containsPattern("  mappings +\\d+ compiled from " + MAPPINGS);
    }

    @Test
    void aMissingFileIsAnErrorThatSaysWhatToDo() {
        Path file = dir.resolve("missing.yaml");
        Run run = run("validate", "--config", file.toString());
        assertThat(run.code).isEqualTo(1);
        assertThat(run.err).isEqualTo("error: " + file + ": file not found; create it (docs/cli.md shows an example) "
                + "or pass the file to check with --config FILE\n");
    }

    @Test
    void anUnknownOptionIsAUsageErrorWithExitCodeTwo() {
        Run run = run("validate", "--confg", "x");
        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).startsWith("Unknown options: '--confg', 'x'");
    }

    @Test
    void noCommandSaysWhichToTry() {
        Run run = run();
        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).startsWith("missing command: try `syncline up` to start Syncline, or `syncline --help`");
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = SynclineCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    record Run(int code, String out, String err) {
    }
}
