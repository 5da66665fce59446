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

/** Every mapping of a deployment, compiled and indexed by raw topic. Immutable. */
public final class MappingSet {

    private final List<CompiledMapping> all;
    private final Map<String, List<CompiledMapping>> byTopic = new LinkedHashMap<>();

    private final Map<String, PathTrie> parsePaths = new LinkedHashMap<>();

    private MappingSet(List<CompiledMapping> all) {
        this.all = List.copyOf(all);
        for (CompiledMapping m : all) {
            byTopic.computeIfAbsent(m.topic(), t -> new ArrayList<>()).add(m);
        }
        byTopic.forEach((topic, mappings) -> parsePaths.put(topic, parsePaths(mappings)));
    }

    /**
     * What the parser must keep of a raw record of these mappings: their object paths at the root (bare objects)
     * and under data.object (envelopes), their envelope paths, and what selecting a mapping reads. Null when one of
     * them may read anything.
     */
    private static PathTrie parsePaths(List<CompiledMapping> mappings) {
        PathTrie root = new PathTrie();
        for (CompiledMapping m : mappings) {
            if (m.objectPaths() == null || m.eventPaths() == null) {
                return null;
            }
            root.merge(m.objectPaths());
            root.merge(m.eventPaths());
            root.node(new String[] {"data", "object"}).merge(m.objectPaths());
        }
        root.add(new String[] {"object"}, 0);
        root.add(new String[] {"type"}, 0);
        root.add(new String[] {"data", "object", "object"}, 0);
        return root;
    }

    /** The paths the parser keeps for records of {@code topic}, or null to keep everything. */
    public PathTrie parsePaths(String topic) {
        return parsePaths.get(topic);
    }

    /**
     * Compiles every {@code *.yaml}/{@code *.yml} file under {@code dir}.
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
        List<CompiledMapping> compiled = new ArrayList<>();
        // Files are named from the mappings directory's name down (mappings/stripe/charge.yaml): the same on every
        // machine, in errors and in the DLQ header syncline.mapping.file.
        Path top = dir.toAbsolutePath().normalize().getFileName();
        for (Path file : files) {
            String rel = dir.relativize(file).toString().replace('\\', '/');
            String name = rel.replaceFirst("\\.ya?ml$", "");
            String label = top == null ? rel : top + "/" + rel;
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                compiled.add(MappingCompiler.compile(text, name, label, catalog));
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            } catch (IOException e) {
                problems.add(new ConfigProblem(label, 0, "", "cannot be read: " + e));
            }
        }
        if (files.isEmpty()) {
            problems.add(new ConfigProblem(dir.toString(), 0, "", "no mapping files (*.yaml) found"));
        }
        problems.addAll(conflicts(compiled));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new MappingSet(compiled);
    }

    /** A set of already compiled mappings; checks that no two claim the same records. */
    public static MappingSet of(Collection<CompiledMapping> mappings) {
        List<ConfigProblem> problems = conflicts(mappings);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new MappingSet(List.copyOf(mappings));
    }

    private static List<ConfigProblem> conflicts(Collection<CompiledMapping> mappings) {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, CompiledMapping> bare = new LinkedHashMap<>();
        Map<String, CompiledMapping> events = new LinkedHashMap<>();
        for (CompiledMapping m : mappings) {
            if (m.acceptsBare()) {
                CompiledMapping other = bare.putIfAbsent(m.topic(), m);
                if (other != null) {
                    problems.add(new ConfigProblem(m.file(), 0, "source", "both " + other.file() + " and this file"
                            + " take bare objects from " + m.topic() + "; set bare: false on one of them"));
                }
            }
            List<String> patterns = m.eventPatterns() == null ? List.of("*") : m.eventPatterns();
            for (String p : patterns) {
                CompiledMapping other = events.putIfAbsent(m.topic() + " " + p, m);
                if (other != null) {
                    problems.add(new ConfigProblem(m.file(), 0, "source.events", "both " + other.file()
                            + " and this file take events \"" + p + "\" from " + m.topic()));
                }
            }
        }
        return problems;
    }

    public List<CompiledMapping> all() {
        return all;
    }

    /** The raw topics the mappings read. */
    public Collection<String> topics() {
        return byTopic.keySet();
    }

    public List<CompiledMapping> forTopic(String topic) {
        return byTopic.getOrDefault(topic, List.of());
    }

    public CompiledMapping byName(String name) {
        for (CompiledMapping m : all) {
            if (m.name().equals(name) || m.file().equals(name) || m.file().endsWith("/" + name)) {
                return m;
            }
        }
        return null;
    }

    /**
     * The mapping for a record of {@code topic}: an event envelope of {@code eventType}, or a bare object when
     * {@code eventType} is null. Null when no mapping takes it.
     */
    public CompiledMapping select(String topic, boolean envelope, String eventType) {
        for (CompiledMapping m : forTopic(topic)) {
            if (envelope ? m.acceptsEvent(eventType) : m.acceptsBare()) {
                return m;
            }
        }
        return null;
    }
}
