package io.syncline.cli.check;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

import io.syncline.config.Problems;
import io.syncline.config.SecretRef;

/**
 * Finds every {@link SecretRef} in a config model (any record section, list or map, so a new section with secrets is
 * covered without changing this class) and tries to read it, as the component that uses it will at start.
 */
public final class SecretReferences {

    private SecretReferences() {
    }

    /** Every secret reference in {@code model} with its key path ({@code gateway.endpoints[0].secrets[1]}). */
    public static void forEach(Object model, BiConsumer<String, SecretRef> action) {
        walk(model, "", action);
    }

    /**
     * Resolves every reference against {@code environment} and the file system.
     *
     * @return key path → what is wrong (the reference, never a value); empty when every secret can be read
     */
    public static Map<String, String> unresolvable(Object model, Map<String, String> environment, List<String> checked) {
        Map<String, String> problems = new java.util.LinkedHashMap<>();
        forEach(model, (key, ref) -> {
            checked.add(key);
            try {
                ref.resolve(environment);
            } catch (IllegalStateException e) {
                problems.put(key, e.getMessage());
            }
        });
        return problems;
    }

    private static void walk(Object node, String path, BiConsumer<String, SecretRef> action) {
        if (node instanceof SecretRef ref) {
            action.accept(path, ref);
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), Problems.index(path, i), action);
            }
        } else if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, Problems.child(path, String.valueOf(k)), action));
        } else if (node instanceof Record record) {
            for (RecordComponent c : record.getClass().getRecordComponents()) {
                Object value;
                try {
                    value = c.getAccessor().invoke(record);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("reading " + c.getName() + " of " + record.getClass(), e);
                }
                walk(value, Problems.child(path, kebab(c.getName())), action);
            }
        }
    }

    /** {@code publicBaseUrl} → {@code public-base-url}, the names syncline.yaml uses. */
    static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
