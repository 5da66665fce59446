package io.syncline.cli.common;

import picocli.CommandLine.Option;

/** {@code -h/--help} for sub-commands (the version flag lives on {@code syncline} itself only). */
public final class HelpOption {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;
}
