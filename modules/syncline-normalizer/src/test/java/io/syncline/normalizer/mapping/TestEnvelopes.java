package io.syncline.normalizer.mapping;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.mapping.MappingContext;
import io.syncline.mapping.envelope.Envelope;

/**
 * The envelopes of the test provider, declared as a deployment declares them (mappings/test/envelopes.yaml): a
 * Stripe-like event with the object in data.object, and the bare object.
 */
public final class TestEnvelopes {

    public static final String TEXT = """
            envelopes:
              test-event:
                when: {equals: [/object, {const: event}]}
                object: /data/object
                object-type: /data/object/object
                object-id: /data/object/id
                type: /type
                id: /id
                time: {timestamp: /created, from: unix-seconds}
              test-object:
                object-type: /object
                object-id: /id
            """;

    /** The test envelopes, in directory {@code test} (so mappings named test/… take them by default). */
    public static final EnvelopeCatalog CATALOG = EnvelopeCatalog.compile(Map.of("mappings/test/envelopes.yaml",
            Map.entry("test", TEXT)));

    private TestEnvelopes() {
    }

    /** What the test envelopes say of a raw value, as the normalizer reads it. */
    public static Envelope.Values values(JsonNode root) {
        Envelope e = CATALOG.find("test-event");
        MappingContext ctx = new MappingContext().reset(root, null, null, null, "raw.test.thing", 0, 0, 0, 0);
        if (!e.matches(ctx)) {
            e = CATALOG.find("test-object");
        }
        return new Envelope.Values().read(e, ctx);
    }
}
