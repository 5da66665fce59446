package io.syncline.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The build's evolution rule: every canonical schema stays compatible (both directions) with every released copy of
 * the same major version, released copies are never edited, and a released entity never disappears.
 */
final class ReleaseCheck {

    static final String CHECKSUMS = "SHA256SUMS";

    private ReleaseCheck() {
    }

    /**
     * Checks the schema tree at {@code current} against the frozen releases in {@code released}
     * ({@code released/<N>/<domain>/<Name>.avsc} plus {@code released/<N>/SHA256SUMS}).
     *
     * @return one line per problem naming the schema file, the release, the field and the incompatibility; empty if
     *         the tree may be built and published
     */
    static List<String> problems(Path current, Path released) {
        List<String> problems = new ArrayList<>();
        Map<String, SchemaTree.SchemaFile> now = SchemaTree.load(current);
        Map<Integer, Path> releases = releases(released, problems);
        // Highest major ever released per file, so that a new major follows the last one without a gap.
        Map<String, Integer> highestReleasedMajor = new HashMap<>();
        for (Map.Entry<Integer, Path> release : releases.entrySet()) {
            String label = "released/" + release.getKey();
            problems.addAll(checksumProblems(release.getValue(), label));
            for (SchemaTree.SchemaFile frozen : SchemaTree.load(release.getValue()).values()) {
                if (!frozen.isCanonical()) {
                    // Shared types (common/, enums in their own file) are checked inside every record that uses them.
                    continue;
                }
                highestReleasedMajor.merge(frozen.path(), frozen.major(), Math::max);
                SchemaTree.SchemaFile file = now.get(frozen.path());
                String frozenPath = label + "/" + frozen.path();
                if (file == null) {
                    problems.add(frozen.path() + " is missing, but " + frozenPath + " was released: subscribers of "
                            + "its topic depend on it, so a canonical schema is never deleted");
                } else if (file.major() == null) {
                    problems.add(file.path() + " lost its \"" + CanonicalSchemas.MAJOR_PROPERTY
                            + "\" property, which " + frozenPath + " has (" + frozen.major() + ")");
                } else if (file.major() < frozen.major()) {
                    problems.add(file.path() + " has major version " + file.major() + ", lower than major version "
                            + frozen.major() + " of " + frozenPath);
                } else if (file.major().equals(frozen.major())) {
                    for (CompatibilityProblem problem : CompatibilityChecker.full(file.schema(), frozen.schema())) {
                        problems.add(file.path() + " is incompatible with " + frozenPath + " (major version "
                                + frozen.major() + "): " + problem.describe());
                    }
                }
            }
        }
        highestReleasedMajor.forEach((path, major) -> {
            SchemaTree.SchemaFile file = now.get(path);
            if (file != null && file.major() != null && file.major() > major + 1) {
                problems.add(path + " jumps to major version " + file.major() + " but the highest released one is "
                        + major + "; the next major version is " + (major + 1));
            }
        });
        return problems;
    }

    /** Release folders by number; anything else in {@code released/} is reported. */
    private static Map<Integer, Path> releases(Path released, List<String> problems) {
        Map<Integer, Path> releases = new TreeMap<>();
        if (!Files.isDirectory(released)) {
            return releases;
        }
        try (Stream<Path> entries = Files.list(released)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (Files.isDirectory(entry) && name.matches("[1-9][0-9]*")) {
                    releases.put(Integer.parseInt(name), entry);
                } else {
                    problems.add("released/" + name + " is not a release: expected only folders named by release "
                            + "number, written by schemas/freeze-release.sh");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + released, e);
        }
        return releases;
    }

    /** Frozen means frozen: every file must match the checksum written when the release was frozen. */
    private static List<String> checksumProblems(Path release, String label) {
        List<String> problems = new ArrayList<>();
        Path sums = release.resolve(CHECKSUMS);
        if (!Files.isRegularFile(sums)) {
            return List.of(label + "/" + CHECKSUMS + " is missing: freeze releases with schemas/freeze-release.sh");
        }
        Map<String, String> expected = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(sums, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                String[] parts = line.trim().split("\\s+\\*?", 2);
                if (parts.length != 2) {
                    problems.add(label + "/" + CHECKSUMS + " has a malformed line: " + line);
                    continue;
                }
                expected.put(parts[1], parts[0].toLowerCase());
            }
            try (Stream<Path> walk = Files.walk(release)) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    String path = release.relativize(file).toString().replace('\\', '/');
                    if (path.equals(CHECKSUMS)) {
                        continue;
                    }
                    String sum = expected.remove(path);
                    if (sum == null) {
                        problems.add(label + "/" + path + " was added after the release was frozen (it is not in "
                                + CHECKSUMS + "); released schemas never change");
                    } else if (!sum.equals(sha256(file))) {
                        problems.add(label + "/" + path + " was modified after the release was frozen (its SHA-256 "
                                + "differs from " + CHECKSUMS + "); released schemas never change: make the change "
                                + "in the current schema instead");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("verifying " + sums, e);
        }
        expected.keySet().forEach(path -> problems.add(label + "/" + path + " is listed in " + CHECKSUMS
                + " but was deleted; released schemas never change"));
        return problems;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
