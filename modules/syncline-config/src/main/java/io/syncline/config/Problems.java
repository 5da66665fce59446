package io.syncline.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects validation problems by key path while a config model checks itself; the loader later adds file and line.
 */
public final class Problems {

    /** A problem before it is located in the file. */
    public record Problem(String key, String message) {
    }

    private final List<Problem> problems = new ArrayList<>();

    public void add(String key, String message) {
        problems.add(new Problem(key, message));
    }

    /** Adds a problem when {@code condition} is false. */
    public void require(boolean condition, String key, String message) {
        if (!condition) {
            add(key, message);
        }
    }

    public List<Problem> all() {
        return List.copyOf(problems);
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Joins a parent key path and a child key: {@code child("gateway", "port") = "gateway.port"}. */
    public static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    /** The key path of a list element: {@code index("secrets", 0) = "secrets[0]"}. */
    public static String index(String parent, int i) {
        return parent + "[" + i + "]";
    }
}
