package io.syncline.console.view;

import java.util.List;
import java.util.Map;

/**
 * What the console's templates ({@code src/main/jte}) render: plain values, already redacted and formatted, so a
 * template only lays them out. Public because the compiled templates live in their own package.
 */
public final class Model {

    private Model() {
    }

    /**
     * What every page shows around its content.
     *
     * @param title the page's title
     * @param nav the navigation entry to mark as current ({@code pipeline}, {@code connectors}, ...)
     * @param csrf the session's token for forms and htmx requests
     * @param problems what is wrong with the cluster and what to do, one sentence each
     * @param signOut whether to offer signing out (a token is configured)
     * @param webjars paths of the front-end libraries under {@code /webjars/}
     */
    public record Frame(String title, String nav, String csrf, List<String> problems, boolean signOut,
                        Webjars webjars) {

        public boolean current(String entry) {
            return entry.equals(nav);
        }
    }

    /** Versioned paths of the WebJars, found at start (the version is written once, in the pom). */
    public record Webjars(String htmx, String htmxSse, String uplotJs, String uplotCss) {
    }

    /** A box of the pipeline graph, formatted. */
    public record Node(String id, String stage, String name, String state, boolean healthy, String records,
                       String rate, String lag, String deadLetters, String dlqLink, String latency, String link) {
    }

    /** A column of the pipeline graph. */
    public record Stage(String title, List<Node> nodes) {
    }

    /**
     * The graph, rendered on the page and again for every live update.
     *
     * @param stages the columns, in flow order
     * @param updated when the figures were read, as a time of day (UTC)
     * @param problem why figures are missing, or null
     * @param empty whether nothing flows yet
     */
    public record Graph(List<Stage> stages, String updated, String problem, boolean empty) {
    }

    /** A connector with its tasks and redacted config. */
    public record Connector(String name, String type, String state, String workerId, List<Task> tasks,
                            List<Entry> config, boolean paused, boolean failed) {
    }

    /** One task; {@code error} is the first line of a failed task's trace and {@code trace} all of it. */
    public record Task(int id, String state, String workerId, String error, String trace) {
    }

    /** A key and its (redacted) value. */
    public record Entry(String key, String value) {
    }

    /** A dead-letter topic and how many records wait there. */
    public record DlqTopic(String name, long records, long waiting) {
    }

    /** One dead letter in a list. */
    public record Letter(String position, int partition, long offset, String time, int attempt, String source,
                         String reason, String mapping, String message, boolean replayed) {
    }

    /**
     * The filter of a dead-letter list, as entered.
     *
     * @param reason only this reason, or empty
     * @param mapping only mapping files containing this, or empty
     * @param from only first seen at or after this (UTC, yyyy-MM-ddTHH:mm), or empty
     * @param to only first seen before this, or empty
     * @param replayed whether replayed ones are listed too
     */
    public record LetterFilter(String reason, String mapping, String from, String to, boolean replayed) {
    }

    /** One dead letter in full: key, headers, value as text and as the original bytes. */
    public record LetterDetail(String topic, Letter letter, String key, List<Entry> headers, String valueText,
                               String valueHex, int valueBytes) {
    }

    /** A schema subject in the catalogue. */
    public record Subject(String name, int latestVersion, int latestId, int versions, String compatibility) {
    }

    /** One line of a diff: {@code kind} is {@code same}, {@code added} or {@code removed}. */
    public record DiffLine(String kind, String oldNumber, String newNumber, String text) {
    }

    /** A topic with its partitions and records. */
    public record Topic(String name, int partitions, long records, boolean internal) {
    }

    /** One partition of a topic. */
    public record Partition(int partition, String leader, long start, long end, long records) {
    }

    /** A config problem, placed at its file, line and key. */
    public record Problem(String file, int line, String key, String message) {
    }

    /** One numbered line of the config file, redacted. */
    public record Line(int number, String text, boolean problem) {
    }

    /** A small helper for templates: a map's entries as a list. */
    public static List<Entry> entries(Map<String, String> map) {
        return map.entrySet().stream().map(e -> new Entry(e.getKey(), e.getValue())).toList();
    }
}
