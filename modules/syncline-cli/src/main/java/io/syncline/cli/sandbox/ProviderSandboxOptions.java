package io.syncline.cli.sandbox;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;

import io.syncline.sandbox.core.Faults;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The flags every provider sandbox command shares (where it listens, its seeded data and generated activity, its
 * faults) and what each does with them, so that {@code sandbox payments}, {@code crm} and {@code support} read and
 * report them the same way. The port stays in each command: its default is the provider's own.
 */
final class ProviderSandboxOptions {

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of all generated data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rate", defaultValue = "2", paramLabel = "CHANGES_PER_SECOND",
            description = "Generated activity in changes (provider events) per second; 0 = no generated activity "
                    + "(default: ${DEFAULT-VALUE}).")
    double rate;

    @Mixin
    FaultOptions faults;

    /** The generated rate, refused on {@code --rate} when negative. */
    double rate(CommandSpec spec) {
        if (rate < 0) {
            throw new ParameterException(spec.commandLine(), "--rate must be 0 (off) or a positive number of "
                    + "changes per second, got " + rate);
        }
        return rate;
    }

    Faults toFaults() {
        return faults.toFaults();
    }

    /** The {@code generator:} line of a sandbox's start-up lines. */
    String generatorLine() {
        return "  generator: " + (rate > 0 ? rate + " changes/s, seed " + seed : "off");
    }

    /**
     * Registers each {@code --webhook} URL with {@code register} (which answers the endpoint's id and signing
     * secret) and prints it; a URL the sandbox refuses closes the sandbox and is reported on {@code --webhook}.
     */
    static void registerWebhooks(List<String> urls, Function<String, List<String>> register, AutoCloseable sandbox,
                                 CommandSpec spec, PrintWriter out) {
        for (String url : urls) {
            List<String> idAndSecret;
            try {
                idAndSecret = register.apply(url);
            } catch (RuntimeException e) {
                try {
                    sandbox.close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
                throw new ParameterException(spec.commandLine(), "--webhook " + url + ": " + e.getMessage());
            }
            // The sandbox invents this secret; it protects nothing real and the receiver must be configured with it.
            out.println("  webhook " + idAndSecret.get(0) + " -> " + url + " (signing secret " + idAndSecret.get(1)
                    + ")");
        }
    }
}
