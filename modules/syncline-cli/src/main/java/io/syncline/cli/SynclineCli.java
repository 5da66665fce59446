package io.syncline.cli;

import java.io.PrintWriter;

import io.syncline.cli.common.CliException;
import io.syncline.cli.sandbox.SandboxCommand;
import io.syncline.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code syncline} command: entry point of the CLI, with one sub-command per task. */
@Command(name = "syncline",
        mixinStandardHelpOptions = true,
        versionProvider = SynclineCli.Version.class,
        description = "Syncline: keeps business systems in step through Kafka. Run `syncline up` to start everything on "
                + "this machine, then `syncline status` in another terminal.",
        subcommands = {UpCommand.class, StatusCommand.class, TopicsCommand.class, SchemasCommand.class,
                TailCommand.class, PersonCommand.class, ValidateCommand.class, PlanCommand.class, ApplyCommand.class, GatewayCommand.class,
                NormalizerCommand.class, RegistryCommand.class, ConnectWorkerCommand.class, ConsoleCommand.class,
                MappingsCommand.class, DlqCommand.class, SandboxCommand.class, CommandLine.HelpCommand.class},
        usageHelpAutoWidth = false)
public final class SynclineCli implements Runnable {

    /** Exit code when the command ran and found problems, or failed with an error the user can act on. */
    public static final int PROBLEMS = 1;
    /** Exit code for a command line that cannot be parsed (picocli's convention). */
    public static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        Logging.beforeAnything();
        System.exit(commandLine().execute(args));
    }

    /** The configured command line: errors as {@code error: <message>} on stderr, exit codes as documented. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SynclineCli());
        cli.setUsageHelpWidth(100);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof ConfigException config) {
                // A file with problems (syncline.yaml, a mapping): one line per problem, as `validate` prints them.
                config.problems().forEach(p -> err.println("error: " + p));
            } else {
                err.println("error: " + describe(e));
            }
            if (System.getenv("SYNCLINE_DEBUG") != null) {
                e.printStackTrace(err);
            }
            err.flush();
            return PROBLEMS;
        });
        return cli;
    }

    /** The message of a failure and of its causes, without repeats: what the user needs, never a stack trace. */
    static String describe(Throwable e) {
        return CliException.describe(e);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command: try `syncline up` to start Syncline, or `syncline --help` for all commands");
    }

    /** The version from the jar manifest (set by the build), or "development build" when run from classes. */
    static String version() {
        String v = SynclineCli.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }

    /** Supplies {@code --version}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"syncline " + version()};
        }
    }
}
