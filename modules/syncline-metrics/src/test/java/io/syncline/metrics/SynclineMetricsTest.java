package io.syncline.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SynclineMetricsTest {

    static Stream<SynclineMetric> micrometerBacked() {
        return SynclineMetrics.all().stream().filter(m -> m.role() != Role.CONNECT);
    }

    /** A meter built the way the roles build it is scraped under exactly the documented name. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("micrometerBacked")
    void aMeterBuiltFromTheCatalogueIsScrapedUnderItsDocumentedName(SynclineMetric metric) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        String[] tags = metric.labels().stream().flatMap(l -> Stream.of(l, "x")).toArray(String[]::new);
        switch (metric.type()) {
            case COUNTER -> Counter.builder(metric.micrometerName()).tags(tags).register(registry).increment();
            case GAUGE -> Gauge.builder(metric.micrometerName(), () -> 1).tags(tags).register(registry);
            case HISTOGRAM -> Timer.builder(metric.micrometerName()).tags(tags)
                    .serviceLevelObjectives(Duration.ofMillis(5)).register(registry).record(Duration.ofMillis(1));
            case SUMMARY -> {
                if (metric.inSeconds()) {
                    Timer.builder(metric.micrometerName()).tags(tags).register(registry).record(Duration.ofMillis(1));
                } else {
                    DistributionSummary.builder(metric.micrometerName()).baseUnit(unit(metric)).tags(tags)
                            .register(registry).record(1);
                }
            }
        }
        assertThat(registry.scrape()).contains("# TYPE " + metric.name() + " " + metric.type().prometheus() + "\n");
    }

    private static String unit(SynclineMetric metric) {
        return metric.name().substring(metric.name().lastIndexOf('_') + 1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "syncline_gateway_requests|COUNTER|GATEWAY|counters, and only counters, end in _total",
        "syncline_gateway_open_total|GAUGE|GATEWAY|counters, and only counters, end in _total",
        "syncline_normalizer_records_in_total|COUNTER|GATEWAY|starts with syncline_gateway_",
        "syncline_gateway_Requests_total|COUNTER|GATEWAY|snake_case",
    })
    void aNameOutsideTheSchemeIsRefusedSayingWhy(String name, MetricType type, Role role, String why) {
        assertThatThrownBy(() -> new SynclineMetric(name, type, role, List.of(), "h", "s"))
                .hasMessageContaining(name).hasMessageContaining(why);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void everyMetricHasAHelpTextAndASource(SynclineMetric metric) {
        assertThat(metric.help()).isNotBlank();
        assertThat(metric.source()).isNotBlank();
    }

    static List<SynclineMetric> all() {
        return SynclineMetrics.all();
    }
}
