package io.syncline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConsoleConfigTest {

    @Test
    void theConsoleIsOnListensOnLocalhostPort8090AndNeedsNoToken() {
        ConsoleConfig c = SynclineConfigLoader.parse("", "syncline.yaml").console();
        assertThat(c.enabled()).isTrue();
        assertThat(c.host()).isEqualTo("localhost");
        assertThat(c.port()).isEqualTo(8090);
        assertThat(c.authToken()).isNull();
    }

    @Test
    void anotherInterfaceWithoutATokenIsRefusedAtItsLine() {
        assertThatThrownBy(() -> SynclineConfigLoader.parse("""
                console:
                  host: 0.0.0.0
                """, "syncline.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("syncline.yaml:1: console.auth-token: expected a token reference (env:NAME or "
                        + "file:/path/to/token) because console.host is \"0.0.0.0\", not a loopback address: anyone who "
                        + "reaches it could replay dead letters and restart connectors; or set console.host to "
                        + "localhost");
    }

    @Test
    void anotherInterfaceWithATokenReferenceIsFine() {
        ConsoleConfig c = SynclineConfigLoader.parse("""
                console:
                  host: 0.0.0.0
                  port: 9000
                  auth-token: env:SYNCLINE_CONSOLE_TOKEN
                """, "syncline.yaml").console();
        assertThat(c.authToken()).isEqualTo(SecretRef.env("SYNCLINE_CONSOLE_TOKEN"));
        assertThat(c.port()).isEqualTo(9000);
    }

    @Test
    void anInlineTokenIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> SynclineConfigLoader.parse("""
                console:
                  auth-token: hunter2
                """, "syncline.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("console.auth-token")
                .hasMessageContaining("env:NAME or file:/path/to/secret")
                .hasMessageNotContaining("hunter2");
    }

    @ParameterizedTest(name = "{0} loopback: {1}")
    @CsvSource({"localhost, true", "LOCALHOST, true", "127.0.0.1, true", "127.1.2.3, true", "::1, true",
            "[::1], true", "0.0.0.0, false", "::, false", "192.168.1.10, false", "console.example.com, false",
            "localhost.example.com, false"})
    void loopbackIsDecidedOnTheAddressText(String host, boolean loopback) {
        assertThat(ConsoleConfig.isLoopback(host)).isEqualTo(loopback);
    }
}
