package io.syncline.normalizer.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.normalizer.mapping.MappingSet;
import io.syncline.normalizer.mapping.TargetCatalog;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Runs the shipped mappings ({@code mappings/} at the repository root) on fixtures named after scenarios. */
abstract class StripeMappingTestSupport {

    /** The repository's mappings directory; tests run in the module directory. */
    static final Path MAPPINGS = Path.of("../../mappings");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;
    NormalizerDriver driver;

    @BeforeEach
    void startDriver() {
        driver = new NormalizerDriver(MappingSet.load(MAPPINGS, TargetCatalog.canonical()), stateDir);
    }

    @AfterEach
    void stopDriver() {
        driver.close();
    }

    /** A fixture's JSON, compacted the way Stripe sends it. */
    static String fixture(String name) {
        try (InputStream in = StripeMappingTestSupport.class.getResourceAsStream("/fixtures/stripe/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return JSON.writeValueAsString(JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** When the fixtures were received, unless a test says otherwise: just after the newest fixture's time. */
    static final String RECEIVED_AT = "1717171800000";

    /**
     * Pipes a fixture to {@code raw.stripe.<object>} keyed by the object id, as the connector and gateway do: with a
     * {@code syncline.received-at} header ({@link #RECEIVED_AT} unless given), which every writer sets.
     */
    void pipe(String object, String fixture, String... headers) {
        if (!List.of(headers).contains("syncline.received-at")) {
            String[] with = java.util.Arrays.copyOf(headers, headers.length + 2);
            with[headers.length] = "syncline.received-at";
            with[headers.length + 1] = RECEIVED_AT;
            headers = with;
        }
        pipeJson(object, fixture(object + "/" + fixture), headers);
    }

    /** A fixture changed by {@code edit}, which gets the object (data.object of an event, else the value). */
    static String edited(String name, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> edit) {
        try {
            var root = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(fixture(name));
            var obj = "event".equals(root.path("object").asText()) ? root.path("data").path("object") : root;
            edit.accept((com.fasterxml.jackson.databind.node.ObjectNode) obj);
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pipes raw JSON to {@code raw.stripe.<object>}, keyed by the object id, with the headers as given. */
    void pipeJson(String object, String json, String... headers) {
        if (!List.of(headers).contains("syncline.received-at")) {
            String[] with = java.util.Arrays.copyOf(headers, headers.length + 2);
            with[headers.length] = "syncline.received-at";
            with[headers.length + 1] = RECEIVED_AT;
            headers = with;
        }
        try {
            var root = JSON.readTree(json);
            var obj = "event".equals(root.path("object").asText()) ? root.path("data").path("object") : root;
            driver.pipe("raw.stripe." + object, obj.path("id").asText(), json, headers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<NormalizerDriver.Canonical> out(String topic) {
        return driver.canonical(topic);
    }

    static GenericRecord rec(Object o) {
        return (GenericRecord) o;
    }

    static String str(Object o) {
        return o == null ? null : o.toString();
    }

    static long amount(GenericRecord r, String field) {
        return (Long) rec(r.get(field)).get("amount");
    }

    static String currency(GenericRecord r, String field) {
        return str(rec(r.get(field)).get("currency"));
    }

    /** An Avro map (Utf8 keys and values) as plain strings. */
    static java.util.Map<String, String> strings(Object avroMap) {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        ((java.util.Map<?, ?>) avroMap).forEach((k, v) -> out.put(k.toString(), v == null ? null : v.toString()));
        return out;
    }

    static GenericRecord meta(GenericRecord r) {
        return rec(r.get("metadata"));
    }
}
