package io.syncline.delivery.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Creates canonical topics and writes canonical records to them, as the normalizer would. */
public final class CanonicalTopics {

    private CanonicalTopics() {
    }

    /** Creates {@code topic} with {@code partitions} (one replica) unless it exists. */
    public static void create(String bootstrap, String topic, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("creating " + topic, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("creating " + topic, e);
        }
    }

    /** Writes the records, keyed, in order, and waits until they are acknowledged. */
    public static void produce(String bootstrap, Canonical canonical, String topic, List<? extends Map.Entry<String, ?>> records) {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            for (Map.Entry<String, ?> r : records) {
                producer.send(new ProducerRecord<>(topic, r.getKey(), r.getValue() == null ? null
                        : canonical.bytes(topic, r.getValue())));
            }
            producer.flush();
        }
    }
}
