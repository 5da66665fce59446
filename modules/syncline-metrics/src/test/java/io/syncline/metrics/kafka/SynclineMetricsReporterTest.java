package io.syncline.metrics.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reporter on a real Kafka {@link Metrics} registry, with metrics named as Connect 4.3 and the delivery library
 * name theirs: what a worker reports comes out under Syncline's names on {@code /metrics}, and goes when Kafka removes it.
 */
class SynclineMetricsReporterTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private Metrics worker;
    private Metrics consumer;
    private SynclineMetricsReporter workerReporter;

    @AfterEach
    void close() {
        if (consumer != null) {
            consumer.close();
        }
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void aWorkersTaskPluginAndConsumerMetricsAreServedUnderSynclineNames() throws Exception {
        workerReporter = new SynclineMetricsReporter();
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        workerReporter.configure(Map.of(SynclineMetricsReporter.PORT_CONFIG, Integer.toString(port),
                SynclineMetricsReporter.HOST_CONFIG, "127.0.0.1"));
        worker = new Metrics(new MetricConfig(), List.of(workerReporter), Time.SYSTEM);
        Map<String, String> task = tags("connector", "crm-contacts", "task", "0");

        Sensor read = worker.sensor("sink-read");
        read.add(worker.metricName("sink-record-read-total", "sink-task-metrics", "", task), new CumulativeCount());
        read.record();
        read.record();
        read.record();
        gauge(worker, "status", "connector-task-metrics", task, "running");
        gauge(worker, "records-delivered-total", "plugins", task, 2L);
        gauge(worker, "task-count", "connect-worker-metrics", Map.of(), 1.0);
        for (String[] b : new String[][] {{"0.1", "1"}, {"1.0", "2"}, {"+Inf", "3"}}) {
            gauge(worker, "e2e-latency-seconds-bucket", "plugins", with(task, "le", b[0]), Long.parseLong(b[1]));
        }
        gauge(worker, "e2e-latency-seconds-count", "plugins", task, 3L);
        gauge(worker, "e2e-latency-seconds-sum", "plugins", task, 4.5);
        gauge(worker, "some-other-metric", "plugins", task, 7L);

        // The worker's internal clients inherit its configuration, port included: they share its server.
        SynclineMetricsReporter internal = new SynclineMetricsReporter();
        internal.configure(Map.of(SynclineMetricsReporter.PORT_CONFIG, Integer.toString(workerReporter.port()),
                SynclineMetricsReporter.HOST_CONFIG, "127.0.0.1"));
        assertThat(internal.port()).isEqualTo(workerReporter.port());
        internal.close();
        // A sink task's consumer: its own registry and reporter instance, no port.
        SynclineMetricsReporter consumerReporter = new SynclineMetricsReporter();
        consumerReporter.configure(Map.of());
        consumer = new Metrics(new MetricConfig(), List.of(consumerReporter), Time.SYSTEM);
        gauge(consumer, "records-lag", "consumer-fetch-manager-metrics",
                tags("client-id", "connector-consumer-crm-contacts-0", "topic", "canonical.crm.contact.v1",
                        "partition", "3"), 42.0);
        gauge(consumer, "records-lag", "consumer-fetch-manager-metrics",
                tags("client-id", "connector-consumer-crm-contacts-0", "topic", "canonical_crm_contact_v1",
                        "partition", "3"), 42.0);
        gauge(consumer, "records-lag", "consumer-fetch-manager-metrics",
                tags("client-id", "consumer-syncline-connect-1", "topic", "syncline.connect.configs",
                        "partition", "0"), 5.0);

        String scrape = scrape();
        assertThat(scrape)
                .contains("syncline_connect_sink_records_in_total{connector=\"crm-contacts\",task=\"0\"} 3.0")
                .contains("syncline_connect_task_running{connector=\"crm-contacts\",task=\"0\"} 1.0")
                .contains("syncline_connect_sink_records_out_total{connector=\"crm-contacts\",task=\"0\"} 2.0")
                .contains("syncline_connect_worker_tasks 1.0")
                .contains("syncline_connect_consumer_lag_records{connector=\"crm-contacts\","
                        + "partition=\"3\",topic=\"canonical.crm.contact.v1\"} 42.0")
                .doesNotContain("syncline.connect.configs")
                .doesNotContain("canonical_crm_contact_v1")
                .doesNotContain("some_other_metric")
                .contains("# TYPE syncline_connect_sink_delivery_latency_seconds histogram")
                .contains("syncline_connect_sink_delivery_latency_seconds_bucket{connector=\"crm-contacts\","
                        + "task=\"0\",le=\"0.1\"} 1")
                .contains("syncline_connect_sink_delivery_latency_seconds_bucket{connector=\"crm-contacts\","
                        + "task=\"0\",le=\"1.0\"} 2")
                .contains("syncline_connect_sink_delivery_latency_seconds_bucket{connector=\"crm-contacts\","
                        + "task=\"0\",le=\"+Inf\"} 3")
                .contains("syncline_connect_sink_delivery_latency_seconds_count{connector=\"crm-contacts\","
                        + "task=\"0\"} 3")
                .contains("syncline_connect_sink_delivery_latency_seconds_sum{connector=\"crm-contacts\","
                        + "task=\"0\"} 4.5")
                .contains("jvm_memory_used_bytes");

        consumer.close();
        consumer = null;
        worker.removeMetric(worker.metricName("records-delivered-total", "plugins", "", task));
        assertThat(scrape()).doesNotContain("syncline_connect_consumer_lag_records{")
                .doesNotContain("syncline_connect_sink_records_out_total{");
    }

    private String scrape() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + workerReporter.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/plain; version=0.0.4"));
        return response.body();
    }

    private static void gauge(Metrics metrics, String name, String group, Map<String, String> tags, Object value) {
        MetricName metricName = metrics.metricName(name, group, "", tags);
        metrics.addMetric(metricName, (Gauge<Object>) (config, now) -> value);
    }

    private static Map<String, String> tags(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Map<String, String> with(Map<String, String> tags, String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(tags);
        m.put(key, value);
        return m;
    }
}
