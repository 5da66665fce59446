package io.syncline.normalizer.mapping;

import java.util.Map;

import io.syncline.mapping.spi.MappingFunction;
import io.syncline.mapping.spi.MappingSource;
import org.apache.avro.Schema;

/** A test {@link MappingFunction}: the object's name backwards (or upper-cased with mode: shout). */
public final class ReverseText implements MappingFunction {

    private boolean shout;

    @Override
    public void configure(Schema target, Map<String, String> options) {
        if (target.getType() != Schema.Type.STRING) {
            throw new IllegalArgumentException("writes text fields only, not " + target.getType().getName());
        }
        String mode = options.getOrDefault("mode", "reverse");
        if (!mode.equals("reverse") && !mode.equals("shout")) {
            throw new IllegalArgumentException("unknown mode " + mode);
        }
        shout = mode.equals("shout");
    }

    @Override
    public Object apply(MappingSource source) {
        String name = source.object().path("name").asText("");
        return shout ? name.toUpperCase(java.util.Locale.ROOT) : new StringBuilder(name).reverse().toString();
    }
}
