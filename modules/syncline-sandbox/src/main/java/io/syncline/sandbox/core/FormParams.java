package io.syncline.sandbox.core;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parses {@code application/x-www-form-urlencoded} text with bracket nesting, the way Stripe reads its requests:
 * {@code metadata[plan]=pro}, {@code expand[]=customer}, {@code expand[0]=customer}, {@code created[gte]=1700000000}.
 *
 * <p>The result maps a name to a {@link String}, a nested {@code Map<String, Object>} or a {@code List<Object>}.
 * A map whose keys are all indices ({@code [0]}, {@code [1]}) becomes a list in index order.
 */
public final class FormParams {

    private FormParams() {
    }

    /** Thrown for text that cannot be read as nested form parameters; names the offending parameter. */
    public static final class FormException extends IllegalArgumentException {
        private final String param;

        public FormException(String param, String message) {
            super(message);
            this.param = param;
        }

        public String param() {
            return param;
        }
    }

    /** Parses {@code text} (a query string or a form body); null or empty gives an empty map. */
    public static Map<String, Object> parse(String text) {
        Map<String, Object> root = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return root;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
            String name = decode(rawName);
            String value = decode(rawValue);
            put(root, name, value);
        }
        return finish(root);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new FormException(s, "Invalid URL encoding in parameter: " + s);
        }
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, String name, String value) {
        List<String> path = path(name);
        Map<String, Object> current = root;
        for (int i = 0; i < path.size() - 1; i++) {
            String segment = path.get(i);
            String next = path.get(i + 1);
            Object child = current.get(segment);
            if (child == null) {
                child = next.isEmpty() ? new Appends() : new LinkedHashMap<String, Object>();
                current.put(segment, child);
            }
            if (child instanceof Appends appends) {
                if (!next.isEmpty() || i + 1 != path.size() - 1) {
                    throw new FormException(name, "Invalid array: " + name);
                }
                appends.values.add(value);
                return;
            }
            if (!(child instanceof Map)) {
                throw new FormException(name, "Invalid hash: " + name + " was also given as a plain value");
            }
            current = (Map<String, Object>) child;
        }
        String last = path.get(path.size() - 1);
        if (last.isEmpty()) {
            throw new FormException(name, "Invalid array: " + name);
        }
        Object existing = current.get(last);
        if (existing instanceof Map || existing instanceof Appends) {
            throw new FormException(name, "Invalid hash: " + name + " was also given as a nested value");
        }
        current.put(last, value);
    }

    private static List<String> path(String name) {
        int open = name.indexOf('[');
        if (open < 0) {
            return List.of(name);
        }
        if (open == 0) {
            throw new FormException(name, "Invalid parameter name: " + name);
        }
        List<String> segments = new ArrayList<>();
        segments.add(name.substring(0, open));
        int i = open;
        while (i < name.length()) {
            if (name.charAt(i) != '[') {
                throw new FormException(name, "Invalid parameter name: " + name);
            }
            int close = name.indexOf(']', i);
            if (close < 0) {
                throw new FormException(name, "Invalid parameter name: " + name);
            }
            segments.add(name.substring(i + 1, close));
            i = close + 1;
        }
        return segments;
    }

    /** Marks a {@code name[]} list while parsing. */
    private static final class Appends {
        final List<Object> values = new ArrayList<>();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> finish(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            out.put(e.getKey(), finishValue(e.getValue()));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object finishValue(Object value) {
        if (value instanceof Appends appends) {
            return Collections.unmodifiableList(appends.values);
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> nested = finish((Map<String, Object>) m);
            if (!nested.isEmpty() && nested.keySet().stream().allMatch(k -> k.matches("\\d{1,6}"))) {
                TreeMap<Integer, Object> ordered = new TreeMap<>();
                nested.forEach((k, v) -> ordered.put(Integer.parseInt(k), v));
                return List.copyOf(ordered.values());
            }
            return nested;
        }
        return value;
    }
}
