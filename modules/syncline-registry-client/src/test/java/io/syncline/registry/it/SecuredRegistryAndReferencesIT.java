package io.syncline.registry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.syncline.config.SecretRef;
import io.syncline.kafka.EmbeddedKafkaBroker;
import io.syncline.registry.connect.AvroConverter;
import io.syncline.registry.connect.ConnectFixtures;
import io.syncline.registry.serde.KafkaAvroDeserializer;
import io.syncline.registry.serde.KafkaAvroSerializer;
import io.syncline.registry.server.SchemaRegistryServer;

/**
 * The serde and the Connect converter against the real Syncline registry serving HTTPS with basic and bearer
 * authentication, configured only with Confluent's key names ({@code basic.auth.credentials.source},
 * {@code basic.auth.user.info}, {@code bearer.auth.*}, {@code schema.registry.ssl.truststore.*}); and a record whose
 * writer schema references another subject, registered the way Confluent's clients register it, read by our
 * deserializer.
 */
class SecuredRegistryAndReferencesIT {

    private static final String STORE_PASSWORD = "trust-me";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static EmbeddedKafkaBroker broker;
    static SchemaRegistryServer registry;
    static Path truststore;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).build().start();
        Path keystore = dir.resolve("registry.p12");
        truststore = dir.resolve("trust.p12");
        Path cert = dir.resolve("registry.crt");
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        keytool("-exportcert", "-alias", "registry", "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD,
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "registry", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", STORE_PASSWORD);
        Path users = dir.resolve("users");
        Files.writeString(users, "producer:prod-pass\n");
        registry = SchemaRegistryServer.builder(broker.bootstrapServers()).host("127.0.0.1").port(0)
                .basicAuthUsers(SecretRef.file(users))
                .bearerTokens(SecretRef.env("TOKENS"))
                .tls(SchemaRegistryServer.Tls.keyStore(keystore, "PKCS12", SecretRef.env("STORE_PASSWORD")))
                .environment(Map.of("TOKENS", "connect-token", "STORE_PASSWORD", STORE_PASSWORD))
                .build().start();
    }

    @AfterAll
    static void stop() {
        try {
            if (registry != null) {
                registry.close();
            }
        } finally {
            broker.close();
        }
    }

    private static Map<String, Object> tlsConfig(Object... kv) {
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", registry.url());
        config.put("schema.registry.ssl.truststore.location", truststore.toString());
        config.put("schema.registry.ssl.truststore.password", STORE_PASSWORD);
        config.put("schema.registry.ssl.truststore.type", "PKCS12");
        for (int i = 0; i < kv.length; i += 2) {
            config.put((String) kv[i], kv[i + 1]);
        }
        return config;
    }

    @Test
    void theSerdeSendsBasicAndBearerCredentialsOverHttps() {
        Schema schema = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Secured\",\"namespace\":"
                + "\"io.syncline.test\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");
        GenericRecord record = new GenericData.Record(schema);
        record.put("id", "s-1");
        byte[] bytes;
        try (KafkaAvroSerializer serializer = new KafkaAvroSerializer()) {
            serializer.configure(tlsConfig("basic.auth.credentials.source", "USER_INFO",
                    "basic.auth.user.info", "producer:prod-pass"), false);
            bytes = serializer.serialize("secured", record);
        }
        try (KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer()) {
            deserializer.configure(tlsConfig("bearer.auth.credentials.source", "STATIC_TOKEN",
                    "bearer.auth.token", "connect-token"), false);
            assertThat(deserializer.deserialize("secured", bytes).toString()).isEqualTo(record.toString());
        }
        try (KafkaAvroSerializer anonymous = new KafkaAvroSerializer()) {
            anonymous.configure(tlsConfig(), false);
            assertThatThrownBy(() -> anonymous.serialize("secured-anonymous", record))
                    .isInstanceOf(SerializationException.class).hasMessageContaining("401");
        }
    }

    @Test
    void theConverterSendsABearerTokenOverHttps() {
        AvroConverter converter = new AvroConverter();
        converter.configure(tlsConfig("bearer.auth.credentials.source", "STATIC_TOKEN",
                "bearer.auth.token", "connect-token"), false);
        byte[] bytes = converter.fromConnectData("secured-connect", ConnectFixtures.EVERYTHING,
                ConnectFixtures.everything());
        SchemaAndValue back = converter.toConnectData("secured-connect", bytes);
        assertThat(back.value()).isEqualTo(ConnectFixtures.everything());
    }

    @Test
    void aRecordWhoseWriterSchemaReferencesAnotherSubjectIsRead() throws Exception {
        String customer = "{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\"com.example\",\"fields\":"
                + "[{\"name\":\"id\",\"type\":\"string\"}]}";
        String order = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"com.example\",\"fields\":"
                + "[{\"name\":\"number\",\"type\":\"long\"},{\"name\":\"customer\",\"type\":\"com.example.Customer\"}]}";
        // Registered as Confluent's client does: RegisterSchemaRequest with schemaType and references.
        register("ref-customer", "{\"schemaType\":\"AVRO\",\"schema\":" + JSON.writeValueAsString(customer) + "}");
        int orderId = register("ref-orders-value", "{\"schemaType\":\"AVRO\",\"references\":[{\"name\":"
                + "\"com.example.Customer\",\"subject\":\"ref-customer\",\"version\":1}],\"schema\":"
                + JSON.writeValueAsString(order) + "}");

        // Written as Confluent's serializer writes it: magic byte, id, Avro binary of the resolved schema.
        Schema.Parser parser = new Schema.Parser();
        parser.parse(customer);
        Schema orderSchema = parser.parse(order);
        GenericRecord c = new GenericData.Record(orderSchema.getField("customer").schema());
        c.put("id", "c-7");
        GenericRecord o = new GenericData.Record(orderSchema);
        o.put("number", 42L);
        o.put("customer", c);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(orderId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(orderSchema).write(o, encoder);
        encoder.flush();

        try (KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer()) {
            deserializer.configure(tlsConfig("basic.auth.credentials.source", "USER_INFO",
                    "basic.auth.user.info", "producer:prod-pass"), false);
            GenericRecord read = (GenericRecord) deserializer.deserialize("ref-orders", out.toByteArray());
            assertThat(read.get("number")).isEqualTo(42L);
            assertThat(((GenericRecord) read.get("customer")).get("id").toString()).isEqualTo("c-7");
        }
    }

    private static int register(String subject, String body) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(truststore)) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        HttpClient http = HttpClient.newBuilder().sslContext(context).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(registry.url() + "/subjects/" + subject + "/versions?normalize=false"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "producer:prod-pass".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("id").asInt();
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }
}
