package io.syncline.registry.serde;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Makes Avro trust the packages of the generated SpecificRecord classes the deserializer reads into.
 *
 * <p>Since 1.11.4 Avro refuses to load classes named in a schema unless their package is trusted
 * ({@code SecurityException: Forbidden <class>}); the system property {@code org.apache.avro.SERIALIZABLE_PACKAGES}
 * lists trusted packages. The deserializer already knows which classes it means to instantiate (a configured
 * {@code specific.avro.*.type}, or a class it found and checked to implement {@code SpecificRecord}), so it trusts the
 * namespaces of the named types in that class's own compiled schema, and nothing a writer schema names on its own.
 * The trust is added once to Avro's global validator; a component that later replaces the global validator drops it.
 */
final class TrustedAvroPackages {

    private static final Set<String> PACKAGES = ConcurrentHashMap.newKeySet();
    private static boolean installed;

    private TrustedAvroPackages() {
    }

    /** Trusts the namespaces of every record, enum and fixed type in {@code readerSchema} (a generated class's). */
    static void trustNamespacesOf(Schema readerSchema) {
        install();
        Set<Schema> seen = new HashSet<>();
        Deque<Schema> todo = new ArrayDeque<>();
        todo.push(readerSchema);
        while (!todo.isEmpty()) {
            Schema s = todo.pop();
            if (!seen.add(s)) {
                continue;
            }
            switch (s.getType()) {
                case RECORD -> {
                    trust(s);
                    s.getFields().forEach(f -> todo.push(f.schema()));
                }
                case ENUM, FIXED -> trust(s);
                case ARRAY -> todo.push(s.getElementType());
                case MAP -> todo.push(s.getValueType());
                case UNION -> s.getTypes().forEach(todo::push);
                default -> {
                }
            }
        }
    }

    private static void trust(Schema named) {
        String ns = named.getNamespace();
        if (ns != null && !ns.isEmpty()) {
            PACKAGES.add(ns);
        }
    }

    private static synchronized void install() {
        if (!installed) {
            ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
            ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
                    c -> c.getPackageName() != null && PACKAGES.contains(c.getPackageName())));
            installed = true;
        }
    }
}
