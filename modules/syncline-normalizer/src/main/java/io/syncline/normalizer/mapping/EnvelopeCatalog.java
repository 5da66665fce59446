package io.syncline.normalizer.mapping;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.config.ConfigException;
import io.syncline.config.ConfigProblem;
import io.syncline.config.SynclineConfigLoader;
import io.syncline.mapping.envelope.Envelope;
import io.syncline.mapping.envelope.EnvelopeCompiler;

/**
 * Every envelope and every deliberately ignored raw topic declared beside the mappings, in
 * {@code mappings/<provider>/envelopes.yaml} files ({@value #FILE_NAME}):
 *
 * <pre>
 * envelopes:                       # name → declaration (see EnvelopeCompiler); names are unique across files
 *   stripe-event: {…}
 * ignore:                          # raw topics read on purpose without a mapping: counted as skipped
 *   - topic: raw.stripe.invoiceitem
 *     reason: invoice items reach us inside their invoice's lines
 * </pre>
 */
public final class EnvelopeCatalog {

    /** The name of an envelope file; every other YAML file under the mappings directory is a mapping. */
    public static final String FILE_NAME = "envelopes.yaml";
    static final List<String> TOP_LEVEL_KEYS = List.of("description", "envelopes", "ignore");

    /**
     * A raw topic read on purpose without a mapping.
     *
     * @param topic the topic
     * @param reason why nothing normalizes it, as declared
     * @param file where it was declared
     */
    public record Ignored(String topic, String reason, String file) {
    }

    /** A declared envelope and the directory of its file (a mapping naming no envelope takes those of its own). */
    private record Declared(Envelope envelope, String dir) {
    }

    private final Map<String, Declared> envelopes;
    private final Map<String, Ignored> ignored;

    private EnvelopeCatalog(Map<String, Declared> envelopes, Map<String, Ignored> ignored) {
        this.envelopes = envelopes;
        this.ignored = ignored;
    }

    /** No envelopes declared: every mapping takes bare objects. */
    public static EnvelopeCatalog empty() {
        return new EnvelopeCatalog(Map.of(), Map.of());
    }

