package io.syncline.registry.server;

import static io.syncline.registry.server.RegistryClient.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.registry.server.RegistryClient.Answer;

/** What clients see when Kafka refuses or is away: 50001 and 50002, reads keep working, writes recover. */
class KafkaFailuresIT {

    @TempDir
    static Path dataDir;

    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start() {
        // ACLs apply only where one exists, so the broker's own traffic stays allowed.
        broker = EmbeddedKafkaBroker.builder(dataDir)
                .config("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .config("allow.everyone.if.no.acl.found", "true")
                .build().start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void aWriteKafkaDeniesIs50001AndReadsStillWork() throws Exception {
        String topic = "_schemas_denied";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createAcls(List.of(new AclBinding(
                    new ResourcePattern(ResourceType.TRANSACTIONAL_ID, "syncline-registry-" + topic, PatternType.LITERAL),
                    new AccessControlEntry("User:ANONYMOUS", "*", AclOperation.WRITE, AclPermissionType.DENY))))
                    .all().get();
        }
        try (SchemaRegistryServer server = SchemaRegistryServer.builder(broker.bootstrapServers()).port(0)
                .topic(topic).build().start()) {
            RegistryClient client = new RegistryClient(server.url());
            Answer denied = client.post("/subjects/denied-value/versions", Map.of("schema", "\"string\""));
            assertThat(denied.status()).isEqualTo(500);
            assertThat(denied.errorCode()).isEqualTo(50001);
            assertThat(denied.message()).startsWith("writing to " + topic + " failed and will not succeed on retry")
                    .containsIgnoringCase("authoriz");
            assertThat(client.get("/subjects").status()).isEqualTo(200);
        }
    }

    @Test
    void aWriteWhileKafkaIsDownIs50002AndWritesWorkAgainOnceItIsBack() {
        try (SchemaRegistryServer server = SchemaRegistryServer.builder(broker.bootstrapServers()).port(0)
                .topic("_schemas_outage").operationTimeout(Duration.ofSeconds(10)).build().start()) {
            RegistryClient client = new RegistryClient(server.url());
            int before = client.register("outage-value", record("O", "a:string"));

            broker.close();
            try {
                Answer timedOut = client.post("/subjects/outage-value/versions",
                        Map.of("schema", record("O", "a:string", "b:string=\"x\"")));
                assertThat(timedOut.status()).isEqualTo(500);
                assertThat(timedOut.errorCode()).isEqualTo(50002);
                assertThat(client.get("/schemas/ids/" + before).status()).isEqualTo(200);
            } finally {
                broker.start();
            }

            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(client.post(
                    "/subjects/outage-value/versions", Map.of("schema", record("O", "a:string", "b:string=\"x\"")))
                    .status()).isEqualTo(200));
            assertThat(client.get("/subjects/outage-value/versions").json().toString()).isEqualTo("[1,2]");
        }
    }
}
