package io.syncline.normalizer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the normalizer's commands when run without the full {@code syncline} CLI:
 * {@code java -cp … io.syncline.normalizer.cli.NormalizerCli normalizer|mappings|dlq …}.
 */
@Command(name = "syncline", mixinStandardHelpOptions = true,
        subcommands = {NormalizerCommand.class, MappingsCommand.class, DlqCommand.class})
public final class NormalizerCli {

    private NormalizerCli() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new NormalizerCli()).execute(args));
    }
}
