package io.syncline.registry.connect;

import java.util.Map;

import io.syncline.registry.serde.AvroSerdeConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** Settings of {@link AvroConverter}: the serde's keys (Confluent's names) plus the schema conversion cache size. */
public class AvroConverterConfig extends AvroSerdeConfig {

    public static final String SCHEMAS_CACHE_SIZE = "schemas.cache.config";

    public AvroConverterConfig(Map<?, ?> props) {
        super(configDef(), props);
    }

    /** The converter's keys. */
    public static ConfigDef configDef() {
        return AvroSerdeConfig.configDef().define(SCHEMAS_CACHE_SIZE, Type.INT,
                1000, ConfigDef.Range.atLeast(1), Importance.LOW,
                "How many Connect ↔ Avro schema conversions are cached in each direction.",
                "Avro converter", 1, Width.SHORT, "Schema cache size");
    }
}
