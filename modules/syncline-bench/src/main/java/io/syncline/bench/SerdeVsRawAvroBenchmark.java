package io.syncline.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.syncline.registry.client.InMemorySchemaRegistryClient;
import io.syncline.registry.serde.KafkaAvroDeserializer;
import io.syncline.registry.serde.KafkaAvroSerializer;
import io.syncline.schemas.common.Address;
import io.syncline.schemas.common.ChangeMetadata;
import io.syncline.schemas.common.Money;
import io.syncline.schemas.common.Operation;
import io.syncline.schemas.finance.Payment;
import io.syncline.schemas.finance.PaymentStatus;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Our Kafka Avro serde (registry answers cached) against raw Avro SpecificDatumWriter/Reader on the same canonical
 * {@link Payment}: the raw pair is the limit, the goal is at most 1.3× its cost. The raw baseline reuses its encoder,
 * decoder and output stream, as a careful hand-written loop would. Results: docs/benchmarks.md, "Serde vs raw Avro".
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.syncline"})
public class SerdeVsRawAvroBenchmark {

    private static final String TOPIC = "canonical.finance.payment.v1";

    private Payment payment;
    private KafkaAvroSerializer serializer;
    private KafkaAvroDeserializer deserializer;
    private byte[] framed;

    private SpecificDatumWriter<Payment> rawWriter;
    private SpecificDatumReader<Payment> rawReader;
    private ByteArrayOutputStream rawOut;
    private BinaryEncoder rawEncoder;
    private BinaryDecoder rawDecoder;
    private byte[] rawBytes;

    @Setup
    public void setUp() throws IOException {
        payment = payment();
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        Map<String, Object> config = Map.of("schema.registry.url", "http://unused:8081");
        serializer = new KafkaAvroSerializer(registry, config, false);
        deserializer = new KafkaAvroDeserializer(registry, config, false, Payment.class);
        framed = serializer.serialize(TOPIC, payment);
        if (!payment.equals(deserializer.deserialize(TOPIC, framed))) {
            throw new IllegalStateException("the serde does not round-trip the benchmark payment");
        }

        rawWriter = new SpecificDatumWriter<>(Payment.class);
        rawReader = new SpecificDatumReader<>(Payment.class);
        rawOut = new ByteArrayOutputStream(512);
        rawBytes = rawSerialize();
        if (!payment.equals(rawDeserialize()) || rawBytes.length + 5 != framed.length) {
            throw new IllegalStateException("raw Avro and the serde disagree on the benchmark payment");
        }
    }

    /** A fully populated canonical payment (every optional field set), ~500 bytes of Avro. */
    static Payment payment() {
        Money amount = new Money(2_500L, "EUR");
        return Payment.newBuilder()
                .setId("stripe:ch_3MmlLrLkdIwHu7ix0snN0B15")
                .setMetadata(ChangeMetadata.newBuilder()
                        .setSourceSystem("stripe").setSourceObjectType("charge").setSourceId("ch_3MmlLrLkdIwHu7ix0snN0B15")
                        .setOperation(Operation.UPSERT)
                        .setSourceUpdatedAt(Instant.parse("2026-11-20T10:15:30.123Z"))
                        .setIngestedAt(Instant.parse("2026-11-20T10:15:30.456Z"))
                        .setEventId("evt_1NG8Du2eZvKYlo2CUI79vXWy").setTraceId("4bf92f3577b34da6a3ce929d0e0e4736")
                        .setSourceEventType("charge.succeeded").build())
                .setAmount(amount).setAmountCaptured(amount).setAmountRefunded(new Money(0L, "EUR"))
                .setStatus(PaymentStatus.SUCCEEDED).setSourceStatus("succeeded")
                .setPaid(true).setCaptured(true).setRefunded(false)
                .setFailureCode(null).setFailureMessage(null)
                .setCustomerId("stripe:cus_NffrFeUfNV2Hib").setPaymentIntentId("stripe:pi_3MtwBwLkdIwHu7ix28a3tqPa")
                .setInvoiceId("stripe:in_1MtHbELkdIwHu7ixl4OzzPMv").setPaymentMethodType("card")
                .setCardBrand("visa").setCardLast4("4242").setDescription("Order #1042 — 2 items")
                .setBillingName("Jenny Rosen").setBillingEmail("jenny.rosen@example.com")
                .setBillingAddress(Address.newBuilder().setLine1("510 Townsend St").setLine2(null)
                        .setCity("San Francisco").setRegion("CA").setPostalCode("94103").setCountry("US").build())
                .setLivemode(false)
                .setCreatedAt(Instant.parse("2026-11-20T10:15:29.000Z")).setUpdatedAt(Instant.parse("2026-11-20T10:15:30.000Z"))
                .setProperties(Map.of("order_id", "1042", "channel", "web"))
                .build();
    }

    @Benchmark
    public byte[] rawSerialize() throws IOException {
        rawOut.reset();
        rawEncoder = EncoderFactory.get().binaryEncoder(rawOut, rawEncoder);
        rawWriter.write(payment, rawEncoder);
        rawEncoder.flush();
        return rawOut.toByteArray();
    }

    @Benchmark
    public byte[] serdeSerialize() {
        return serializer.serialize(TOPIC, payment);
    }

    @Benchmark
    public Payment rawDeserialize() throws IOException {
        rawDecoder = DecoderFactory.get().binaryDecoder(rawBytes, rawDecoder);
        return rawReader.read(null, rawDecoder);
    }

    @Benchmark
    public Object serdeDeserialize() {
        return deserializer.deserialize(TOPIC, framed);
    }

    @Benchmark
    public Payment rawRoundTrip() throws IOException {
        byte[] bytes = rawSerialize();
        rawDecoder = DecoderFactory.get().binaryDecoder(bytes, rawDecoder);
        return rawReader.read(null, rawDecoder);
    }

    @Benchmark
    public Object serdeRoundTrip() {
        return deserializer.deserialize(TOPIC, serializer.serialize(TOPIC, payment));
    }
}
