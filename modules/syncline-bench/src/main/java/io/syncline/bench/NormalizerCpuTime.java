package io.syncline.bench;

import static io.syncline.bench.BenchSupport.options;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@link NormalizerBenchmark} operations timed by the thread's own CPU time instead of the wall clock: on a machine
 * shared with other builds (load average 15–40 on 2 cores), JMH's average time measures mostly descheduling, while
 * the CPU time a thread spent per record moves far less with the load (cache sharing still inflates it). Meant for
 * before/after comparisons run back to back on one machine (e.g. main's benchmark jar, then a branch's), not as the
 * goal's figure, which is JMH's on a quiet machine.
 *
 * <pre>
 * java -Xms512m -Xmx512m -cp modules/syncline-bench/target/benchmarks.jar io.syncline.bench.NormalizerCpuTime \
 *     [--records 100000] [--rounds 3]
 * </pre>
 *
 * Run from the repository root (the mappings are read from {@code ./mappings}). Each round warms every operation up
 * with a quarter of {@code --records}, then times {@code --records} calls; the last round is the one to quote.
 */
public final class NormalizerCpuTime {

    private static Object sink;

    private NormalizerCpuTime() {
    }

    /** One benchmark operation. */
    private interface Operation {
        Object run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.Options opts = options(args, Map.of("records", "100000", "rounds", "3"));
        int records = opts.integer("records");
        int rounds = opts.integer("rounds");
        NormalizerBenchmark b = new NormalizerBenchmark();
        b.setUp();
        List<String> names = List.of("normalize", "hubspotContactPoll", "hubspotContactWebhook", "parseOnly");
        List<Operation> ops = List.of(b::normalize, b::hubspotContactPoll, b::hubspotContactWebhook, b::parseOnly);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.println("load average at start: " + BenchSupport.loadAverage());
        for (int r = 1; r <= rounds; r++) {
            List<String> line = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                Operation op = ops.get(i);
                for (int k = 0; k < records / 4; k++) {
                    sink = op.run();
                }
                long start = threads.getCurrentThreadCpuTime();
                for (int k = 0; k < records; k++) {
                    sink = op.run();
                }
                long cpu = threads.getCurrentThreadCpuTime() - start;
                line.add(String.format(Locale.ROOT, "%s %,.0f", names.get(i), cpu / (double) records));
            }
            System.out.println("round " + r + " (ns of CPU per record): " + String.join(", ", line));
        }
        System.out.println("load average at end: " + BenchSupport.loadAverage());
    }
}