    /**
     * Compiles envelope files.
     *
     * @param files file label (e.g. {@code mappings/stripe/envelopes.yaml}) → its directory under the mappings
     *     directory (e.g. {@code stripe}) and YAML text, in a stable order
     * @throws ConfigException with every problem, each at its file and line
     */
    public static EnvelopeCatalog compile(Map<String, Map.Entry<String, String>> files) {
        List<ConfigProblem> problems = new ArrayList<>();
        EnvelopeCatalog catalog = compile(files, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return catalog;
    }

    /**
     * As {@link #compile(Map)}, adding problems to {@code problems} and returning what could be declared, so that
     * mappings naming a faulty envelope are not also reported as naming an unknown one.
     */
    static EnvelopeCatalog compile(Map<String, Map.Entry<String, String>> files, List<ConfigProblem> problems) {
        Map<String, Declared> envelopes = new LinkedHashMap<>();
        Map<String, Ignored> ignored = new LinkedHashMap<>();
        for (Map.Entry<String, Map.Entry<String, String>> f : files.entrySet()) {
            compileFile(f.getKey(), f.getValue().getKey(), f.getValue().getValue(), envelopes, ignored, problems);
        }
        return new EnvelopeCatalog(envelopes, ignored);
    }

    /** As {@link #compile(Map)} for one file in the top directory (tests). */
    public static EnvelopeCatalog compile(String text, String file) {
        return compile(Map.of(file, Map.entry("", text)));
    }

    private static void compileFile(String file, String dir, String text, Map<String, Declared> envelopes,
            Map<String, Ignored> ignored, List<ConfigProblem> problems) {
        Map<String, Integer> lines = SynclineConfigLoader.lineIndex(text);
        JsonNode root;
        try {
            root = text.isBlank() ? null : SynclineConfigLoader.yamlMapper().readTree(text);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            problems.add(new ConfigProblem(file, line, "", "not valid YAML: " + e.getOriginalMessage()));
            return;
        }
        if (root == null || !root.isObject()) {
            problems.add(new ConfigProblem(file, 1, "", "expected an envelope file with keys "
                    + String.join(", ", TOP_LEVEL_KEYS)));
            return;
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!TOP_LEVEL_KEYS.contains(key)) {
                problems.add(problem(file, lines, key, "unknown key \"" + key + "\"; expected one of "
                        + String.join(", ", TOP_LEVEL_KEYS) + " (mappings live in their own files; this name, "
                        + FILE_NAME + ", is reserved for envelopes)"));
            }
        }
        JsonNode env = root.get("envelopes");
        if (env != null && !env.isObject()) {
            problems.add(problem(file, lines, "envelopes", "expected envelope names mapped to declarations, e.g."
                    + " envelopes: {stripe-event: {when: …, object: /data/object}}"));
        } else if (env != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = env.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = e.getKey();
                String key = "envelopes." + name;
                if (!name.matches("[a-z0-9][a-z0-9_-]*")) {
                    problems.add(problem(file, lines, key, "expected an envelope name of lower-case letters, digits,"
                            + " - and _, got \"" + name + "\""));
                    continue;
                }
                Envelope compiled = EnvelopeCompiler.compile(e.getValue(), name, file, key,
                        (k, message) -> problems.add(problem(file, lines, k, message)));
                Declared before = envelopes.putIfAbsent(name, new Declared(compiled, dir));
                if (before != null) {
                    problems.add(problem(file, lines, key, "envelope \"" + name + "\" is already declared in "
                            + before.envelope().file() + "; envelope names are unique across the mappings directory"));
                }
            }
        }
        JsonNode ign = root.get("ignore");
        if (ign != null && !ign.isArray()) {
            problems.add(problem(file, lines, "ignore", "expected a list of {topic: <raw topic>, reason: <why>}"));
        } else if (ign != null) {
            for (int i = 0; i < ign.size(); i++) {
                JsonNode n = ign.get(i);
                String key = "ignore[" + i + "]";
                String topic = n.path("topic").asText("");
                String reason = n.path("reason").asText("");
                if (!topic.matches("[A-Za-z0-9._-]{1,249}")) {
                    problems.add(problem(file, lines, key + ".topic", "expected a raw topic name, got \"" + topic
                            + "\""));
                } else if (reason.isBlank()) {
                    problems.add(problem(file, lines, key + ".reason", "say why " + topic + " is read without a"
                            + " mapping (status and the docs show it), e.g. reason: invoice items arrive inside"
                            + " invoices"));
                } else {
                    Ignored before = ignored.putIfAbsent(topic, new Ignored(topic, reason.trim(), file));
                    if (before != null) {
                        problems.add(problem(file, lines, key + ".topic", topic + " is already ignored in "
                                + before.file()));
                    }
                }
                for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                    String k = it.next();
                    if (!k.equals("topic") && !k.equals("reason")) {
                        problems.add(problem(file, lines, key + "." + k, "unknown key \"" + k + "\"; expected topic"
                                + " and reason"));
                    }
                }
            }
        }
    }

    private static ConfigProblem problem(String file, Map<String, Integer> lines, String key, String message) {
        return new ConfigProblem(file, SynclineConfigLoader.lineOf(key, lines), key, message);
    }

    /** The envelope of that name, or null. */
    public Envelope find(String name) {
        Declared d = envelopes.get(name);
        return d == null ? null : d.envelope();
    }

    /** Envelopes declared in the envelope file of {@code dir} (a directory under the mappings directory), in order. */
    public List<Envelope> inDirectory(String dir) {
        List<Envelope> out = new ArrayList<>();
        for (Declared d : envelopes.values()) {
            if (d.dir().equals(dir)) {
                out.add(d.envelope());
            }
        }
        return out;
    }

    /** Every envelope name, for messages. */
    public Collection<String> names() {
        return envelopes.keySet();
    }

    /** Every envelope, in declaration order. */
    public List<Envelope> all() {
        return envelopes.values().stream().map(Declared::envelope).toList();
    }

    /** The raw topics declared as ignored. */
    public Map<String, Ignored> ignored() {
        return ignored;
    }
}
