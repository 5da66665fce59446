package io.syncline.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.concurrent.Callable;

import io.syncline.config.ConfigException;
import io.syncline.config.ConfigProblem;
import io.syncline.config.SynclineConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code syncline validate}: checks syncline.yaml without starting anything. */
@Command(name = "validate", header = "Check syncline.yaml.",
        description = "Checks syncline.yaml and prints every problem as `file:line: key: message` on stderr. "
                + "Exit code 0 when the file is valid, 1 when it has problems or does not exist.")
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.exists(config.file())) {
            throw new CliException(config.file() + ": file not found; create it (docs/cli.md shows an example) or pass "
                    + "the file to check with --config FILE");
        }
        try {
            SynclineConfigLoader.load(config.file());
        } catch (ConfigException e) {
            PrintWriter err = spec.commandLine().getErr();
            for (ConfigProblem problem : e.problems()) {
                err.println(problem);
            }
            int n = e.problems().size();
            err.println(n + (n == 1 ? " problem" : " problems") + " in " + config.file()
                    + "; fix " + (n == 1 ? "it" : "them") + " and run syncline validate again");
            err.flush();
            return SynclineCli.PROBLEMS;
        }
        spec.commandLine().getOut().println(config.file() + ": valid");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
