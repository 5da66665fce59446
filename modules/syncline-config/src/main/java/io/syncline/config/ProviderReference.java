package io.syncline.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kafka config provider reference inside a connector setting, {@code ${env:NAME}} or
 * {@code ${file:/path/to/file.properties:key}}, which the Connect worker replaces with the secret before the
 * connector sees it. Parsed with the grammar of Kafka's {@code ConfigTransformer}, so what passes here is what the
 * worker will try to resolve.
 *
 * @param text the reference as written, e.g. {@code ${env:STRIPE_KEY}}
 * @param provider {@code env}, {@code file}, ...
 * @param path the file of a {@code file} reference; empty for {@code env}
 * @param key the variable name or the key in the file
 */
public record ProviderReference(String text, String provider, String path, String key) {

    /** Kafka's ConfigTransformer pattern: {@code ${provider:[path:]key}}. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*?):(([^}]*?):)?([^}]*?)\\}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** What a reference looks like, for messages. */
    public static final String FORMS = "${env:NAME} or ${file:/path/to/file.properties:key}";

    /** The references in {@code value}, in order; empty when it has none. */
    public static List<ProviderReference> findAll(String value) {
        List<ProviderReference> refs = new ArrayList<>();
        Matcher m = REFERENCE.matcher(value == null ? "" : value);
        while (m.find()) {
            refs.add(new ProviderReference(m.group(), m.group(1), m.group(3) == null ? "" : m.group(3), m.group(4)));
        }
        return refs;
    }

    /**
     * What is malformed about the references in {@code value}, one message each; empty when they are well formed.
     * Messages quote only the provider part of a reference: a value pasted in by mistake may be a secret.
     */
    public static List<String> problems(String value) {
        return problems(value, false);
    }

    /**
     * As {@link #problems(String)}; with {@code ownPlaceholders}, a {@code ${name}} without a provider is not a
     * problem: Connect leaves it as it is (its pattern needs a provider), for a transformation whose own placeholder
     * it is, such as Debezium's outbox router's {@code ${routedByValue}}.
     */
    public static List<String> problems(String value, boolean ownPlaceholders) {
        List<String> problems = new ArrayList<>();
        if (value == null) {
            return problems;
        }
        int open = value.indexOf("${");
        while (open >= 0) {
            int close = value.indexOf('}', open);
            int colon = value.indexOf(':', open);
            String start = colon > open && (close < 0 || colon < close) ? value.substring(open, colon + 1) : "${";
            if (close < 0) {
                problems.add("the reference starting " + start + " is not closed: expected " + FORMS
                        + " with a closing }");
                break;
            }
            if ((colon < 0 || colon > close) && !ownPlaceholders) {
                problems.add("expected " + FORMS + ", got a ${...} without a provider");
            }
            open = value.indexOf("${", close);
        }
        for (ProviderReference r : findAll(value)) {
            String p = r.provider();
            if (p.equals("env")) {
                if (!r.path().isEmpty() || !ENV_NAME.matcher(r.key()).matches()) {
                    problems.add("expected ${env:NAME} with NAME an environment variable name (letters, digits, _), "
                            + "got " + (r.key().isEmpty() ? "${env:}" : "${env:...} with \"" + r.path()
                            + (r.path().isEmpty() ? "" : ":") + r.key() + "\""));
                }
            } else if (p.equals("file")) {
                if (r.path().isEmpty() || r.key().isEmpty()) {
                    problems.add("expected ${file:/path/to/file.properties:key} (a properties file and the key in it),"
                            + " got " + (r.path().isEmpty() ? "${file:" + r.key() + "} without a key"
                            : "${file:" + r.path() + ":} without a key"));
                }
            } else if (p.isBlank() || !p.matches("[A-Za-z0-9_.-]+")) {
                problems.add("expected " + FORMS + ", got a reference whose provider is \"" + p + "\"");
            }
        }
        return problems;
    }
}
