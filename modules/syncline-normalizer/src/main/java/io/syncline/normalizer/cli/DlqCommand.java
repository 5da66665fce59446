package io.syncline.normalizer.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.config.ConfigException;
import io.syncline.config.SynclineConfig;
import io.syncline.normalizer.dlq.DeadLetter;
import io.syncline.normalizer.dlq.DeadLetterQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code syncline dlq list|show|replay}: look at records the normalizer could not normalize, and replay them. */
@Command(name = "dlq", mixinStandardHelpOptions = true, description = "Inspect and replay dead letters.",
        subcommands = {DlqCommand.ListLetters.class, DlqCommand.Show.class, DlqCommand.Replay.class})
public final class DlqCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("use: dlq list | dlq show <partition:offset> | dlq replay (--all | <partition:offset>…)");
        return 2;
    }

    /** Options shared by the dlq commands. */
    static final class Target {
        @Mixin
        ConnectionOptions connection;

        @Option(names = "--topic", paramLabel = "TOPIC", description = "dead-letter topic (default: normalizer.dlq-topic)")
        String topic;

        DeadLetterQueue open() {
            SynclineConfig config = connection.loadConfig();
            String t = topic != null ? topic : config.normalizer().dlqTopic();
            return new DeadLetterQueue(Map.of("bootstrap.servers", connection.bootstrap(config)), t);
        }
    }

    static Predicate<DeadLetter> filter(String reason, String mapping) {
        return d -> (reason == null || reason.equals(d.reason()))
                && (mapping == null || d.mappingFile().endsWith(mapping) || d.mappingFile().contains(mapping));
    }

    static long[] position(String text) {
        String[] parts = text.split(":");
        if (parts.length != 2 || !parts[0].matches("\\d+") || !parts[1].matches("\\d+")) {
            throw new IllegalArgumentException("expected <partition>:<offset> as shown by dlq list, got \"" + text + "\"");
        }
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    }

    /** One line per dead letter. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List dead letters, oldest first.")
    public static final class ListLetters implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--reason", description = "only parse, no-mapping, mapping or schema")
        String reason;

        @Option(names = "--mapping", description = "only this mapping file (e.g. stripe/charge.yaml)")
        String mapping;

        @Option(names = "--limit", defaultValue = "100", description = "at most this many (default: ${DEFAULT-VALUE})")
        int limit;

        @Override
        public Integer call() {
            return run(System.out);
        }

        int run(PrintStream out) {
            try {
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
                return 0;
            } catch (ConfigException e) {
                return ConnectionOptions.fail(e);
            }
        }
    }

    /** Headers and value of one dead letter. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one dead letter: headers and value.")
    public static final class Show implements Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Mixin
        Target target;

        @Parameters(paramLabel = "PARTITION:OFFSET")
        String position;

        @Override
        public Integer call() {
            return run(System.out, System.err);
        }

        int run(PrintStream out, PrintStream err) {
            long[] p;
            try {
                p = position(position);
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                return 2;
            }
            DeadLetter d = target.open().find((int) p[0], p[1]);
            if (d == null) {
                err.println("no dead letter at " + position);
                return 1;
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
            return 0;
        }
    }

    /** Re-injects dead letters into their source topics. */
    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Write dead letters back to the raw topics they came from (after fixing the mapping).")
    public static final class Replay implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--all", description = "every dead letter that matches the filters")
        boolean all;

        @Option(names = "--reason", description = "only parse, no-mapping, mapping or schema")
        String reason;

        @Option(names = "--mapping", description = "only this mapping file (e.g. stripe/charge.yaml)")
        String mapping;

        @Option(names = "--dry-run", description = "list what would be replayed, write nothing")
        boolean dryRun;

        @Parameters(paramLabel = "PARTITION:OFFSET", arity = "0..*", description = "dead letters to replay")
        List<String> positions = new ArrayList<>();

        @Override
        public Integer call() {
            return run(System.out, System.err);
        }

        int run(PrintStream out, PrintStream err) {
            if (all == !positions.isEmpty()) {
                err.println("say what to replay: --all (with optional --reason/--mapping) or <partition:offset>…");
                return 2;
            }
            List<long[]> wanted = new ArrayList<>();
            try {
                for (String p : positions) {
                    wanted.add(position(p));
                }
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                return 2;
            }
            DeadLetterQueue dlq = target.open();
            Predicate<DeadLetter> f = filter(reason, mapping);
            if (!all) {
                f = f.and(d -> wanted.stream().anyMatch(w -> w[0] == d.partition() && w[1] == d.offset()));
            }
            List<DeadLetter> letters = dlq.read(f);
            for (DeadLetter d : letters) {
                out.println((dryRun ? "would replay " : "replay ") + d.position() + " → " + d.sourceTopic()
                        + " (attempt " + (d.attempt() + 1) + ")");
            }
            if (!dryRun) {
                dlq.replay(letters);
            }
            out.println((dryRun ? "would replay " : "replayed ") + letters.size() + " dead letter"
                    + (letters.size() == 1 ? "" : "s"));
            return 0;
        }
    }
}
