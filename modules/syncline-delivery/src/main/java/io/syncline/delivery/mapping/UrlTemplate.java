package io.syncline.delivery.mapping;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.syncline.mapping.MappingContext;
import io.syncline.mapping.MappingException;

/**
 * A URL with {@code {path}} placeholders in its path and query, e.g.
 * {@code https://api.example.com/v1/customers/{/metadata/source_id}}. Each placeholder is a source path of the mapping
 * language ({@code /a/b}, {@code $record/key}, {@code $header/<name>}; the old dotted form {@code {metadata.source_id}}
 * is still read); its value is percent-encoded as one path segment, so a value cannot add path segments, a query or
 * another host. Placeholders are refused in the scheme, host and port: the target is fixed by configuration, where the
 * SSRF guard checks it.
 */
public final class UrlTemplate {

    /** One placeholder: as written, and compiled. */
    private record Placeholder(String name, SinkMappings.Value value) {
    }

    private final String text;
    private final List<Object> parts; // String literals and Placeholders
    private final URI base;

    private UrlTemplate(String text, List<Object> parts, URI base) {
        this.text = text;
        this.parts = List.copyOf(parts);
        this.base = base;
    }

    /**
     * Parses a template, compiling its placeholders with {@code mappings}.
     *
     * @throws IllegalArgumentException saying what is wrong (unbalanced braces, a placeholder in the host, not an
     *     absolute http(s) URL)
     */
    static UrlTemplate parse(String text, SinkMappings mappings) {
        String t = text == null ? "" : text.trim();
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        StringBuilder skeleton = new StringBuilder();
        int i = 0;
        while (i < t.length()) {
            char c = t.charAt(i);
            if (c == '{') {
                int close = t.indexOf('}', i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("'" + t + "' has a '{' without a closing '}'");
                }
                String name = t.substring(i + 1, close);
                SinkMappings.Value value = mappings.placeholder(t, name);
                if (literal.length() > 0) {
                    parts.add(literal.toString());
                    literal.setLength(0);
                }
                parts.add(new Placeholder(name, value));
                skeleton.append("x");
                i = close + 1;
            } else if (c == '}') {
                throw new IllegalArgumentException("'" + t + "' has a '}' without an opening '{'");
            } else {
                literal.append(c);
                skeleton.append(c);
                i++;
            }
        }
        if (literal.length() > 0) {
            parts.add(literal.toString());
        }
        // Placeholders may only follow the authority: find where the path starts in the template itself.
        int start = t.indexOf("//") + 2;
        int authorityEnd = t.length();
        for (char end : new char[] {'/', '?', '#'}) {
            int at = t.indexOf(end, start);
            if (at >= 0 && at < authorityEnd) {
                authorityEnd = at;
            }
        }
        if (t.substring(0, authorityEnd).indexOf('{') >= 0) {
            throw new IllegalArgumentException("'" + t + "' has a placeholder in its scheme, host or port; "
                    + "placeholders are allowed in the path and query only");
        }
        URI uri;
        try {
            uri = URI.create(skeleton.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + t + "' is not a valid URL template: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException("'" + t + "' is not an absolute http(s) URL (expected e.g. "
                    + "https://api.example.com/v1/customers/{id})");
        }
        return new UrlTemplate(t, parts, uri);
    }

    /** Whether the template has placeholders. */
    public boolean hasPlaceholders() {
        return parts.stream().anyMatch(p -> p instanceof Placeholder);
    }

    /** The fixed target: scheme, host and port (placeholders replaced by a dummy segment). */
    public URI target() {
        return base;
    }

    /**
     * The URL for the record {@code ctx} points at.
     *
     * @throws MappingException naming the placeholder when the record has no value for it
     */
    public String expand(MappingContext ctx) {
        StringBuilder out = new StringBuilder(text.length() + 32);
        for (Object part : parts) {
            if (part instanceof String s) {
                out.append(s);
            } else {
                Placeholder p = (Placeholder) part;
                String value = p.value() == null ? null : p.value().text(ctx);
                if (value == null || value.isEmpty()) {
                    throw new MappingException("", "the URL placeholder {" + p.name() + "} has no value in this"
                            + " record");
                }
                out.append(encodeSegment(value));
            }
        }
        return out.toString();
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters (and the dot segments . and ..). */
    static String encodeSegment(String value) {
        if (value.equals(".") || value.equals("..")) {
            // Dot segments would walk up the path; encoded they are just data.
            return value.replace(".", "%2E");
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
