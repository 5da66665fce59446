package io.syncline.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** hash, mask and drop: personal data hashed with a referenced key, masked, or left out (docs/privacy.md). */
class PrivacyTransformsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String KEY = "0123456789abcdef0123456789abcdef";
    private static final Map<String, String> SECRETS = Map.of("env:HASH_KEY", KEY, "env:OTHER_KEY",
            "fedcba9876543210fedcba9876543210", "env:SHORT", "tooshort");

    private final List<String> problems = new ArrayList<>();

    private ExprCompiler compiler() {
        return new ExprCompiler((key, message) -> problems.add(key + ": " + message)).secrets(ref -> {
            String v = SECRETS.get(ref);
            if (v == null) {
                throw new IllegalStateException("secret " + ref + " is not set");
            }
            return v;
        });
    }

    private Object eval(String expression, String json) throws Exception {
        Typed t = compiler().value(YAML.readTree(expression), "value");
        assertThat(problems).as("compile problems").isEmpty();
        return t.expr().eval(new MappingContext().reset(JSON.readTree(json), null, h -> null, null, "t", 0, 0L, 0L,
                0L));
    }

    private static String hmac(String key, String value) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void hashIsTheKeyedHmacSha256InHexSoEqualValuesStillJoin() throws Exception {
        Object a = eval("{hash: {email: /email}, key: env:HASH_KEY}", "{\"email\": \" Ada@Example.com\"}");
        Object b = eval("{hash: {email: /email}, key: env:HASH_KEY}", "{\"email\": \"ada@example.com \"}");

        assertThat(a).isEqualTo(hmac(KEY, "ada@example.com")).isEqualTo(b);
        assertThat((String) a).hasSize(64).matches("[0-9a-f]+");
        assertThat(eval("{hash: /email, key: env:OTHER_KEY}", "{\"email\": \"ada@example.com\"}"))
                .as("another key, another hash").isNotEqualTo(a);
        assertThat(eval("{hash: /email, key: env:HASH_KEY}", "{\"email\": null}")).isNull();
        assertThat(eval("{hash: /n, key: env:HASH_KEY}", "{\"n\": 42}")).isEqualTo(hmac(KEY, "42"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{hash: /email} | value.key: expected a secret reference, env:NAME or file:/path/to/key; hash keys are never written inline",
            "{hash: /email, key: 0123456789abcdef0123} | value.key: expected a secret reference, env:NAME or file:/path/to/key; hash keys are never written inline",
            "{hash: /email, key: env:MISSING} | value.key: secret env:MISSING is not set",
            "{hash: /email, key: env:SHORT} | value.key: the key env:SHORT is 8 bytes; HMAC-SHA256 needs at least 16 (32 random bytes recommended, e.g. openssl rand -hex 32)",
            "{mask: /email, keep-first: -1} | value.keep-first: expected a whole number from 0 to 1000, got -1",
            "{mask: /email, keep-domain: 3} | value.keep-domain: expected true or false, got 3",
            "{drop: false} | value.drop: expected {drop: true}, got false"})
    void badUseIsReportedAtItsKeyWithoutTheSecret(String expression, String problem) throws Exception {
        compiler().value(YAML.readTree(expression), "value");
        assertThat(problems).containsExactly(problem);
        assertThat(problems).noneMatch(p -> p.contains(KEY) || p.contains("tooshort"));
    }

    @Test
    void withoutASecretResolverHashSaysWhereKeysResolve() throws Exception {
        new ExprCompiler((key, message) -> problems.add(key + ": " + message))
                .value(YAML.readTree("{hash: /email, key: env:HASH_KEY}"), "value");
        assertThat(problems).containsExactly("value.key: secret env:HASH_KEY cannot be resolved here: keys are"
                + " resolved where mappings are compiled with secrets (the normalizer)");
    }

    @ParameterizedTest(name = "{0} on {1} → {2}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "{mask: /v} | ada@example.com | ***************",
            "{mask: /v, keep-first: 1, keep-domain: true} | ada@example.com | a**@example.com",
            "{mask: /v, keep-last: 4} | +49 30 1234567 | **********4567",
            "{mask: /v, keep-first: 2, keep-last: 2} | Jürgen | Jü**en",
            "{mask: /v, keep-first: 9} | short | short",
            "{mask: /v, keep-domain: true} | no-at-sign | **********"})
    void maskHidesAllButWhatItIsToldToKeep(String expression, String value, String masked) throws Exception {
        assertThat(eval(expression, JSON.writeValueAsString(Map.of("v", value)))).isEqualTo(masked);
    }

    @Test
    void dropIsAlwaysNullAndReadsNothing() throws Exception {
        assertThat(eval("{drop: true}", "{\"email\": \"ada@example.com\"}")).isNull();
        assertThat(eval("{mask: /v}", "{\"v\": null}")).isNull();
    }

    @Test
    void inAJsonTargetADroppedMemberIsLeftOut() throws Exception {
        Expr e = compiler().json(YAML.readTree("{record: {email: {drop: true}, id: /id}}"), "value", "value");
        assertThat(problems).isEmpty();
        JsonNode out = (JsonNode) e.eval(new MappingContext().reset(JSON.readTree(
                "{\"id\": \"stripe:cus_1\", \"email\": \"ada@example.com\"}"), null, h -> null, null, "t", 0, 0L, 0L,
                0L));
        assertThat(out).hasToString("{\"id\":\"stripe:cus_1\"}");
    }
}
