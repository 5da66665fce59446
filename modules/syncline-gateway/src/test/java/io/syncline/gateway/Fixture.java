package io.syncline.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A signed request produced by a provider's own library (see {@code src/test/node/generate-signature-fixtures.mjs}).
 *
 * @param secret the signing secret the library used (a test value)
 * @param signedAtMillis when it was signed; tests run the gateway's clock at this instant
 * @param url the public URL signed (HubSpot), else null
 * @param headers the request headers, signature headers included
 * @param body the raw body
 */
public record Fixture(String name, String secret, long signedAtMillis, String url, Map<String, String> headers,
        byte[] body) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static Fixture load(String name) {
        try (InputStream in = Fixture.class.getResourceAsStream("/signatures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture signatures/" + name);
            }
            JsonNode node = MAPPER.readTree(in);
            Map<String, String> headers = new LinkedHashMap<>();
            node.get("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
            return new Fixture(name, node.get("secret").asText(), node.get("signedAtMillis").asLong(),
                    node.get("url").isNull() ? null : node.get("url").asText(), Map.copyOf(headers),
                    node.get("body").asText().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same request with one header replaced (or removed when {@code value} is null). */
    public Fixture withHeader(String header, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.keySet().removeIf(h -> h.equalsIgnoreCase(header));
        if (value != null) {
            copy.put(header, value);
        }
        return new Fixture(name, secret, signedAtMillis, url, Map.copyOf(copy), body);
    }

    /** The same headers over another body (a tampered request when the signature is kept). */
    public Fixture withBody(byte[] other) {
        return new Fixture(name, secret, signedAtMillis, url, headers, other);
    }

    public String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
