package io.syncline.sandbox.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code sandbox}: runs one provider simulator in the foreground until interrupted. The {@code syncline} CLI mounts
 * it as {@code syncline sandbox …}; {@link #main(String[])} runs it alone.
 */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = "Runs a faithful provider API simulator (for demos and connector tests) until Ctrl-C.",
        subcommands = {PaymentsCommand.class, CrmCommand.class, CommandLine.HelpCommand.class})
public final class SandboxCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a sandbox: payments or crm");
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SandboxCommand()).execute(args));
    }

    /** Blocks the calling thread until the JVM shuts down, closing {@code resource} on the way out. */
    static void runUntilShutdown(AutoCloseable resource, PrintWriter out) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                resource.close();
            } catch (Exception e) {
                out.println("closing the sandbox failed: " + e);
            } finally {
                stopped.countDown();
            }
        }, "sandbox-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
