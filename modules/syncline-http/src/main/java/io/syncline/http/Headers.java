package io.syncline.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Immutable HTTP header fields with case-insensitive names, keeping the order they arrived in. */
public final class Headers {
    private static final Headers EMPTY = new Headers(Map.of());

    // Keyed by lower-cased name; each entry keeps the values in arrival order.
    private final Map<String, List<String>> fields;

    private Headers(Map<String, List<String>> fields) {
        this.fields = fields;
    }

    /** No headers. */
    public static Headers empty() {
        return EMPTY;
    }

    /** Headers from name/value pairs (names case-insensitive, repeated names keep every value). */
    public static Headers of(List<Map.Entry<String, String>> pairs) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (Map.Entry<String, String> pair : pairs) {
            map.computeIfAbsent(pair.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(pair.getValue());
        }
        map.replaceAll((k, v) -> List.copyOf(v));
        return new Headers(Collections.unmodifiableMap(map));
    }

    /** The first value of a header, if present. */
    public Optional<String> first(String name) {
        List<String> values = fields.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Every value of a header, in arrival order (empty if absent). */
    public List<String> all(String name) {
        return fields.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** Whether the header is present. */
    public boolean contains(String name) {
        return fields.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** All fields keyed by lower-cased name. */
    public Map<String, List<String>> asMap() {
        return fields;
    }

    @Override
    public String toString() {
        // Names only: values may be credentials.
        return "Headers" + fields.keySet();
    }
}
