package io.syncline.registry.serde;

import java.util.Map;

import io.syncline.registry.client.SchemaRegistryClientConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * Settings of the Avro serializer and deserializer, under Confluent's key names: the registry client's keys plus
 * schema registration, subject naming and reader choices.
 */
public class AvroSerdeConfig extends SchemaRegistryClientConfig {

    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String LATEST_COMPATIBILITY_STRICT = "latest.compatibility.strict";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";
    public static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String AVRO_USE_LOGICAL_TYPE_CONVERTERS = "avro.use.logical.type.converters";

    private static final String GROUP = "Avro serde";

    public AvroSerdeConfig(Map<?, ?> props) {
        this(configDef(), props);
    }

    protected AvroSerdeConfig(ConfigDef def, Map<?, ?> props) {
        super(def, classNamesAsStrings(props));
    }

    /** Strategy classes may be given as Class objects (as Confluent allows); the definitions take their names. */
    private static Map<?, ?> classNamesAsStrings(Map<?, ?> props) {
        Object key = props.get(KEY_SUBJECT_NAME_STRATEGY);
        Object value = props.get(VALUE_SUBJECT_NAME_STRATEGY);
        if (!(key instanceof Class<?>) && !(value instanceof Class<?>)) {
            return props;
        }
        Map<Object, Object> copy = new java.util.HashMap<>(props);
        if (key instanceof Class<?> c) {
            copy.put(KEY_SUBJECT_NAME_STRATEGY, c.getName());
        }
        if (value instanceof Class<?> c) {
            copy.put(VALUE_SUBJECT_NAME_STRATEGY, c.getName());
        }
        return copy;
    }

    /** The serde's keys, including the registry client's. */
    public static ConfigDef configDef() {
        return addSerdeDefinitions(SchemaRegistryClientConfig.configDef());
    }

    /** Adds the serde's own keys to {@code def}. */
    public static ConfigDef addSerdeDefinitions(ConfigDef def) {
        int order = 0;
        return def
                .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM,
                        "Whether the serializer registers the schema of the records it writes. When false it only "
                                + "looks the schema up (POST /subjects/{subject}) and fails if it is not registered.",
                        GROUP, ++order, Width.SHORT, "Auto-register schemas")
                .define(USE_LATEST_VERSION, Type.BOOLEAN, false, Importance.MEDIUM,
                        "Serializer: write with the latest registered version of the subject instead of the record's "
                                + "own schema (fields are matched by name, missing ones take their defaults); only "
                                + "when auto.register.schemas=false, as with Confluent. Generic deserializer: read into the latest version "
                                + "instead of the writer's schema.",
                        GROUP, ++order, Width.SHORT, "Use latest version")
                .define(LATEST_COMPATIBILITY_STRICT, Type.BOOLEAN, true, Importance.LOW,
                        "With use.latest.version: check that the latest version can read data written with the "
                                + "record's schema (backward compatible) before using it, and fail otherwise.",
                        GROUP, ++order, Width.SHORT, "Strict latest compatibility")
                .define(SPECIFIC_AVRO_READER, Type.BOOLEAN, false, Importance.MEDIUM,
                        "Deserializer: return generated SpecificRecord classes (found by the writer schema's full name, "
                                + "or the class in specific.avro.key.type/specific.avro.value.type) instead of "
                                + "GenericRecord. Data is resolved from the writer's schema to the class's schema.",
                        GROUP, ++order, Width.SHORT, "Specific reader")
                .define(SPECIFIC_AVRO_KEY_TYPE, Type.CLASS, null, Importance.LOW,
                        "Deserializer: the SpecificRecord class keys are read into, whatever the writer's schema name "
                                + "(implies specific.avro.reader for keys).",
                        GROUP, ++order, Width.LONG, "Specific key class")
                .define(SPECIFIC_AVRO_VALUE_TYPE, Type.CLASS, null, Importance.LOW,
                        "Deserializer: the SpecificRecord class values are read into, whatever the writer's schema "
                                + "name (implies specific.avro.reader for values).",
                        GROUP, ++order, Width.LONG, "Specific value class")
                .define(KEY_SUBJECT_NAME_STRATEGY, Type.STRING, TopicNameStrategy.class.getName(),
                        new SubjectNameStrategies.Validator(), Importance.MEDIUM,
                        "How the subject of a key schema is named: TopicNameStrategy (<topic>-key), "
                                + "RecordNameStrategy (<record full name>) or TopicRecordNameStrategy "
                                + "(<topic>-<record full name>). Accepts our class names, Confluent's "
                                + "(io.confluent.kafka.serializers.subject.*) and short names, or any class "
                                + "implementing " + SubjectNameStrategy.class.getName() + ".",
                        GROUP, ++order, Width.LONG, "Key subject strategy")
                .define(VALUE_SUBJECT_NAME_STRATEGY, Type.STRING, TopicNameStrategy.class.getName(),
                        new SubjectNameStrategies.Validator(), Importance.MEDIUM,
                        "How the subject of a value schema is named: TopicNameStrategy (<topic>-value), "
                                + "RecordNameStrategy or TopicRecordNameStrategy; same choices as "
                                + "key.subject.name.strategy.",
                        GROUP, ++order, Width.LONG, "Value subject strategy")
                .define(AVRO_USE_LOGICAL_TYPE_CONVERTERS, Type.BOOLEAN, false, Importance.LOW,
                        "For GenericRecord: write and read logical types as Java types (BigDecimal, LocalDate, "
                                + "Instant, UUID, …) instead of their underlying Avro types. Generated "
                                + "SpecificRecord classes always use their own conversions.",
                        GROUP, ++order, Width.SHORT, "Logical type converters");
    }

    /** The subject naming strategy for keys or values. */
    public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
        String key = isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY;
        return SubjectNameStrategies.resolve(key, getString(key));
    }

    /** The configured SpecificRecord class for keys or values, or null. */
    public Class<?> specificType(boolean isKey) {
        return getClass(isKey ? SPECIFIC_AVRO_KEY_TYPE : SPECIFIC_AVRO_VALUE_TYPE);
    }
}
