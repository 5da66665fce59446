package io.syncline.cli.up;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code <data-dir>/running.properties}: the process id and endpoints of a running {@code syncline up}, so that
 * {@code status}, {@code topics}, {@code schemas} and {@code tail} find it even when it was started on other ports.
 * Written when {@code up} is ready, deleted when it stops; ignored when its process is gone.
 */
public final class RunningFile {

    public static final String NAME = "running.properties";

    private RunningFile() {
    }

    /** Writes the file atomically (a reader never sees half of it). */
    public static void write(Path dataDir, Map<String, String> endpoints) {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        endpoints.forEach(p::setProperty);
        Path file = dataDir.resolve(NAME);
        Path tmp = dataDir.resolve(NAME + ".tmp");
        try (Writer out = Files.newBufferedWriter(tmp)) {
            p.store(out, "written by syncline up while it runs; deleted when it stops");
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + tmp, e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }

    /** Deletes the file; a failure only leaves a file that {@link #read} ignores once the process is gone. */
    public static void delete(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(NAME));
        } catch (IOException e) {
            // Harmless: read() checks that the recorded process is alive.
        }
    }

    /** The endpoints of a live {@code syncline up} on this data directory, if there is one. */
    public static Optional<Map<String, String>> read(Path dataDir) {
        Path file = dataDir.resolve(NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(p.getProperty("pid", ""));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            Map<String, String> endpoints = new LinkedHashMap<>();
            p.stringPropertyNames().stream().filter(k -> !k.equals("pid")).sorted()
                    .forEach(k -> endpoints.put(k, p.getProperty(k)));
            return Optional.of(endpoints);
        }
        return Optional.empty();
    }
}
