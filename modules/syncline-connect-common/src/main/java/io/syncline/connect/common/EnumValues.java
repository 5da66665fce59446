package io.syncline.connect.common;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Enum-valued config keys: values are the constants' names in lower case (any case accepted), and the validator and
 * the doc string list them from the enum itself, so a new constant cannot be missing from the docs.
 */
public final class EnumValues {

    /** A constant that says what it means, for doc strings built from the enum. */
    public interface Described {
        /** What choosing this value does, e.g. "writes it to the dead-letter topic and goes on". */
        String description();
    }

    private EnumValues() {
    }

    /** The value users write for {@code constant}: its name in lower case. */
    public static String name(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** The lower-case names of an enum's constants. */
    public static String[] names(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(EnumValues::name).toArray(String[]::new);
    }

    /** "a, b or c": the values of {@code constants} as a sentence fragment. */
    public static String list(Set<? extends Enum<?>> constants) {
        String[] names = constants.stream().map(EnumValues::name).toArray(String[]::new);
        if (names.length == 1) {
            return names[0];
        }
        return String.join(", ", Arrays.copyOf(names, names.length - 1)) + " or " + names[names.length - 1];
    }

    /** "'a' (what a does), 'b' (what b does)": every constant with its description, for a doc string. */
    public static <E extends Enum<E> & Described> String describe(Class<E> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(e -> "'" + name(e) + "' (" + e.description() + ")")
                .collect(Collectors.joining(", "));
    }

    /** A validator accepting every constant of {@code type}, in any case. */
    public static <E extends Enum<E>> ConfigDef.Validator validator(Class<E> type) {
        return validator(EnumSet.allOf(type));
    }

    /** A validator accepting the {@code allowed} constants, in any case; its text (in the docs) lists them. */
    public static <E extends Enum<E>> ConfigDef.Validator validator(Set<E> allowed) {
        Set<String> names = allowed.stream().map(EnumValues::name).collect(Collectors.toCollection(
                java.util.LinkedHashSet::new));
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String key, Object value) {
                String v = value == null ? "" : value.toString().trim().toLowerCase(Locale.ROOT);
                if (!names.contains(v)) {
                    throw new ConfigException(key, value, "expected " + (names.size() == 1 ? "" : "one of ")
                            + String.join(", ", names));
                }
            }

            @Override
            public String toString() {
                return String.join(", ", names);
            }
        };
    }

    /** The constant named {@code value} in any case. */
    public static <E extends Enum<E>> E parse(Class<E> type, String value) {
        return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    }
}
