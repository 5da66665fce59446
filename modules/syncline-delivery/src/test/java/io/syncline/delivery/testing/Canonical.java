package io.syncline.delivery.testing;

import java.time.Instant;
import java.util.Map;

import io.syncline.registry.connect.AvroConverter;
import io.syncline.registry.serde.KafkaAvroSerializer;
import io.syncline.schemas.common.ChangeMetadata;
import io.syncline.schemas.common.Money;
import io.syncline.schemas.common.Operation;
import io.syncline.schemas.finance.Customer;
import io.syncline.schemas.finance.Payment;
import io.syncline.schemas.finance.PaymentStatus;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.sink.SinkRecord;

/** Canonical records for tests: built from the generated classes, written as Avro, read back through our converter. */
public final class Canonical {
    public static final String CUSTOMER_TOPIC = "canonical.finance.customer.v1";
    public static final String PAYMENT_TOPIC = "canonical.finance.payment.v1";

    private final KafkaAvroSerializer serializer = new KafkaAvroSerializer();
    private final AvroConverter converter = new AvroConverter();
    private final String registryUrl;

    /** Against a registry, e.g. {@code mock://test-scope} or a real one's URL. */
    public Canonical(String registryUrl) {
        this.registryUrl = registryUrl;
        serializer.configure(Map.of("schema.registry.url", registryUrl), false);
        converter.configure(Map.of("schema.registry.url", registryUrl), false);
    }

    public String registryUrl() {
        return registryUrl;
    }

    public static ChangeMetadata metadata(String sourceId, String eventId, Instant updatedAt, Operation op,
                                          String objectType) {
        return ChangeMetadata.newBuilder()
                .setSourceSystem("stripe")
                .setSourceObjectType(objectType)
                .setSourceId(sourceId)
                .setOperation(op)
                .setSourceUpdatedAt(updatedAt)
                .setIngestedAt(updatedAt.plusMillis(5))
                .setEventId(eventId)
                .build();
    }

    public static Customer customer(String sourceId, String email, String name, String eventId, Instant updatedAt) {
        return Customer.newBuilder()
                .setId("stripe:" + sourceId)
                .setMetadata(metadata(sourceId, eventId, updatedAt, Operation.UPSERT, "customer"))
                .setEmail(email)
                .setName(name)
                .setPhone("+1 555 0100")
                .setCurrency("USD")
                .setCreatedAt(updatedAt)
                .setUpdatedAt(updatedAt)
                .build();
    }

    public static Payment payment(String sourceId, String customerSourceId, long amount, String currency,
                                  PaymentStatus status, String eventId, Instant createdAt) {
        return Payment.newBuilder()
                .setId("stripe:" + sourceId)
                .setMetadata(metadata(sourceId, eventId, createdAt, Operation.UPSERT, "charge"))
                .setAmount(new Money(amount, currency))
                .setAmountCaptured(status == PaymentStatus.SUCCEEDED ? new Money(amount, currency) : null)
                .setAmountRefunded(new Money(0L, currency))
                .setStatus(status)
                .setCustomerId(customerSourceId == null ? null : "stripe:" + customerSourceId)
                .setCreatedAt(createdAt)
                .setUpdatedAt(createdAt)
                .build();
    }

    /** The Avro bytes a producer would write to {@code topic}. */
    public byte[] bytes(String topic, Object record) {
        return serializer.serialize(topic, record);
    }

    /** The record as a sink task sees it: bytes read back through the Avro converter. */
    public SinkRecord sinkRecord(String topic, int partition, long offset, String key, Object record) {
        SchemaAndValue value = record == null ? SchemaAndValue.NULL : converter.toConnectData(topic, bytes(topic, record));
        return new SinkRecord(topic, partition, org.apache.kafka.connect.data.Schema.STRING_SCHEMA, key,
                value.schema(), value.value(), offset);
    }

    /** The converter, to turn Connect data back into bytes as the worker does for dead letters. */
    public AvroConverter converter() {
        return converter;
    }
}
