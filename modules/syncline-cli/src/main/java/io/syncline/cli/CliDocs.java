package io.syncline.cli;

import java.util.Map;

import picocli.CommandLine;

/**
 * The generated part of docs/cli.md: the {@code --help} text of {@code syncline} and of every sub-command, so the
 * reference cannot drift from the code ({@code CliDocsTest} fails when it does, and rewrites it on request).
 */
public final class CliDocs {

    public static final String BEGIN = "<!-- BEGIN GENERATED: syncline --help (CliDocsTest rewrites this part) -->";
    public static final String END = "<!-- END GENERATED -->";

    private CliDocs() {
    }

    /** The reference section: one heading and one usage block per command, in the order {@code --help} lists them. */
    public static String reference() {
        CommandLine cli = SynclineCli.commandLine();
        StringBuilder md = new StringBuilder();
        md.append(BEGIN).append("\n\n");
        block(md, "syncline", cli);
        for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
            if (!sub.getKey().equals("help")) {
                block(md, "syncline " + sub.getKey(), sub.getValue());
            }
        }
        md.append(END).append('\n');
        return md.toString();
    }

    private static void block(StringBuilder md, String title, CommandLine command) {
        md.append("### `").append(title).append("`\n\n```\n")
                .append(command.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing())
                .append("\n```\n\n");
    }
}
