package io.syncline.cli.sandbox;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;

import io.syncline.cli.common.HelpOption;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code syncline sandbox}: runs one provider simulator in the foreground until interrupted. */
@Command(name = "sandbox", header = "Run a provider API simulator (payments, CRM, support) or the shop database until Ctrl-C.",
        description = "Runs a faithful simulator of a provider's API (for demos and connector tests) in the foreground: "
                + "real HTTP, the provider's auth, paging, rate limits, errors and signed webhooks, seeded activity, "
                + "and fault injection; or the shop application's PostgreSQL database with its traffic (docs/sandbox.md).",
        subcommands = {PaymentsCommand.class, CrmCommand.class, SupportCommand.class, ShopCommand.class,
            CommandLine.HelpCommand.class})
public final class SandboxCommand implements Runnable {

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a sandbox: payments, crm, support or shop");
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
