package io.syncline.connect.common.source;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.syncline.connect.common.ConnectorValidation;
import io.syncline.connect.common.OutboundHttpConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The static rules every polling source's config shares, each with the exact message its users see: the provider's
 * base URL, the list of object types, the topic prefix, and the outbound-HTTP rules that involve the base URL. A
 * connector's config declares its keys with these validators and keeps only its provider's own rules.
 */
public final class SourceConfigRules {

    private SourceConfigRules() {
    }

    /** {@code url} trimmed, without trailing slashes. */
    public static String trimBaseUrl(String url) {
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    /**
     * The outbound-HTTP problems that involve the base URL in {@code baseUrlKey} (plain http not allowed for its
     * host, an internal address not on the allow-list, ...), by key. Called on an already parsed config.
     */
    public static Map<String, List<String>> baseUrlProblems(AbstractConfig c, String baseUrlKey) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        URI base = URI.create(c.getString(baseUrlKey).trim());
        ConnectorValidation.addAll(problems, OutboundHttpConfig.problems(c, Map.of(baseUrlKey, base)));
        return problems;
    }

    /**
     * The object types {@code names} stand for, in the order given, without duplicates.
     *
     * @param unknown the message for a name that stands for none
     */
    public static <T> List<T> parseObjects(List<String> names, Function<String, Optional<T>> named,
                                           Function<String, String> unknown) {
        List<T> out = new ArrayList<>();
        for (String name : names) {
            T o = named.apply(name).orElseThrow(() -> new ConfigException(unknown.apply(name)));
            if (!out.contains(o)) {
                out.add(o);
            }
        }
        return List.copyOf(out);
    }

    /** An absolute http(s) URL with a host, no credentials and nothing after the path. */
    public static final class BaseUrlValidator implements ConfigDef.Validator {
        private final String expected;
        private final String example;
        private final String credentials;

        /**
         * @param expected    what a valid value is, e.g. "an absolute https URL"
         * @param example     a valid value, e.g. "https://api.stripe.com"
         * @param credentials where credentials go instead, e.g. "give the key in auth.bearer.token"
         */
        public BaseUrlValidator(String expected, String example, String credentials) {
            this.expected = expected;
            this.example = example;
            this.credentials = credentials;
        }

        @Override
        public void ensureValid(String name, Object value) {
            String v = value == null ? "" : value.toString().trim();
            String message = name + ": expected " + expected + " such as " + example + ", got '" + v + "'";
            URI uri;
            try {
                uri = new URI(v);
            } catch (java.net.URISyntaxException e) {
                throw new ConfigException(message);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getHost().isEmpty()) {
                throw new ConfigException(message);
            }
            if (uri.getRawUserInfo() != null) {
                throw new ConfigException(name + ": the URL must not carry credentials; " + credentials);
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new ConfigException(name + ": expected a base URL without query or fragment, such as "
                        + example + ", got '" + v + "'");
            }
        }

        @Override
        public String toString() {
            return "absolute https URL (http with its host in " + OutboundHttpConfig.ALLOW_PLAIN_HTTP + ")";
        }
    }

    /** A non-empty list of the connector's object types, none twice. */
    public static final class ObjectsValidator<T> implements ConfigDef.Validator {
        private final Function<String, Optional<T>> named;
        private final String allNames;

        /**
         * @param named    the object type a name stands for, if any
         * @param allNames every valid name, comma-separated
         */
        public ObjectsValidator(Function<String, Optional<T>> named, String allNames) {
            this.named = named;
            this.allNames = allNames;
        }

        /** The message for a name in {@code key} that is no object type. */
        public String unknown(String key, String name) {
            return key + ": unknown object type '" + name.trim() + "'; expected one or more of "
                    + allNames.replace(",", ", ");
        }

        @Override
        public void ensureValid(String name, Object value) {
            @SuppressWarnings("unchecked")
            List<String> names = value == null ? List.of() : (List<String>) value;
            if (names.stream().allMatch(String::isBlank)) {
                throw new ConfigException(name + ": no object type given; expected one or more of "
                        + allNames.replace(",", ", "));
            }
            Set<T> seen = new HashSet<>();
            for (String n : names) {
                T o = named.apply(n).orElseThrow(() -> new ConfigException(unknown(name, n)));
                if (!seen.add(o)) {
                    throw new ConfigException(name + ": object type '" + n.trim() + "' is listed twice");
                }
            }
        }

        @Override
        public String toString() {
            return allNames.replace(",", ", ") + " (one or more)";
        }
    }

    /** Legal topic characters, short enough for the longest object type name. */
    public static final class TopicPrefixValidator implements ConfigDef.Validator {
        private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]*");
        private final int longestName;

        /** @param longestName the length of the longest object type name the prefix is put before */
        public TopicPrefixValidator(int longestName) {
            this.longestName = longestName;
        }

        @Override
        public void ensureValid(String name, Object value) {
            String v = value == null ? "" : value.toString();
            if (!LEGAL.matcher(v).matches()) {
                throw new ConfigException(name + ": '" + v + "' has characters a topic name cannot hold; use only "
                        + "letters, digits, '.', '_' and '-'");
            }
            if (v.length() + longestName > 249) {
                throw new ConfigException(name + ": '" + v + "' is too long: topic names are limited to 249 "
                        + "characters");
            }
        }

        @Override
        public String toString() {
            return "letters, digits, '.', '_', '-'";
        }
    }
}
