package io.syncline.delivery.mapping;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Currency;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A named conversion applied to a mapped value, written after a {@code |} in a mapping entry
 * ({@code firstname=name|given_name}). Each takes and returns JSON; null stays null.
 */
public enum Transform {
    /** Text in lower case (e-mail addresses, enum symbols). */
    LOWER("text in lower case", v -> text(v.asText().toLowerCase(Locale.ROOT))),
    /** Text in upper case. */
    UPPER("text in upper case", v -> text(v.asText().toUpperCase(Locale.ROOT))),
    /** Text without surrounding white space. */
    TRIM("text without surrounding white space", v -> text(v.asText().trim())),
    /** The first word of a name ({@code Jane van Dyke} → {@code Jane}). */
    GIVEN_NAME("the first word of a full name (Jane van Dyke -> Jane)", v -> {
        String name = v.asText().trim();
        int space = firstSpace(name);
        return text(space < 0 ? name : name.substring(0, space));
    }),
    /** Everything after the first word of a name ({@code Jane van Dyke} → {@code van Dyke}); null for one word. */
    FAMILY_NAME("everything after the first word of a full name (Jane van Dyke -> van Dyke; null for one word)", v -> {
        String name = v.asText().trim();
        int space = firstSpace(name);
        return space < 0 ? ConnectJson.NODES.nullNode() : text(name.substring(space).trim());
    }),
    /** A timestamp as its UTC calendar date, {@code yyyy-MM-dd}. */
    DATE("a timestamp as its UTC date, yyyy-MM-dd", v -> text(LocalDate.ofInstant(instant(v), ZoneOffset.UTC).toString())),
    /** A timestamp as an ISO-8601 instant in UTC. */
    DATETIME("a timestamp as an ISO-8601 instant in UTC", v -> text(instant(v).toString())),
    /** A timestamp as milliseconds since the epoch. */
    EPOCH_MILLIS("a timestamp as milliseconds since the epoch", v -> ConnectJson.NODES.numberNode(instant(v).toEpochMilli())),
    /**
     * A canonical {@code Money} ({@code amount} in minor units, {@code currency}) as a decimal number in major
     * units: 1999 USD → 19.99, 500 JPY → 500.
     */
    MONEY("a canonical Money (minor units + currency) as a decimal in major units (1999 USD -> 19.99, 500 JPY -> 500)",
            v -> ConnectJson.NODES.numberNode(majorUnits(v))),
    /** Any scalar as text ({@code 12} → {@code "12"}). */
    STRING("any value as text (12 -> \"12\")", v -> text(ConnectJson.text(v)));

    private final String description;
    private final UnaryOperator<JsonNode> function;

    Transform(String description, UnaryOperator<JsonNode> function) {
        this.description = description;
        this.function = function;
    }

    /** The name used in mappings, e.g. {@code given_name}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What it does, for the docs. */
    public String description() {
        return description;
    }

    /** Applies the transform; null and missing values pass through. */
    public JsonNode apply(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return ConnectJson.NODES.nullNode();
        }
        return function.apply(value);
    }

    /**
     * The transform called {@code label}.
     *
     * @throws IllegalArgumentException listing the known transforms
     */
    public static Transform of(String label) {
        for (Transform t : values()) {
            if (t.label().equals(label.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown transform '" + label.trim() + "' (expected one of "
                + Arrays.stream(values()).map(Transform::label).collect(Collectors.joining(", ")) + ")");
    }

    private static JsonNode text(String s) {
        return s == null ? ConnectJson.NODES.nullNode() : ConnectJson.NODES.textNode(s);
    }

    private static int firstSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static Instant instant(JsonNode v) {
        if (v.isIntegralNumber()) {
            return Instant.ofEpochMilli(v.longValue());
        }
        String s = v.asText();
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw new MappingException("'" + abbreviate(s) + "' is not a timestamp (expected epoch milliseconds "
                        + "or an ISO-8601 instant)");
            }
        }
    }

    private static BigDecimal majorUnits(JsonNode v) {
        JsonNode amount = v.get("amount");
        JsonNode currency = v.get("currency");
        if (!v.isObject() || amount == null || !amount.isIntegralNumber() || currency == null || !currency.isTextual()) {
            throw new MappingException("the money transform expects a Money record (amount in minor units and "
                    + "currency), got " + abbreviate(v.toString()));
        }
        int digits;
        try {
            digits = Currency.getInstance(currency.textValue().toUpperCase(Locale.ROOT)).getDefaultFractionDigits();
        } catch (IllegalArgumentException e) {
            throw new MappingException("'" + abbreviate(currency.textValue()) + "' is not an ISO-4217 currency code");
        }
        return BigDecimal.valueOf(amount.longValue(), Math.max(digits, 0));
    }

    static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
