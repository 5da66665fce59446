package io.syncline.bench.connect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import io.syncline.bench.BenchSupport;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * What the source poll benches share: running a fresh task (no offsets: a backfill) until it has polled the expected
 * records, and the rounds that pair it with a plain JDK paging loop against the same sandbox, alternating which side
 * goes first, with the medians and the goal printed. Each bench keeps its provider's baseline loop and task config.
 */
final class PollBench {

    private PollBench() {
    }

    /** One timed pass; {@code requests} is the baseline's request count, or every record the connector polled. */
    record Run(long records, long requests, long nanos) {
        double perSecond() {
            return records / (nanos / 1e9);
        }
    }

    /** One side of a round. */
    interface Side {
        Run run() throws Exception;
    }

    /**
     * Two warm-up passes of each side (JIT), then {@code rounds} paired rounds, printing each round and the medians.
     *
     * @param baselineName how the output names the baseline, e.g. "plain JDK client"
     * @param goal         the ratio the connector should reach, printed beside the median
     * @param printBest    whether to print the best round of each side too
     */
    static void compare(int rounds, String baselineName, double goal, boolean printBest, Side baseline,
                        Side connector) throws Exception {
        for (int i = 0; i < 2; i++) {
            baseline.run();
            connector.run();
        }
        List<Double> base = new ArrayList<>();
        List<Double> conn = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            // Alternate which side goes first, so neither always runs right after the other's garbage.
            Run b;
            Run c;
            if (i % 2 == 0) {
                b = baseline.run();
                c = connector.run();
            } else {
                c = connector.run();
                b = baseline.run();
            }
            base.add(b.perSecond());
            conn.add(c.perSecond());
            ratios.add(c.perSecond() / b.perSecond());
            System.out.printf(Locale.ROOT, "round %d: %s %,.0f records/s (%d requests), connector task %,.0f "
                    + "records/s (%d records), ratio %.2f%n", i + 1, baselineName, b.perSecond(), b.requests(),
                    c.perSecond(), c.records(), c.perSecond() / b.perSecond());
        }
        System.out.printf(Locale.ROOT, "median: %s %,.0f records/s, connector task %,.0f records/s; median of the "
                + "paired ratios %.2f (goal >= %.2f)%n", baselineName, median(base), median(conn), median(ratios),
                goal);
        if (printBest) {
            double bestBase = base.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            double bestConn = conn.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            System.out.printf(Locale.ROOT, "best: %s %,.0f records/s, connector task %,.0f records/s, ratio %.2f%n",
                    baselineName, bestBase, bestConn, bestConn / bestBase);
        }
    }

    /**
     * Starts {@code task} with {@code props} on no offsets and polls until {@code expected} records that
     * {@code counts} accepts came; timed from the first {@code poll()}. start() builds the HTTP client and reads the
     * (empty) offsets: a once-per-task cost, not polling, so it is left out as the baseline's client construction is.
     */
    static Run drain(SourceTask task, Map<String, String> props, long expected, Predicate<SourceRecord> counts)
            throws InterruptedException {
        task.initialize(new EmptyContext(props));
        task.start(props);
        long start = System.nanoTime();
        long records = 0;
        long polled = 0;
        try {
            while (records < expected) {
                List<SourceRecord> batch = task.poll();
                if (batch == null) {
                    continue;
                }
                for (SourceRecord r : batch) {
                    polled++;
                    if (counts.test(r)) {
                        records++;
                    }
                }
            }
        } finally {
            task.stop();
        }
        return new Run(records, polled, System.nanoTime() - start);
    }

    private static double median(List<Double> values) {
        return BenchSupport.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** A task context without stored offsets: every run is a first start. */
    private static final class EmptyContext implements SourceTaskContext {
        private final Map<String, String> configs;

        EmptyContext(Map<String, String> configs) {
            this.configs = configs;
        }

        @Override
        public Map<String, String> configs() {
            return configs;
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return null;
        }

        @Override
        public OffsetStorageReader offsetStorageReader() {
            return new OffsetStorageReader() {
                @Override
                public <T> Map<String, Object> offset(Map<String, T> partition) {
                    return null;
                }

                @Override
                public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                    return Map.of();
                }
            };
        }
    }
}
