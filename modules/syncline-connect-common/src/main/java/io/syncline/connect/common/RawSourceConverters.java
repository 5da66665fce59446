package io.syncline.connect.common;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The converters a source that writes raw records needs: the provider's JSON bytes untouched
 * ({@code ByteArrayConverter}), the object id as plain text ({@code StringConverter}), and the {@code syncline.*}
 * headers as the strings they are. A worker's default {@code JsonConverter} would re-encode keys and values, so
 * {@code validate()} reports a missing or different converter on its key.
 */
public final class RawSourceConverters {

    public static final String KEY_CONVERTER = "key.converter";
    public static final String VALUE_CONVERTER = "value.converter";
    public static final String HEADER_CONVERTER = "header.converter";
    public static final String STRING_CONVERTER = "org.apache.kafka.connect.storage.StringConverter";
    public static final String BYTE_ARRAY_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";
    public static final String SIMPLE_HEADER_CONVERTER = "org.apache.kafka.connect.storage.SimpleHeaderConverter";

    /** Which header converters a source accepts. */
    public enum Headers {
        /** SimpleHeaderConverter (the worker's default when unset) or StringConverter. */
        SIMPLE_OR_STRING,
        /** Only SimpleHeaderConverter (the worker's default when unset): the payments source has always said so. */
        SIMPLE_ONLY
    }

    private RawSourceConverters() {
    }

    /**
     * Problems with the converters of {@code connectorConfig}, by converter key.
     *
     * @param provider the provider's name for the messages, e.g. "HubSpot"
     */
    public static Map<String, String> problems(Map<String, String> connectorConfig, String provider) {
        return problems(connectorConfig, provider, Headers.SIMPLE_OR_STRING);
    }

    /**
     * Problems with the converters of {@code connectorConfig}, by converter key.
     *
     * @param provider the provider's name for the messages, e.g. "Stripe"
     * @param headers  the header converters accepted
     */
    public static Map<String, String> problems(Map<String, String> connectorConfig, String provider,
                                               Headers headers) {
        Map<String, String> problems = new LinkedHashMap<>();
        require(problems, connectorConfig, VALUE_CONVERTER, BYTE_ARRAY_CONVERTER, true,
                "so each record holds the " + provider + " JSON exactly as received");
        require(problems, connectorConfig, KEY_CONVERTER, STRING_CONVERTER, true,
                "so each key is the " + provider + " object id as plain text");
        if (headers == Headers.SIMPLE_ONLY) {
            require(problems, connectorConfig, HEADER_CONVERTER, SIMPLE_HEADER_CONVERTER, false,
                    "so the syncline.* headers stay plain text");
            return problems;
        }
        // The header converter is the worker's default (SimpleHeaderConverter) when unset; StringConverter keeps
        // the headers as text too and spares the per-header parsing attempt.
        String header = connectorConfig.get(HEADER_CONVERTER);
        if (header != null && !header.isBlank() && !header.trim().equals(SIMPLE_HEADER_CONVERTER)
                && !header.trim().equals(STRING_CONVERTER)) {
            problems.put(HEADER_CONVERTER, HEADER_CONVERTER + ": expected " + SIMPLE_HEADER_CONVERTER + " or "
                    + STRING_CONVERTER + " so the syncline.* headers stay plain text, got " + header.trim());
        }
        return problems;
    }

    private static void require(Map<String, String> problems, Map<String, String> config, String key,
                                String expected, boolean required, String why) {
        String given = config.get(key);
        if (given == null || given.isBlank()) {
            if (required) {
                problems.put(key, key + ": set it to " + expected + " " + why + " (the worker's default converter "
                        + "may re-encode it)");
            }
            return;
        }
        if (!given.trim().equals(expected)) {
            problems.put(key, key + ": expected " + expected + " " + why + ", got " + given.trim());
        }
    }
}
