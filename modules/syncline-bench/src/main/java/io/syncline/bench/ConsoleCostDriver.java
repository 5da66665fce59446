package io.syncline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.syncline.cli.dist.SynclineProcess;
import io.syncline.kafka.FreePorts;

/**
 * What the web console costs a running {@code syncline up --demo} (issue 17): in one run, alternating phases with no
 * console open and with one pipeline page open (its SSE stream read as a browser reads it), the CPU the whole process
 * used (from {@code /proc/<pid>/stat}) and the CPU of the console's own threads (every thread whose name starts with
 * {@code syncline-console}, from {@code /proc/<pid>/task/<tid>/stat}); and how long the pipeline page takes to load
 * with its scripts and styles.
 *
 * <p>The console's sampler runs whether or not a page is open, so "with minus without" is the cost of an open page,
 * and the console threads' share is the whole console's cost (sampler, pages, SSE). Kafka's own work for the
 * sampler's admin requests is in the process figure only.
 *
 * <p>{@code java -cp modules/syncline-bench/target/benchmarks.jar io.syncline.bench.ConsoleCostDriver
 * [--dist modules/syncline-cli/target/syncline] [--warmup 60] [--phase 60] [--rounds 3] [--loads 20]}
 */
public final class ConsoleCostDriver {

    private static final double TICKS_PER_SECOND = 100.0;

    private ConsoleCostDriver() {
    }

    /** CPU ticks of the process and of the console's threads at one moment. */
    private record Ticks(long process, long console, long nanos) {
    }

