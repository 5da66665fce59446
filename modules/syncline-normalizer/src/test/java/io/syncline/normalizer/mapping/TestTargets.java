package io.syncline.normalizer.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.mapping.MappingContext;
import org.apache.avro.Schema;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** The test entity {@code demo.Thing} and helpers to compile and run mappings against it. */
final class TestTargets {

    static final Schema THING = load("/test-schemas/Thing.avsc");
    static final TargetCatalog CATALOG = TargetCatalog.ofSchemas(List.of(THING));
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestTargets() {
    }

    private static Schema load(String resource) {
        try (InputStream in = TestTargets.class.getResourceAsStream(resource)) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A mapping on raw.test.thing with the given fields block (indented by two spaces per line). */
    static String mapping(String fields) {
        return """
                source:
                  topic: raw.test.thing
                  object: thing
                target: demo.Thing
                system: test
                source-id: /id
                updated-at: {coalesce: [{timestamp: $event/created, from: unix-seconds}, {timestamp: $header/syncline.received-at, from: auto}]}
                event-id: {coalesce: [$event/id, $header/syncline.event-id]}
                delete-when: {any: [{equals: [$event/type, {const: thing.deleted}]}, {equals: [/deleted, true]}]}
                fields:
                """ + fields;
    }

    static CompiledMapping compile(String yaml) {
        return MappingCompiler.compile(yaml, "test/thing", "mappings/test/thing.yaml", CATALOG, TestEnvelopes.CATALOG);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A context for a bare object (or an event envelope, when the JSON is one), with what its envelope says. */
    static MappingContext context(String value, String... headers) {
        JsonNode root = json(value);
        RecordHeaders h = new RecordHeaders();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        boolean envelope = "event".equals(root.path("object").asText());
        MappingContext.Headers text = name -> {
            Header last = h.lastHeader(name);
            return last == null ? null : new String(last.value(), StandardCharsets.UTF_8);
        };
        return new MappingContext().reset(envelope ? root.path("data").path("object") : root, envelope ? root : null,
                text, "th_1".getBytes(StandardCharsets.UTF_8), "raw.test.thing", 3, 42L, 1_700_000_000_000L,
                1_800_000_000_000L).envelope(TestEnvelopes.values(root));
    }
}
