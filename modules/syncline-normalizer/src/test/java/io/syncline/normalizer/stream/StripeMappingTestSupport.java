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

    /** Pipes a fixture to {@code raw.stripe.<object>} keyed by the object id, as the connector and gateway do. */
    void pipe(String object, String fixture, String... headers) {
        String json = fixture(object + "/" + fixture);
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
