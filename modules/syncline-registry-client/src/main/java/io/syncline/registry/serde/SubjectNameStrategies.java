package io.syncline.registry.serde;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Resolves a subject name strategy setting: our class names, Confluent's class names, short names or a custom class. */
final class SubjectNameStrategies {

    private static final String CONFLUENT = "io.confluent.kafka.serializers.subject.";
    private static final Map<String, Class<? extends SubjectNameStrategy>> ALIASES = Map.of(
            "TopicNameStrategy", TopicNameStrategy.class,
            "RecordNameStrategy", RecordNameStrategy.class,
            "TopicRecordNameStrategy", TopicRecordNameStrategy.class);

    private SubjectNameStrategies() {
    }

    static SubjectNameStrategy resolve(String key, String value) {
        String name = value == null ? "" : value.trim();
        String simple = name.startsWith(CONFLUENT) ? name.substring(CONFLUENT.length()) : name;
        Class<? extends SubjectNameStrategy> known = ALIASES.get(simple);
        if (known == null) {
            for (Class<? extends SubjectNameStrategy> c : ALIASES.values()) {
                if (c.getName().equals(name)) {
                    known = c;
                }
            }
        }
        if (known != null) {
            return instantiate(key, name, known);
        }
        Class<?> custom;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            custom = Class.forName(name, true, loader != null ? loader : SubjectNameStrategies.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ConfigException(key, name, "unknown subject name strategy; use TopicNameStrategy, "
                    + "RecordNameStrategy, TopicRecordNameStrategy (or Confluent's class names for them) or a class "
                    + "implementing " + SubjectNameStrategy.class.getName());
        }
        if (!SubjectNameStrategy.class.isAssignableFrom(custom)) {
            throw new ConfigException(key, name, "the class does not implement " + SubjectNameStrategy.class.getName());
        }
        return instantiate(key, name, custom.asSubclass(SubjectNameStrategy.class));
    }

    private static SubjectNameStrategy instantiate(String key, String name, Class<? extends SubjectNameStrategy> c) {
        try {
            return c.getDeclaredConstructor().newInstance();
        } catch (InstantiationException | IllegalAccessException | NoSuchMethodException | InvocationTargetException e) {
            throw new ConfigException(key, name, "cannot instantiate the strategy (public no-argument constructor "
                    + "needed): " + e);
        }
    }

    /** Fails configuration early, naming the key, when a strategy cannot be resolved. */
    static final class Validator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            resolve(name, value == null ? null : value.toString());
        }

        @Override
        public String toString() {
            return "TopicNameStrategy, RecordNameStrategy, TopicRecordNameStrategy, or a class name";
        }
    }
}
