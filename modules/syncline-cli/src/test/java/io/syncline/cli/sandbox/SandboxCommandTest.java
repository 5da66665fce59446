package io.syncline.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Stream;

import io.syncline.cli.SynclineCli;
import io.syncline.sandbox.core.Faults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** {@code syncline sandbox}: its flags and how bad values are refused; no sandbox is left running. */
class SandboxCommandTest {

    private record Run(int exit, String out, String err) {
    }

    /** {@code syncline sandbox <args>}, as the CLI runs it. */
    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SynclineCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        String[] command = new String[args.length + 1];
        command[0] = "sandbox";
        System.arraycopy(args, 0, command, 1, args.length);
        int exit = cli.execute(command);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void helpListsTheSandboxesAndTheirFlags() {
        Run top = run("--help");
        assertThat(top.exit()).isZero();
        assertThat(top.out()).contains("payments", "crm", "support", "shop");
        Run payments = run("payments", "--help");
        assertThat(payments.exit()).isZero();
        assertThat(payments.out()).contains("--port", "--seed", "--rate", "--rate-limit", "--api-key", "--webhook",
                "--error-ratio", "--throttle-ratio", "--malformed-ratio", "--reset-ratio", "--timeout-ratio",
                "--latency-ms", "--webhook-duplicate-ratio", "--webhook-out-of-order-ratio");
    }

    @Test
    void crmHelpListsItsFlags() {
        Run help = run("crm", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--client-id", "--client-secret", "--private-app-token", "--token-ttl-seconds",
                "--rotate-refresh-tokens", "--rate-limit", "--search-rate-limit", "--timeout-ratio");
    }

    @Test
    void supportHelpListsItsFlags() {
        Run help = run("support", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("12113", "--api-token", "--agent-email", "--client-id", "--client-secret",
                "--token-ttl-seconds", "--rate-limit", "--export-rate-limit", "--webhook", "--webhook-drop-ratio");
    }

    @Test
    void shopHelpListsItsFlags() {
        Run help = run("shop", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("15432", "--port", "--database-dir", "--seed", "--rate");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(List.of("crm", "--port", "0", "--token-ttl-seconds", "0"), "access token TTL must be positive"),
                Arguments.of(List.of("crm", "--port", "0", "--reset-ratio", "-0.1"), "connectionResetRatio"),
                Arguments.of(List.of("support", "--port", "0", "--agent-email", "not-an-address"),
                        "agent e-mail must be an e-mail address, got not-an-address"),
                Arguments.of(List.of("support", "--port", "0", "--export-rate-limit", "-1"),
                        "export rate limit must be 0 (off) or positive, got -1"),
                Arguments.of(List.of("support", "--port", "0", "--webhook-drop-ratio", "2"),
                        "webhookDropRatio must be between 0 and 1, got 2.0"),
                Arguments.of(List.of("payments", "--port", "0", "--error-ratio", "1.5"),
                        "serverErrorRatio must be between 0 and 1, got 1.5"),
                Arguments.of(List.of("payments", "--port", "0", "--rate", "-1"), "--rate must be 0"),
                Arguments.of(List.of("shop", "--port", "-1"), "shop database port must be 0 to 65535, got -1"),
                Arguments.of(List.of("shop", "--rate", "-1"), "--rate must be 0 (off) or a positive number of row "
                        + "changes per second, got -1.0"),
                Arguments.of(List.of(), "choose a sandbox: payments, crm, support or shop"));
    }

    @ParameterizedTest(name = "sandbox {0}")
    @MethodSource("badValues")
    void aBadValueIsAUsageErrorNamingTheKnobAndNothingStarts(List<String> args, String message) {
        Run bad = run(args.toArray(String[]::new));
        assertThat(bad.err()).contains(message);
        assertThat(bad.exit()).isEqualTo(2);
    }

    @Test
    void faultFlagsMapToKnobs() {
        PaymentsCommand cmd = new PaymentsCommand();
        new CommandLine(cmd).parseArgs("--latency-ms", "20", "--latency-jitter-ms", "5", "--throttle-ratio", "0.1",
                "--reset-ratio", "0.05", "--timeout-ratio", "0.02", "--timeout-ms", "9000",
                "--webhook-duplicate-ratio", "0.3", "--webhook-drop-ratio", "0.25");
        Faults f = cmd.sandboxOptions.toFaults();
        assertThat(f.latencyMs()).isEqualTo(20);
        assertThat(f.latencyJitterMs()).isEqualTo(5);
        assertThat(f.rateLimitRatio()).isEqualTo(0.1);
        assertThat(f.connectionResetRatio()).isEqualTo(0.05);
        assertThat(f.timeoutRatio()).isEqualTo(0.02);
        assertThat(f.timeoutMs()).isEqualTo(9000);
        assertThat(f.webhookDuplicateRatio()).isEqualTo(0.3);
        assertThat(f.webhookDropRatio()).isEqualTo(0.25);
    }
}
