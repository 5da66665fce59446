package io.syncline.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.cli.common.CliException;
import io.syncline.cli.common.HelpOption;
import io.syncline.normalizer.dlq.DeadLetter;
import io.syncline.normalizer.dlq.DeadLetterQueue;
import io.syncline.ops.Health;
import io.syncline.ops.Probes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code syncline dlq list|show|replay}: look at records the normalizer could not normalize, and replay them. */
@Command(name = "dlq", header = "Inspect and replay the normalizer's dead letters.",
        description = "Lists the records the normalizer could not normalize (with the reason and the mapping), shows "
                + "one, and writes them back to their raw topics once the mapping is fixed.",
        subcommands = {DlqCommand.ListLetters.class, DlqCommand.Show.class, DlqCommand.Replay.class})
final class DlqCommand implements Runnable {

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command: dlq list | dlq show <partition:offset> | dlq replay (--all | <partition:offset>...)");
    }

    /** Options shared by the dlq commands: where the stack is, and which topic holds the dead letters. */
    static final class Target {
        @Mixin
        ConnectionOptions connection;

        @Option(names = "--topic", paramLabel = "TOPIC",
                description = "Dead-letter topic (default: normalizer.dlq-topic).")
        String topic;

        String topic() {
            return topic != null ? topic : connection.config().normalizer().dlqTopic();
        }

        /** The dead-letter topic on the Kafka this command finds; a Kafka that does not answer is an error. */
        DeadLetterQueue open() {
            Logging.off();
            String kafka = connection.resolve().bootstrapServers();
            Health health = Probes.kafka(kafka);
            if (!health.up()) {
                throw new CliException("Kafka at " + kafka + " does not answer (" + health.detail() + "); "
                        + ConnectionOptions.notRunningHint("Kafka cluster", "--bootstrap-servers"));
            }
            return new DeadLetterQueue(Map.of("bootstrap.servers", kafka), topic());
        }
    }

    static Predicate<DeadLetter> filter(String reason, String mapping) {
        return d -> (reason == null || reason.equals(d.reason()))
                && (mapping == null || d.mappingFile().endsWith(mapping) || d.mappingFile().contains(mapping));
    }

    /** A position argument, or a usage error naming it. */
    static long[] parsePosition(CommandSpec spec, String text) {
        try {
            return position(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** {@code 007:42} as {@link DeadLetter#position()} prints it ({@code 7:42}). */
    static String canonical(String position) {
        long[] p = position(position);
        return p[0] + ":" + p[1];
    }

    static long[] position(String text) {
        String[] parts = text.split(":");
        if (parts.length != 2 || !parts[0].matches("\\d+") || !parts[1].matches("\\d+")) {
            throw new IllegalArgumentException("expected <partition>:<offset> as shown by dlq list, got \"" + text + "\"");
        }
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    }

    /** One line per dead letter. */
    @Command(name = "list", header = "List dead letters, oldest first.",
            description = "One line per dead letter: position (partition:offset), first seen, attempt, source "
                    + "topic/partition/offset, reason, mapping file and message.")
    static final class ListLetters implements Callable<Integer> {
        @Mixin
        HelpOption help;

        @Mixin
        Target target;

        @Spec
        CommandSpec spec;

        @Option(names = "--reason", paramLabel = "REASON", description = "Only parse, no-mapping, mapping or schema.")
        String reason;

        @Option(names = "--mapping", paramLabel = "FILE",
                description = "Only this mapping file (e.g. stripe/charge.yaml).")
        String mapping;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
                description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<DeadLetter> letters = target.open().read(filter(reason, mapping));
            out.printf("%-10s %-24s %-7s %-30s %-10s %-28s %s%n", "POSITION", "FIRST-SEEN", "ATTEMPT", "SOURCE",
                    "REASON", "MAPPING", "MESSAGE");
            for (DeadLetter d : letters.subList(0, Math.min(limit, letters.size()))) {
                String source = d.sourceTopic() + "/" + d.header("syncline.source.partition") + "/"
                        + d.header("syncline.source.offset");
                out.printf("%-10s %-24s %-7d %-30s %-10s %-28s %s%n", d.position(),
                        d.header("syncline.first-seen"), d.attempt(), source, d.reason(), d.mappingFile(),
                        d.message());
            }
            out.println(letters.size() + " dead letter" + (letters.size() == 1 ? "" : "s"));
            out.flush();
            return 0;
        }
    }

    /** Headers and value of one dead letter. */
    @Command(name = "show", header = "Show one dead letter: headers and value.",
            description = "Prints the key, every header (the error's class, message, stage, attempt, first-seen time, "
                    + "source position) and the value, pretty-printed when it is JSON.")
    static final class Show implements Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Mixin
        HelpOption help;

        @Mixin
        Target target;

        @Parameters(paramLabel = "PARTITION:OFFSET", description = "The dead letter, as `dlq list` shows it.")
        String position;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            long[] p = parsePosition(spec, position);
            DeadLetter d = target.open().find((int) p[0], p[1]);
            if (d == null) {
                throw new CliException("no dead letter at " + position + " in " + target.topic()
                        + "; `syncline dlq list` shows the positions there");
            }
            out.println("position: " + d.position());
            out.println("key:      " + d.keyText());
            out.println("headers:");
            d.headers().forEach((k, v) -> out.println("  " + k + ": " + v));
            out.println("value:");
            String value = d.valueText();
            try {
                value = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(d.value()));
            } catch (Exception e) {
                // Not JSON (that may be why it is here): show it as it is.
            }
            out.println(value);
            out.flush();
            return 0;
        }
    }

    /** Re-injects dead letters into their source topics. */
    @Command(name = "replay", header = "Write dead letters back to the raw topics they came from.",
            description = "After fixing the mapping: writes each chosen dead letter's key, value and headers back to "
                    + "its source topic with the attempt raised by one; the normalizer then tries it again.")
    static final class Replay implements Callable<Integer> {
        @Mixin
        HelpOption help;

        @Mixin
        Target target;

        @Option(names = "--all", description = "Every dead letter that matches the filters.")
        boolean all;

        @Option(names = "--reason", paramLabel = "REASON", description = "Only parse, no-mapping, mapping or schema.")
        String reason;

        @Option(names = "--mapping", paramLabel = "FILE",
                description = "Only this mapping file (e.g. stripe/charge.yaml).")
        String mapping;

        @Option(names = "--dry-run", description = "List what would be replayed, write nothing.")
        boolean dryRun;

        @Parameters(paramLabel = "PARTITION:OFFSET", arity = "0..*", description = "Dead letters to replay.")
        List<String> positions = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (all == !positions.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "say what to replay: --all (with optional --reason/--mapping) or <partition:offset>...");
            }
            List<long[]> wanted = new ArrayList<>();
            for (String p : positions) {
                wanted.add(parsePosition(spec, p));
            }
            DeadLetterQueue dlq = target.open();
            Predicate<DeadLetter> f = filter(reason, mapping);
            if (!all) {
                f = f.and(d -> wanted.stream().anyMatch(w -> w[0] == d.partition() && w[1] == d.offset()));
            }
            List<DeadLetter> letters = dlq.read(f);
            String filters = (reason == null ? "" : " with reason " + reason)
                    + (mapping == null ? "" : (reason == null ? " with" : " and") + " mapping " + mapping);
            if (!all) {
                // Replay all of what was asked or nothing: a half-done replay is harder to reason about than none.
                List<String> missing = positions.stream().filter(p -> letters.stream()
                        .noneMatch(d -> d.position().equals(canonical(p)))).toList();
                if (!missing.isEmpty()) {
                    throw new CliException("nothing replayed: " + target.topic() + " has no dead letter"
                            + filters + " at " + String.join(", ", missing)
                            + "; `syncline dlq list` shows the positions there");
                }
            } else if (letters.isEmpty()) {
                throw new CliException("nothing replayed: " + target.topic() + " has no dead letters" + filters
                        + "; `syncline dlq list` shows what is there");
            }
            for (DeadLetter d : letters) {
                out.println((dryRun ? "would replay " : "replay ") + d.position() + " → " + d.sourceTopic()
                        + " (attempt " + (d.attempt() + 1) + ")");
            }
            if (!dryRun) {
                dlq.replay(letters);
            }
            out.println((dryRun ? "would replay " : "replayed ") + letters.size() + " dead letter"
                    + (letters.size() == 1 ? "" : "s"));
            out.flush();
            return 0;
        }
    }
}
