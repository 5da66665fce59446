package io.syncline.cli;

import java.util.Map;

import picocli.CommandLine;

/**
 * The generated part of docs/cli.md: the {@code --help} text of {@code syncline} and of every sub-command, so the
 * reference cannot drift from the code ({@code CliDocsTest} fails when it does, and rewrites it on request).
 */
public final class CliDocs {

    private CliDocs() {
    }

    /** The reference section: one heading and one usage block per command, in the order {@code --help} lists them. */
    public static String reference() {
        CommandLine cli = SynclineCli.commandLine();
        StringBuilder md = new StringBuilder();
        blocks(md, "syncline", cli);
        return md.toString();
    }

    /** The command's block, then its sub-commands' (depth first), so {@code dlq replay} is documented too. */
    private static void blocks(StringBuilder md, String title, CommandLine command) {
        block(md, title, command);
        for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
            if (!sub.getKey().equals("help")) {
                blocks(md, title + " " + sub.getKey(), sub.getValue());
            }
        }
    }

    private static void block(StringBuilder md, String title, CommandLine command) {
        md.append("### `").append(title).append("`\n\n```\n")
                .append(command.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing())
                .append("\n```\n\n");
    }
}
