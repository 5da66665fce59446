package io.syncline.normalizer.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.syncline.config.ConfigException;
import io.syncline.config.ConfigProblem;
import io.syncline.json.PathTrie;

/**
 * Every mapping of a deployment, compiled, with the envelopes they take and the raw topics declared as ignored; for
 * each raw topic a {@link TopicPlan}: how its records are recognised, parsed and given to a mapping. Immutable.
 */
public final class MappingSet {

    private final List<CompiledMapping> all;
    private final EnvelopeCatalog envelopes;
    private final Map<String, TopicPlan> plans = new LinkedHashMap<>();

    private MappingSet(List<CompiledMapping> all, EnvelopeCatalog envelopes, Map<String, TopicPlan> plans) {
        this.all = List.copyOf(all);
        this.envelopes = envelopes;
        this.plans.putAll(plans);
    }

    /**
     * Compiles every {@code *.yaml}/{@code *.yml} file under {@code dir}: files named
     * {@value EnvelopeCatalog#FILE_NAME} declare envelopes and ignored topics, every other one is a mapping.
     *
     * @throws ConfigException with every problem of every file, each at its file and line
     */
    public static MappingSet load(Path dir, TargetCatalog catalog) {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(List.of(new ConfigProblem(dir.toString(), 0, "",
                    "mappings directory not found; point normalizer.mappings (or --mappings) at the directory that"
                            + " holds e.g. stripe/charge.yaml")));
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("listing mappings in " + dir, e);
        }
        List<ConfigProblem> problems = new ArrayList<>();
        // Files are named from the mappings directory's name down (mappings/stripe/charge.yaml): the same on every
        // machine, in errors and in the DLQ header syncline.mapping.file.
        Path top = dir.toAbsolutePath().normalize().getFileName();
        Map<String, Map.Entry<String, String>> envelopeFiles = new LinkedHashMap<>();
        Map<String, Map.Entry<String, String>> mappingFiles = new LinkedHashMap<>();
        for (Path file : files) {
            String rel = dir.relativize(file).toString().replace('\\', '/');
            String label = top == null ? rel : top + "/" + rel;
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                problems.add(new ConfigProblem(label, 0, "", "cannot be read: " + e));
                continue;
            }
            if (file.getFileName().toString().equals(EnvelopeCatalog.FILE_NAME)) {
                int slash = rel.lastIndexOf('/');
                envelopeFiles.put(label, Map.entry(slash < 0 ? "" : rel.substring(0, slash), text));
            } else {
                mappingFiles.put(label, Map.entry(rel.replaceFirst("\\.ya?ml$", ""), text));
            }
        }
        EnvelopeCatalog envelopes = EnvelopeCatalog.compile(envelopeFiles, problems);
        List<CompiledMapping> compiled = new ArrayList<>();
        for (Map.Entry<String, Map.Entry<String, String>> f : mappingFiles.entrySet()) {
            try {
                compiled.add(MappingCompiler.compile(f.getValue().getValue(), f.getValue().getKey(), f.getKey(),
                        catalog, envelopes));
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        if (mappingFiles.isEmpty()) {
            problems.add(new ConfigProblem(dir.toString(), 0, "", "no mapping files (*.yaml) found"));
        }
        Map<String, TopicPlan> plans = TopicPlan.plan(compiled, envelopes, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new MappingSet(compiled, envelopes, plans);
    }

    /** A set of already compiled mappings; checks that no two claim the same records. */
    public static MappingSet of(Collection<CompiledMapping> mappings) {
        return of(mappings, EnvelopeCatalog.empty());
    }

    /** As {@link #of(Collection)}, with the envelopes and ignored topics of {@code envelopes}. */
    public static MappingSet of(Collection<CompiledMapping> mappings, EnvelopeCatalog envelopes) {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, TopicPlan> plans = TopicPlan.plan(mappings, envelopes, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new MappingSet(List.copyOf(mappings), envelopes, plans);
    }

    /** The envelopes and ignored topics declared beside the mappings. */
    public EnvelopeCatalog envelopes() {
        return envelopes;
    }

    /** The plan for {@code topic}: its mappings, or why it is ignored, or {@link TopicPlan#unmapped()}. */
    public TopicPlan plan(String topic) {
        TopicPlan p = plans.get(topic);
        return p != null ? p : TopicPlan.unmapped();
    }

    /** The paths the parser keeps for records of {@code topic}, or null to keep everything. */
    public PathTrie parsePaths(String topic) {
        return plan(topic).parsePaths();
    }

    public List<CompiledMapping> all() {
        return all;
    }

    /** The raw topics the mappings read. */
    public Collection<String> topics() {
        return plans.values().stream().filter(p -> !p.mappings().isEmpty()).map(TopicPlan::topic).toList();
    }

    /** The raw topics declared as deliberately ignored (read, and counted as skipped). */
    public Collection<String> ignoredTopics() {
        return envelopes.ignored().keySet();
    }

    public List<CompiledMapping> forTopic(String topic) {
        return plan(topic).mappings();
    }

    public CompiledMapping byName(String name) {
        for (CompiledMapping m : all) {
            if (m.name().equals(name) || m.file().equals(name) || m.file().endsWith("/" + name)) {
                return m;
            }
        }
        return null;
    }
}
