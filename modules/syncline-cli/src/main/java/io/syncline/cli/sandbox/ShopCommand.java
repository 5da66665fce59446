package io.syncline.cli.sandbox;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.syncline.cli.common.HelpOption;
import io.syncline.sandbox.shop.ShopDatabase;
import io.syncline.sandbox.shop.ShopSandbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sandbox shop}: the shop application's PostgreSQL database with generated traffic. */
@Command(name = "shop",
        description = "A real PostgreSQL (wal_level=logical) holding the shop application's database: customers, "
                + "orders and an outbox table, with generated traffic.")
final class ShopCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "" + ShopDatabase.DEFAULT_PORT,
            description = "Port on localhost (default: ${DEFAULT-VALUE}; 0 = any free).")
    int port;

    // Not --data-dir: that flag means the running stack's directory in every other command.
    @Option(names = "--database-dir", paramLabel = "DIR",
            description = "Where the database keeps its data across restarts (default: a temporary directory, deleted "
                    + "on exit).")
    Path dataDir;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated traffic (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rate", defaultValue = "2", paramLabel = "ROW_CHANGES_PER_SECOND",
            description = "Generated row changes per second; 0 = no traffic (default: ${DEFAULT-VALUE}).")
    double rate;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (rate < 0) {
            throw new ParameterException(spec.commandLine(), "--rate must be 0 (off) or a positive number of row "
                    + "changes per second, got " + rate);
        }
        ShopSandbox shop;
        try {
            shop = ShopSandbox.builder().port(port).dataDirectory(dataDir).seed(seed).trafficRate(rate > 0 ? rate : 1)
                    .startTraffic(rate > 0).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        shop.start();
        ShopDatabase db = shop.database();
        out.println("shop database (PostgreSQL, wal_level=logical) listening on " + db.host() + ":" + db.port());
        out.println("  application: psql " + db.clientUrl());
        out.println("  change data capture: user " + ShopDatabase.CDC_USER + ", password " + db.cdcPassword()
                + ", database " + db.database());
        out.println("  data: " + db.dataDirectory() + (dataDir == null ? " (deleted on exit)" : ""));
        out.println("  traffic: " + (rate > 0 ? rate + " row changes/s, seed " + seed : "off"));
        out.flush();
        SandboxCommand.runUntilShutdown(shop, out);
        return 0;
    }
}