    /** One phase: percent of one core used by the process and by the console's threads. */
    private record Phase(boolean pageOpen, double processPercent, double consolePercent, long events) {
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.Options opts = BenchSupport.options(args, Map.of("dist", "modules/syncline-cli/target/syncline",
                "warmup", "60", "phase", "60", "rounds", "3", "loads", "20"));
        Path dist = Path.of(opts.text("dist"));
        Duration warmup = Duration.ofSeconds(opts.integer("warmup"));
        Duration phase = Duration.ofSeconds(opts.integer("phase"));
        int rounds = opts.integer("rounds");
        int loads = opts.integer("loads");
        Path work = Files.createTempDirectory("syncline-console-bench");
        Path dataDir = work.resolve("data");
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("machine: %d cores, %s, Java %s; load average at start: %s%n", cores,
                System.getProperty("os.name"), System.getProperty("java.version"), BenchSupport.loadAverage());
        List<String> up = List.of("up", "--demo", "--data-dir", dataDir.toString(),
                "--config", work.resolve("no-syncline.yaml").toString(), "--kafka-port", "0",
                "--kafka-controller-port", "0", "--registry-port", "0", "--connect-port", "0", "--gateway-port", "0",
                "--console-port", "0", "--payments-sandbox-port", "0", "--crm-sandbox-port", "0",
                "--support-sandbox-port", "0", "--postgres-port", String.valueOf(FreePorts.pick()));
        try (SynclineProcess process = SynclineProcess.start(dist, work, up, Map.of())) {
            process.awaitLine("Syncline is up", Duration.ofMinutes(5));
            String console = consoleUrl(dataDir);
            System.out.printf("up --demo ready, console at %s; warming up for %d s%n", console, warmup.toSeconds());
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Thread.sleep(warmup.toMillis());
            List<Double> loadMillis = pageLoads(http, console, loads);
            List<Phase> phases = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                for (boolean open : new boolean[] {false, true}) {
                    Phase p = measure(process.pid(), http, console, open, phase);
                    phases.add(p);
                    System.out.printf(Locale.ROOT, "round %d, page %s: process %.2f%% of a core, console threads "
                            + "%.2f%%, %d SSE events%n", round, open ? "open" : "closed", p.processPercent(),
                            p.consolePercent(), p.events());
                }
            }
            System.out.printf("load average at end: %s%n%n", BenchSupport.loadAverage());
            System.out.print(report(phases, loadMillis, cores, phase, rounds));
            process.terminate();
            process.waitFor(Duration.ofSeconds(30));
        }
    }

    private static String consoleUrl(Path dataDir) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(dataDir.resolve("running.properties"))) {
            p.load(in);
        }
        String url = p.getProperty("console");
        if (url == null) {
            throw new IllegalStateException("the running file of " + dataDir + " has no console URL");
        }
        return url;
    }

    /** Scripts and styles a page loads from the console itself. */
    private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"(/(?:static|webjars)/[^\"]+)\"");

    /**
     * Wall time of loading the pipeline page as a browser without a cache does, {@code loads} times: {@code GET
     * /pipeline}, then every script and style it names, one after the other (a browser fetches them in parallel,
     * so this is an upper bound of the network part; running the scripts is not included).
     */
    private static List<Double> pageLoads(HttpClient http, String console, int loads) throws Exception {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < loads; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(console + "/pipeline")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (page.statusCode() != 200) {
                throw new IllegalStateException("GET /pipeline answered " + page.statusCode());
            }
            Matcher m = ASSET.matcher(page.body());
            while (m.find()) {
                HttpResponse<byte[]> asset = http.send(HttpRequest.newBuilder(URI.create(console + m.group(1)))
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
                if (asset.statusCode() != 200) {
                    throw new IllegalStateException("GET " + m.group(1) + " answered " + asset.statusCode());
                }
            }
            out.add((System.nanoTime() - t0) / 1e6);
        }
        return out;
    }

    private static Phase measure(long pid, HttpClient http, String console, boolean open, Duration length)
            throws Exception {
        AtomicLong events = new AtomicLong();
        HttpResponse<Stream<String>> stream = null;
        Thread reader = null;
        if (open) {
            http.send(HttpRequest.newBuilder(URI.create(console + "/pipeline")).build(),
                    HttpResponse.BodyHandlers.discarding());
            stream = http.send(HttpRequest.newBuilder(URI.create(console + "/pipeline/events"))
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
            Stream<String> lines = stream.body();
            reader = new Thread(() -> {
                try {
                    lines.forEach(l -> {
                        if (l.startsWith("event:")) {
                            events.incrementAndGet();
                        }
                    });
                } catch (UncheckedIOException e) {
                    // The phase closed the stream under the reader: how every open phase ends.
                }
            }, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }
        Ticks start = ticks(pid);
        Thread.sleep(length.toMillis());
        Ticks end = ticks(pid);
        if (stream != null) {
            stream.body().close();
        }
        double seconds = (end.nanos() - start.nanos()) / 1e9;
        return new Phase(open, 100 * (end.process() - start.process()) / TICKS_PER_SECOND / seconds,
                100 * (end.console() - start.console()) / TICKS_PER_SECOND / seconds, events.get());
    }

    private static Ticks ticks(long pid) throws IOException {
        long process = utimeStime(Path.of("/proc", String.valueOf(pid), "stat"));
        long console = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    // comm holds the first 15 characters of the thread's name: "syncline-consol".
                    if (Files.readString(task.resolve("comm")).startsWith("syncline-consol")) {
                        console += utimeStime(task.resolve("stat"));
                    }
                } catch (IOException e) {
                    // The thread ended between the listing and the read: its time is gone from both readings.
                }
            }
        }
        return new Ticks(process, console, System.nanoTime());
    }

    private static long utimeStime(Path stat) throws IOException {
        String s = Files.readString(stat);
        String[] fields = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    static String report(List<Phase> phases, List<Double> loads, int cores, Duration phase, int rounds) {
        double closed = BenchSupport.median(phases.stream().filter(p -> !p.pageOpen())
                .mapToDouble(Phase::processPercent).toArray());
        double open = BenchSupport.median(phases.stream().filter(Phase::pageOpen)
                .mapToDouble(Phase::processPercent).toArray());
        double consoleClosed = BenchSupport.median(phases.stream().filter(p -> !p.pageOpen())
                .mapToDouble(Phase::consolePercent).toArray());
        double consoleOpen = BenchSupport.median(phases.stream().filter(Phase::pageOpen)
                .mapToDouble(Phase::consolePercent).toArray());
        double[] ms = loads.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%d rounds of %d s per phase, medians; CPU in %% of one core (the "
                + "machine has %d)%n%n", rounds, phase.toSeconds(), cores));
        md.append("| pipeline page | `up --demo` process | console threads |\n|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| closed | %.2f %% | %.2f %% |%n", closed, consoleClosed));
        md.append(String.format(Locale.ROOT, "| open (SSE) | %.2f %% | %.2f %% |%n", open, consoleOpen));
        md.append(String.format(Locale.ROOT, "| open minus closed | %.2f %% | %.2f %% |%n%n", open - closed,
                consoleOpen - consoleClosed));
        md.append(String.format(Locale.ROOT, "pipeline page with its scripts and styles, no cache, %d loads: median "
                        + "%.1f ms, max %.1f ms%n",
                ms.length, BenchSupport.median(ms), ms[ms.length - 1]));
        return md.toString();
    }
}
