package io.syncline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import io.syncline.config.SynclineConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where {@code up}'s gateway listens: the demo on loopback unless asked otherwise. */
class UpBindTest {

    @ParameterizedTest(name = "--bind {0}, demo {1}, gateway.host in the file {2} ({3}) -> {4}")
    @CsvSource(nullValues = "none", value = {
            "none,      true,  false, 0.0.0.0,   127.0.0.1",
            "none,      true,  true,  10.0.0.5,  10.0.0.5",
            "0.0.0.0,   true,  false, 0.0.0.0,   0.0.0.0",
            "127.0.0.1, false, false, 0.0.0.0,   127.0.0.1",
            "none,      false, false, 0.0.0.0,   0.0.0.0",
            "none,      false, true,  10.0.0.5,  10.0.0.5"})
    void theDemoListensOnLoopbackUnlessBindOrTheFileSaysOtherwise(String bind, boolean demo, boolean declared,
                                                                   String configured, String expected) {
        assertThat(UpCommand.gatewayHost(bind, demo, declared, configured)).isEqualTo(expected);
    }

    @Test
    void aGatewayHostWrittenInTheFileIsToldApartFromTheDefault(@TempDir Path dir) throws Exception {
        Path set = Files.writeString(dir.resolve("set.yaml"), "gateway:\n  host: 10.0.0.5\n  port: 8080\n");
        Path unset = Files.writeString(dir.resolve("unset.yaml"), "gateway:\n  port: 8080\n");
        assertThat(SynclineConfigLoader.check(set).lines()).containsKey("gateway.host");
        assertThat(SynclineConfigLoader.check(unset).lines()).doesNotContainKey("gateway.host");
    }
}
