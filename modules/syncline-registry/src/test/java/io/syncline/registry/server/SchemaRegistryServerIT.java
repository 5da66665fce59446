package io.syncline.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.registry.server.RegistryClient.Answer;

class SchemaRegistryServerIT {

    @TempDir
    static Path dataDir;

    static EmbeddedKafkaBroker broker;
    static SchemaRegistryServer server;
    static RegistryClient client;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.builder(dataDir).build().start();
        server = SchemaRegistryServer.builder(broker.bootstrapServers()).port(0).build().start();
        client = new RegistryClient(server.url());
    }

    @AfterAll
    static void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            broker.close();
        }
    }

    @Test
    void registersASchemaAndServesItByIdAndAsTheLatestVersion() {
        String schema = RegistryClient.record("Payment", "id:string", "amount:long");
        int id = client.register("payments-value", schema);

        Answer byId = client.get("/schemas/ids/" + id);
        assertThat(byId.status()).isEqualTo(200);
        assertThat(byId.contentType()).startsWith(RegistryClient.V1);
        assertThat(byId.json().fieldNames()).toIterable().containsExactly("schema");
        assertThat(byId.json().get("schema").asText()).isEqualTo(schema);

        Answer latest = client.get("/subjects/payments-value/versions/latest");
        assertThat(latest.status()).isEqualTo(200);
        assertThat(latest.json().fieldNames()).toIterable().containsExactly("subject", "version", "id", "schema");
        assertThat(latest.json().get("subject").asText()).isEqualTo("payments-value");
        assertThat(latest.json().get("version").asInt()).isEqualTo(1);
        assertThat(latest.json().get("id").asInt()).isEqualTo(id);
    }

    @Test
    void theSameSchemaGetsTheSameIdAgainAndUnderAnotherSubject() {
        String schema = RegistryClient.record("Contact", "email:string");
        int first = client.register("contacts-value", schema);
        int again = client.register("contacts-value", "  " + schema.replace(",", " , ") + "\n");
        int elsewhere = client.register("contacts-copy-value", schema);

        assertThat(again).isEqualTo(first);
        assertThat(elsewhere).isEqualTo(first);
        assertThat(client.get("/subjects/contacts-value/versions").json().toString()).isEqualTo("[1]");
        assertThat(client.get("/subjects/contacts-copy-value/versions/1").json().get("id").asInt()).isEqualTo(first);
    }

    @Test
    void rootAndHealthAnswer() {
        assertThat(client.get("/").json().toString()).isEqualTo("{}");
        Answer health = client.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void anUnknownSubjectIs40401() {
        Answer a = client.get("/subjects/nobody/versions/latest");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.errorCode()).isEqualTo(40401);
        assertThat(a.message()).isEqualTo("Subject 'nobody' not found.");
        assertThat(client.post("/subjects/x/versions", Map.of("schema", "{")).errorCode()).isEqualTo(42201);
    }
}
