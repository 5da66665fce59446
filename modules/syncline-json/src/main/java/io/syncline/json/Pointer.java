package io.syncline.json;

import java.util.ArrayList;
import java.util.List;

/**
 * A JSON Pointer (RFC 6901), split into its reference tokens once: {@code /data/object/id}, {@code /lines/data/0},
 * {@code /a~1b} (member {@code a/b}), {@code /m~0n} (member {@code m~n}); the empty pointer is the whole document.
 *
 * <p>A token made of digits without a leading zero ({@code 0}, {@code 12}) is also an array index; which one applies
 * depends on the document, so both are kept.
 *
 * @param text the pointer as written
 * @param names the unescaped reference tokens (not copied: do not change them)
 * @param indexes per token, the array index it denotes, or -1 (not copied either)
 */
public record Pointer(String text, String[] names, int[] indexes) {

    /** The largest array index a pointer may name (larger tokens are member names only). */
    public static final int MAX_INDEX = 999_999_999;

    /** The whole document. */
    public static final Pointer ROOT = new Pointer("", new String[0], new int[0]);

    /**
     * Parses a pointer.
     *
     * @throws IllegalArgumentException naming the pointer and what is wrong (no leading {@code /}, a bad escape)
     */
    public static Pointer parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a JSON Pointer is required (e.g. /data/object/id)");
        }
        if (text.isEmpty()) {
            return ROOT;
        }
        if (text.charAt(0) != '/') {
            throw new IllegalArgumentException("a JSON Pointer starts with \"/\", got \"" + text + "\"");
        }
        List<String> out = new ArrayList<>();
        int start = 1;
        while (true) {
            int slash = text.indexOf('/', start);
            String raw = slash < 0 ? text.substring(start) : text.substring(start, slash);
            out.add(unescape(raw, text));
            if (slash < 0) {
                break;
            }
            start = slash + 1;
        }
        String[] names = out.toArray(new String[0]);
        int[] indexes = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            indexes[i] = index(names[i]);
        }
        return new Pointer(text, names, indexes);
    }

    /** The pointer to the given member names (each escaped as RFC 6901 requires). */
    public static Pointer of(String... names) {
        StringBuilder text = new StringBuilder();
        for (String n : names) {
            text.append('/').append(escape(n));
        }
        return parse(text.toString());
    }

    /** One reference token as written in a pointer: {@code ~} as {@code ~0}, {@code /} as {@code ~1}. */
    public static String escape(String name) {
        if (name.indexOf('~') < 0 && name.indexOf('/') < 0) {
            return name;
        }
        return name.replace("~", "~0").replace("/", "~1");
    }

    /** The array index a token denotes (digits without a leading zero, at most {@link #MAX_INDEX}), else -1. */
    public static int index(String token) {
        int n = token.length();
        if (n == 0 || n > 9 || (n > 1 && token.charAt(0) == '0')) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < n; i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static String unescape(String raw, String pointer) {
        int tilde = raw.indexOf('~');
        if (tilde < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '~') {
                out.append(c);
                continue;
            }
            char next = i + 1 < raw.length() ? raw.charAt(i + 1) : 0;
            if (next == '0') {
                out.append('~');
            } else if (next == '1') {
                out.append('/');
            } else {
                throw new IllegalArgumentException("invalid escape in JSON Pointer \"" + pointer
                        + "\": only ~0 (~) and ~1 (/) are allowed");
            }
            i++;
        }
        return out.toString();
    }

    /** How many reference tokens it has; 0 for the whole document. */
    public int size() {
        return names.length;
    }

    /** The reference tokens, unescaped (a copy). */
    public List<String> tokens() {
        return List.of(names);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pointer p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
