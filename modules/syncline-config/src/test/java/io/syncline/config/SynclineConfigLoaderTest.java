package io.syncline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynclineConfigLoaderTest {

    @Test
    void anEmptyFileMeansEverythingEmbeddedOnTheDefaultPorts() {
        SynclineConfig config = SynclineConfigLoader.parse("", "syncline.yaml");
        assertThat(config.cluster().embeddedKafka()).isTrue();
        assertThat(config.cluster().embedded().kafkaPort()).isEqualTo(9092);
        assertThat(config.cluster().embedded().registryPort()).isEqualTo(8081);
        assertThat(config.cluster().embedded().connectPort()).isEqualTo(8083);
        assertThat(config.cluster().embedded().dataDir()).isEqualTo(".syncline");
    }

    @Test
    void readsKebabCaseKeys() {
        SynclineConfig config = SynclineConfigLoader.parse("""
                cluster:
                  bootstrap-servers: kafka-1:9092,kafka-2:9092
                  registry-url: https://registry.example.com
                  embedded:
                    connect-port: 18083
                """, "syncline.yaml");
        assertThat(config.cluster().bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
        assertThat(config.cluster().embeddedKafka()).isFalse();
        assertThat(config.cluster().embeddedConnect()).isTrue();
        assertThat(config.cluster().embedded().connectPort()).isEqualTo(18083);
    }

    @Test
    void anUnknownKeyNamesFileLineKeyAndTheKeysThatExist() {
        assertThatThrownBy(() -> SynclineConfigLoader.parse("""
                cluster:
                  bootstrap-servers: localhost:9092
                  registy-url: http://localhost:8081
                """, "syncline.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("syncline.yaml:3: cluster.registy-url: unknown key \"registy-url\"; expected one of "
                        + "bootstrap-servers, connect-url, embedded, registry-url");
    }

    @Test
    void aWrongTypeNamesTheLineAndWhatWasExpected() {
        assertThatThrownBy(() -> SynclineConfigLoader.parse("""
                cluster:
                  embedded:
                    kafka-port: ninety
                """, "syncline.yaml"))
                .hasMessage("syncline.yaml:3: cluster.embedded.kafka-port: expected a whole number, got \"ninety\"");
    }

    @Test
    void reportsEveryInvalidValueAtOnceWithItsLine() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> SynclineConfigLoader.parse("""
                        cluster:
                          bootstrap-servers: "not a server"
                          registry-url: ftp://registry
                          embedded:
                            registry-port: 70000
                        """, "conf/syncline.yaml"));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "conf/syncline.yaml:2: cluster.bootstrap-servers: expected host:port[,host:port...], got \"not a server\"",
                "conf/syncline.yaml:3: cluster.registry-url: expected an http:// or https:// URL, got \"ftp://registry\"",
                "conf/syncline.yaml:5: cluster.embedded.registry-port: expected a port between 0 and 65535 "
                        + "(0 = any free port), got 70000");
    }

    @Test
    void invalidYamlNamesTheLine() {
        assertThatThrownBy(() -> SynclineConfigLoader.parse("cluster:\n  bootstrap-servers: x\n bad-indent: y\n", "s.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("s.yaml:")
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void aListWhereTextIsExpectedSaysSo() {
        assertThatThrownBy(() -> SynclineConfigLoader.parse("cluster:\n  bootstrap-servers: [a, b]\n", "s.yaml"))
                .hasMessage("s.yaml:2: cluster.bootstrap-servers: expected text");
    }

    @Test
    void aMissingFileSaysHowToFixIt(@TempDir Path dir) {
        Path missing = dir.resolve("syncline.yaml");
        assertThatThrownBy(() -> SynclineConfigLoader.load(missing))
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("file not found");
        assertThat(SynclineConfigLoader.loadOrDefaults(missing)).isEqualTo(SynclineConfig.defaults());
    }

    @Test
    void lineIndexCoversNestedKeysAndListElements() {
        Map<String, Integer> lines = SynclineConfigLoader.lineIndex("""
                a:
                  b:
                    - x: 1
                    - x: 2
                      y: 3
                """);
        assertThat(lines).containsEntry("a", 1).containsEntry("a.b", 2).containsEntry("a.b[0]", 3)
                .containsEntry("a.b[1].x", 4).containsEntry("a.b[1].y", 5);
    }

    @Test
    void secretReferencesReadEnvironmentAndFilesAndNeverEchoAValue(@TempDir Path dir) throws Exception {
        assertThat(SecretRef.parse("env:STRIPE_KEY").resolve(Map.of("STRIPE_KEY", "sk_test_1"))).isEqualTo("sk_test_1");
        Path file = dir.resolve("secret");
        Files.writeString(file, "whsec_abc\n");
        assertThat(SecretRef.file(file).resolve(Map.of())).isEqualTo("whsec_abc");

        assertThatThrownBy(() -> SecretRef.parse("whsec_inline_value"))
                .hasMessage("expected a secret reference, env:NAME or file:/path/to/secret; secrets are never written inline")
                .hasMessageNotContaining("whsec_inline_value");
        assertThatThrownBy(() -> SecretRef.parse("env:MISSING").resolve(Map.of()))
                .hasMessage("secret env:MISSING is not set: export MISSING in the environment of this process");
        assertThatThrownBy(() -> SecretRef.parse("file:" + dir.resolve("nope")).resolve(Map.of()))
                .hasMessageContaining("cannot be read");
    }
}
