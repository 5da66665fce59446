package io.syncline.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SchemaRegistryServerMainTest {

    @Test
    void flagsBuildAServerWithoutStartingIt() {
        assertThat(SchemaRegistryServerMain.parse(new String[] {
            "--bootstrap-servers", "localhost:9092", "--host", "0.0.0.0", "--port", "0", "--topic", "_s"}).build())
                .isNotNull();
    }

    @Test
    void badFlagsAreNamedInTheError() {
        assertThatThrownBy(() -> SchemaRegistryServerMain.parse(new String[] {"--port", "8081"}))
                .hasMessage("--bootstrap-servers is required");
        assertThatThrownBy(() -> SchemaRegistryServerMain.parse(new String[] {"--bootstrap-servers"}))
                .hasMessage("missing value for --bootstrap-servers");
        assertThatThrownBy(() -> SchemaRegistryServerMain.parse(new String[] {
            "--bootstrap-servers", "k:9092", "--port", "eighty"}))
                .hasMessage("--port must be a number, got 'eighty'");
        assertThatThrownBy(() -> SchemaRegistryServerMain.parse(new String[] {
            "--bootstrap-servers", "k:9092", "--port", "70000"}))
                .hasMessage("port must be between 0 and 65535, got 70000");
        assertThatThrownBy(() -> SchemaRegistryServerMain.parse(new String[] {"--colour", "blue"}))
                .hasMessage("unknown option --colour");
    }
}
