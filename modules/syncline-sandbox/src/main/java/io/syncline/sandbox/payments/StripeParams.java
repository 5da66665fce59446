package io.syncline.sandbox.payments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Typed, Stripe-validated access to form or query parameters; every problem is a Stripe-shaped 400. */
final class StripeParams {

    /** Currencies the sandbox accepts (a subset of Stripe's), and which of them have no minor unit. */
    static final Set<String> CURRENCIES = Set.of("usd", "eur", "gbp", "jpy", "cad", "aud", "chf", "sek", "nok", "dkk",
            "krw", "nzd", "sgd", "hkd", "mxn", "brl", "pln", "czk", "inr");
    static final Set<String> ZERO_DECIMAL = Set.of("jpy", "krw");

    private final Map<String, Object> params;

    StripeParams(Map<String, Object> params) {
        this.params = params;
    }

    Map<String, Object> raw() {
        return params;
    }

    boolean has(String name) {
        return params.containsKey(name);
    }

    /** Rejects parameters outside {@code allowed} (plus {@code expand}), like Stripe's {@code parameter_unknown}. */
    StripeParams allow(Set<String> allowed) {
        for (String name : params.keySet()) {
            if (!allowed.contains(name) && !"expand".equals(name)) {
                throw StripeErrors.unknownParam(name);
            }
        }
        return this;
    }

    /** Rejects keys of the hash {@code name} outside {@code allowed}. */
    StripeParams allowNested(String name, Set<String> allowed) {
        Object v = params.get(name);
        if (v instanceof Map<?, ?> m) {
            for (Object k : m.keySet()) {
                if (!allowed.contains(k)) {
                    throw StripeErrors.unknownParam(name + "[" + k + "]");
                }
            }
        }
        return this;
    }

    String string(String name) {
        Object v = params.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw StripeErrors.invalid("parameter_invalid_string", "Invalid string: " + describe(v), name);
        }
        return s;
    }

    /** A string where the empty string means "unset" (Stripe's convention for clearing a field). */
    String nullableString(String name) {
        String s = string(name);
        return s == null || s.isEmpty() ? null : s;
    }

    String requiredString(String name) {
        String s = string(name);
        if (s == null || s.isEmpty()) {
            throw StripeErrors.missingParam(name);
        }
        return s;
    }

    Long integer(String name) {
        String s = string(name);
        if (s == null) {
            return null;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw StripeErrors.invalid("parameter_invalid_integer", "Invalid integer: " + s, name);
        }
    }

    long requiredInteger(String name) {
        Long v = integer(name);
        if (v == null) {
            throw StripeErrors.missingParam(name);
        }
        return v;
    }

    Boolean bool(String name) {
        String s = string(name);
        if (s == null) {
            return null;
        }
        return switch (s) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw StripeErrors.invalid(null, "Invalid boolean: " + s, name);
        };
    }

    /** A positive amount in minor units, at most Stripe's eight digits. */
    Long amount(String name, boolean required) {
        Long v = required ? Long.valueOf(requiredInteger(name)) : integer(name);
        if (v == null) {
            return null;
        }
        if (v < 1) {
            throw StripeErrors.invalid("parameter_invalid_integer", "This value must be greater than or equal to 1.",
                    name);
        }
        if (v > 99_999_999L) {
            throw StripeErrors.invalid("amount_too_large", "Amount must be no more than 99999999 (in the "
                    + "currency's smallest unit).", name);
        }
        return v;
    }

    String currency(String name, boolean required) {
        String c = required ? requiredString(name) : string(name);
        if (c == null) {
            return null;
        }
        String lower = c.toLowerCase(Locale.ROOT);
        if (!CURRENCIES.contains(lower)) {
            throw StripeErrors.invalid(null, "Invalid currency: " + c + ". Stripe currently supports these currencies: "
                    + String.join(", ", CURRENCIES.stream().sorted().toList()), name);
        }
        return lower;
    }

    String oneOf(String name, Set<String> values) {
        String s = string(name);
        if (s != null && !values.contains(s)) {
            throw StripeErrors.invalid(null, "Invalid " + name + ": must be one of "
                    + String.join(", ", values.stream().sorted().toList()), name);
        }
        return s;
    }

    /**
     * The {@code metadata} hash with Stripe's limits (50 keys, key ≤ 40 chars, value ≤ 500 chars). Values that are
     * empty strings mean "remove this key" on update; they are kept here as empty strings.
     */
    Map<String, String> metadata(String name) {
        Object v = params.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof String s && s.isEmpty()) {
            return Map.of(); // metadata= clears all keys
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw StripeErrors.invalid(null, "Invalid hash", name);
        }
        if (m.size() > 50) {
            throw StripeErrors.invalid(null, "You can specify up to 50 keys in metadata.", name);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String key = (String) e.getKey();
            if (!(e.getValue() instanceof String value)) {
                throw StripeErrors.invalid(null, "Invalid metadata value for key " + key, name + "[" + key + "]");
            }
            if (key.length() > 40) {
                throw StripeErrors.invalid(null, "Metadata keys can have up to 40 characters.", name + "[" + key + "]");
            }
            if (value.length() > 500) {
                throw StripeErrors.invalid(null, "Metadata values can have up to 500 characters.",
                        name + "[" + key + "]");
            }
            out.put(key, value);
        }
        return out;
    }

    /** A hash of strings (e.g. {@code address}), or null; an empty string unsets it. */
    @SuppressWarnings("unchecked")
    Map<String, String> hash(String name, Set<String> allowed) {
        Object v = params.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof String s && s.isEmpty()) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?>)) {
            throw StripeErrors.invalid(null, "Invalid hash", name);
        }
        allowNested(name, allowed);
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw StripeErrors.invalid(null, "Invalid string", name + "[" + e.getKey() + "]");
            }
            out.put(e.getKey(), s);
        }
        return out;
    }

    /** A list given as {@code name[]=a&name[]=b}, {@code name[0]=a} or a single {@code name=a}. */
    List<String> strings(String name) {
        Object v = params.get(name);
        if (v == null) {
            return List.of();
        }
        if (v instanceof String s) {
            return s.isEmpty() ? List.of() : List.of(s);
        }
        if (v instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            for (Object o : l) {
                if (!(o instanceof String s)) {
                    throw StripeErrors.invalid(null, "Invalid array", name);
                }
                out.add(s);
            }
            return out;
        }
        throw StripeErrors.invalid(null, "Invalid array", name);
    }

    List<String> expand() {
        return strings("expand");
    }

    /** Canonical text of all parameters, for comparing idempotent requests. */
    static String canonical(Object value) {
        if (value instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            m.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey((a, b) -> ((String) a).compareTo((String) b)))
                    .forEach(e -> sb.append(e.getKey()).append('=').append(canonical(e.getValue())).append(';'));
            return sb.append('}').toString();
        }
        if (value instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            l.forEach(o -> sb.append(canonical(o)).append(';'));
            return sb.append(']').toString();
        }
        return String.valueOf(value).replace(";", "\\;");
    }

    private static String describe(Object v) {
        return v instanceof Map ? "a hash" : v instanceof List ? "an array" : String.valueOf(v);
    }
}
