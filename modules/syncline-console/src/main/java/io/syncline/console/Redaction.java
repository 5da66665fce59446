package io.syncline.console;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets off the console's pages. A connector config value is hidden when its plugin declares the key as
 * {@code PASSWORD} or the key's name says it holds a secret; a value that is a reference ({@code ${env:NAME}},
 * {@code ${file:/path:key}}, or syncline.yaml's {@code env:NAME} / {@code file:PATH}) is shown, because the reference
 * is what may be shown and only the code that authenticates resolves it.
 */
final class Redaction {

    static final String HIDDEN = "•••••• (hidden)";

    /** Kafka's config-provider syntax, as Connect stores it unresolved. */
    private static final Pattern CONFIG_PROVIDER_REF = Pattern.compile("\\$\\{[A-Za-z0-9_.-]+:[^}]*}");
    /** syncline.yaml's secret references ({@code SecretRef}). */
    private static final Pattern SECRET_REF = Pattern.compile("(env:[A-Za-z_][A-Za-z0-9_]*|file:\\S+)");
    /** Key names that hold secrets whatever the plugin declares (a plugin we cannot ask, a mistyped key). */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(password|passwd|secret|token|api[._-]?key|credential|private[._-]?key|signing[._-]?key"
                    + "|sasl\\.jaas\\.config|authorization).*");
    /** A YAML mapping line: indentation, optional list dash, key, value. */
    private static final Pattern YAML_ENTRY = Pattern.compile("^(\\s*(?:-\\s+)?)([\"']?[A-Za-z0-9_.\\-]+[\"']?)(\\s*:\\s*)"
            + "(.*)$");

    private Redaction() {
    }

    /**
     * A connector config for display.
     *
     * @param types each key's type as the plugin declares it (empty when the plugin could not be asked)
     */
    static Map<String, String> connectorConfig(Map<String, String> config, Map<String, String> types) {
        Map<String, String> out = new LinkedHashMap<>();
        config.forEach((key, value) -> out.put(key, value(key, value, "PASSWORD".equals(types.get(key)))));
        return out;
    }

    /** One value for display; {@code password} when the plugin declares the key a password. */
    static String value(String key, String value, boolean password) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        if (!password && !SECRET_NAME.matcher(key).matches()) {
            return value;
        }
        return isReference(value) ? value.trim() : HIDDEN;
    }

    /** Whether the whole value is one secret reference (nothing inline beside it). */
    static boolean isReference(String value) {
        String v = unquote(value.trim());
        if (v.startsWith("[") && v.endsWith("]") && v.length() > 2) {
            // A YAML flow list, e.g. a webhook endpoint's secrets: [env:OLD, env:NEW]: every element a reference.
            for (String element : v.substring(1, v.length() - 1).split(",")) {
                if (!isReference(element)) {
                    return false;
                }
            }
            return true;
        }
        return CONFIG_PROVIDER_REF.matcher(v).matches() || SECRET_REF.matcher(v).matches();
    }

    /**
     * One line of {@code syncline.yaml} for display: the value of a key that holds a secret is hidden unless it is a
     * reference (the loader refuses most inline secrets already; this also covers a file being edited).
     */
    static String yamlLine(String line) {
        Matcher m = YAML_ENTRY.matcher(line);
        if (!m.matches()) {
            return line;
        }
        String key = unquote(m.group(2));
        String rest = m.group(4);
        String value = rest;
        String comment = "";
        int hash = rest.indexOf(" #");
        if (hash >= 0) {
            value = rest.substring(0, hash).stripTrailing();
            comment = rest.substring(value.length());
        }
        if (value.isBlank() || !SECRET_NAME.matcher(key).matches() || isReference(value)) {
            return line;
        }
        return m.group(1) + m.group(2) + m.group(3) + HIDDEN + comment;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
