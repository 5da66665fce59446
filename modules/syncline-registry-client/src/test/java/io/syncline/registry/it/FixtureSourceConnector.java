package io.syncline.registry.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.syncline.registry.connect.ConnectFixtures;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/**
 * Test source connector: writes {@code count} copies of {@link ConnectFixtures#everything()} (every Connect type) and
 * one tombstone to {@code topic}, then idles. Lets a real Connect worker drive the Avro converter.
 */
public class FixtureSourceConnector extends SourceConnector {

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        this.props = props;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return FixtureSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef()
                .define("topic", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "Topic to write to.")
                .define("count", ConfigDef.Type.INT, 3, ConfigDef.Importance.LOW, "Records before the tombstone.");
    }

    @Override
    public String version() {
        return "test";
    }

    /** Emits the fixture once, then waits for stop. */
    public static class FixtureSourceTask extends SourceTask {

        private final CountDownLatch stopped = new CountDownLatch(1);
        private String topic;
        private int count;
        private boolean done;

        @Override
        public String version() {
            return "test";
        }

        @Override
        public void start(Map<String, String> props) {
            topic = props.get("topic");
            count = Integer.parseInt(props.getOrDefault("count", "3"));
        }

        @Override
        public List<SourceRecord> poll() throws InterruptedException {
            if (done) {
                // Nothing more to write: wait a little instead of letting the worker spin on poll().
                stopped.await(200, TimeUnit.MILLISECONDS);
                return null;
            }
            done = true;
            List<SourceRecord> records = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                records.add(new SourceRecord(Map.of("fixture", "everything"), Map.of("n", i), topic, null,
                        org.apache.kafka.connect.data.Schema.STRING_SCHEMA, "k" + i,
                        ConnectFixtures.EVERYTHING, ConnectFixtures.everything()));
            }
            records.add(new SourceRecord(Map.of("fixture", "everything"), Map.of("n", count), topic, null,
                    org.apache.kafka.connect.data.Schema.STRING_SCHEMA, "k0", ConnectFixtures.EVERYTHING, null));
            return records;
        }

        @Override
        public void stop() {
            stopped.countDown();
        }
    }
}
