package io.syncline.cli.up;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * {@code <data-dir>/connector-problems.properties}: the connectors of {@code syncline.yaml} that the running
 * {@code syncline up} could not create or update, with the worker's reasons, so that {@code syncline status} shows
 * them next to the connectors that run. Written by {@code up} when its connectors are applied, deleted when it stops.
 */
public final class ConnectorProblems {

    public static final String NAME = "connector-problems.properties";

    /**
     * One connector {@code up} did not create or update.
     *
     * @param at where it is declared, e.g. {@code sinks[1]}
     * @param type {@code source} or {@code sink}
     * @param onCluster true when an earlier config of it is on the cluster and still runs
     * @param reasons the worker's reasons, one per line
     */
    public record Refusal(String name, String at, String type, boolean onCluster, List<String> reasons) {
        public Refusal {
            reasons = List.copyOf(reasons);
        }

        /** What happened, for a table cell. */
        public String state() {
            return onCluster ? "UPDATE REFUSED (previous config runs)" : "NOT CREATED";
        }
    }

    private ConnectorProblems() {
    }

    /** Writes the file atomically; with no refusals, deletes it. */
    public static void write(Path dataDir, List<Refusal> refusals) {
        if (refusals.isEmpty()) {
            delete(dataDir);
            return;
        }
        Properties p = new Properties();
        for (Refusal r : refusals) {
            p.setProperty(r.name() + ".at", r.at());
            p.setProperty(r.name() + ".type", r.type());
            p.setProperty(r.name() + ".on-cluster", String.valueOf(r.onCluster()));
            p.setProperty(r.name() + ".reasons", String.join("\n", r.reasons()));
        }
        Path file = dataDir.resolve(NAME);
        Path tmp = dataDir.resolve(NAME + ".tmp");
        try (Writer out = Files.newBufferedWriter(tmp)) {
            p.store(out, "written by syncline up: connectors it could not create or update; deleted when it stops");
            out.flush();
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }

    /** The refusals of the running {@code up}; empty when there are none or no file. */
    public static List<Refusal> read(Path dataDir) {
        Path file = dataDir.resolve(NAME);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException e) {
            return List.of();
        }
        Map<String, Refusal> out = new LinkedHashMap<>();
        for (String key : new TreeSet<>(p.stringPropertyNames())) {
            if (key.endsWith(".at")) {
                String name = key.substring(0, key.length() - ".at".length());
                String reasons = p.getProperty(name + ".reasons", "");
                out.put(name, new Refusal(name, p.getProperty(key), p.getProperty(name + ".type", ""),
                        Boolean.parseBoolean(p.getProperty(name + ".on-cluster")),
                        reasons.isEmpty() ? List.of() : new ArrayList<>(List.of(reasons.split("\n")))));
            }
        }
        return List.copyOf(out.values());
    }

    public static void delete(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(NAME));
        } catch (IOException e) {
            // Harmless: status reads it only while the running file names a live up.
        }
    }
}
