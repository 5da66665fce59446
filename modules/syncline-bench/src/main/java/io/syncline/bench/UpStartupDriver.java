package io.syncline.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import io.syncline.cli.dist.SynclineProcess;
import io.syncline.kafka.FreePorts;
/**
 * Load driver for issue 2 §7: how long {@code syncline up} takes until it prints that it is up, and how much memory
 * (VmRSS) it holds once idle, against a baseline measured in the same run: the bare embedded Kafka broker in a process
 * of its own with the same JVM options.
 *
 * <p>Besides wall time it reports the CPU time each process used until ready, which a busy machine distorts much
 * less. Each round starts, in turn: the baseline on a fresh data directory, {@code up} on a fresh data directory (cold),
 * then each again on its now-filled data directory (warm). Every process is left idle for {@code --idle} seconds
 * before its RSS is read from {@code /proc/<pid>/status}, then stopped with SIGTERM.
 *
 * <p>{@code java -cp modules/syncline-bench/target/benchmarks.jar io.syncline.bench.UpStartupDriver
 * [--dist modules/syncline-cli/target/syncline] [--rounds 3] [--idle 20]}
 */
public final class UpStartupDriver {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

    /**
     * One start.
     *
     * @param readySeconds wall time from spawning the process to its ready line
     * @param cpuSeconds CPU time (user + system) the process used until then: less sensitive to a busy machine
     * @param rssKb VmRSS after the idle period
     */
    private record Sample(String subject, boolean warm, double readySeconds, double cpuSeconds, long rssKb) {
    }

    private UpStartupDriver() {
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.Options opts = BenchSupport.options(args, Map.of("dist", "modules/syncline-cli/target/syncline",
                "rounds", "3", "idle", "20"));
        Path dist = Path.of(opts.text("dist"));
        int rounds = opts.integer("rounds");
        int idleSeconds = opts.integer("idle");
        Duration idle = Duration.ofSeconds(idleSeconds);
        Path work = Files.createTempDirectory("syncline-up-bench");
        System.out.printf("machine: %d cores, %s, Java %s; load average at start: %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("java.version"), BenchSupport.loadAverage());
        List<Sample> samples = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Path brokerDir = work.resolve("broker-" + round);
            Path upDir = work.resolve("up-" + round);
            for (boolean warm : new boolean[] {false, true}) {
                samples.add(measureBroker(dist, brokerDir, warm, idle));
                samples.add(measureUp(dist, work, upDir, warm, idle));
                System.out.printf("round %d %s: %s%n", round, warm ? "warm" : "cold",
                        samples.subList(samples.size() - 2, samples.size()));
            }
        }
        System.out.printf("load average at end: %s%n%n", BenchSupport.loadAverage());
        System.out.print(report(samples, rounds, idleSeconds));
    }

    private static Sample measureUp(Path dist, Path work, Path dataDir, boolean warm, Duration idle) {
        List<String> args = List.of("up", "--data-dir", dataDir.toString(),
                "--config", work.resolve("no-syncline.yaml").toString(),
                "--kafka-port", String.valueOf(FreePorts.pick()),
                "--kafka-controller-port", String.valueOf(FreePorts.pick()),
                "--registry-port", String.valueOf(FreePorts.pick()),
                "--connect-port", String.valueOf(FreePorts.pick()),
                "--gateway-port", "0", "--console-port", "0");
        long t0 = System.nanoTime();
        try (SynclineProcess up = SynclineProcess.start(dist, work, args, Map.of())) {
            up.awaitLine("Syncline is up", READY_TIMEOUT);
            double ready = (System.nanoTime() - t0) / 1e9;
            double cpu = cpuSeconds(up.pid());
            long rss = rssAfterIdle(up.pid(), idle);
            up.terminate();
            if (up.waitFor(Duration.ofSeconds(30)).isEmpty()) {
                throw new IllegalStateException("syncline up did not stop within 30 s of SIGTERM");
            }
            return new Sample("syncline up", warm, ready, cpu, rss);
        }
    }

    private static Sample measureBroker(Path dist, Path dataDir, boolean warm, Duration idle) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions(dist));
        command.add("-cp");
        command.add(Path.of(BrokerOnly.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString());
        command.add(BrokerOnly.class.getName());
        command.add(dataDir.toString());
        command.add(String.valueOf(FreePorts.pick()));
        command.add(String.valueOf(FreePorts.pick()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // As bin/syncline does, so that both processes allocate the same way.
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        long t0 = System.nanoTime();
        Process process = builder.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals(BrokerOnly.READY)) {
                // Skip anything else the broker prints.
            }
            if (line == null) {
                throw new IllegalStateException("the baseline broker exited before it was ready: " + command);
            }
            double ready = (System.nanoTime() - t0) / 1e9;
            double cpu = cpuSeconds(process.pid());
            long rss = rssAfterIdle(process.pid(), idle);
            process.toHandle().destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the baseline broker did not stop within 30 s of SIGTERM");
            }
            return new Sample("broker only", warm, ready, cpu, rss);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            process.destroyForcibly();
        }
    }

    /** The options bin/syncline passes to java, from the distribution's jvm.options. */
    static List<String> jvmOptions(Path dist) throws IOException {
        return Files.readAllLines(dist.resolve("jvm.options")).stream()
                .map(l -> l.replaceAll("#.*", "").strip())
                .filter(l -> !l.isEmpty())
                .collect(Collectors.toList());
    }

    private static long rssAfterIdle(long pid, Duration idle) {
        LockSupport.parkNanos(idle.toNanos());
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("reading /proc/" + pid + "/status (Linux only)", e);
        }
        throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
    }

    /** utime + stime of a process from /proc/<pid>/stat, in seconds (clock ticks of 1/100 s on Linux). */
    private static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks / 100.0;
        } catch (IOException e) {
            throw new IllegalStateException("reading /proc/" + pid + "/stat (Linux only)", e);
        }
    }

    static String report(List<Sample> samples, int rounds, int idleSeconds) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%d rounds, RSS after %d s idle; median (min-max)%n%n", rounds, idleSeconds));
        md.append("| process | start | time to ready | ratio | CPU to ready | ratio | VmRSS idle | ratio |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (boolean warm : new boolean[] {false, true}) {
            List<Sample> base = filter(samples, "broker only", warm);
            List<Sample> up = filter(samples, "syncline up", warm);
            double baseReady = median(base.stream().map(Sample::readySeconds).toList());
            double baseCpu = median(base.stream().map(Sample::cpuSeconds).toList());
            double baseRss = median(base.stream().map(s -> (double) s.rssKb()).toList());
            for (List<Sample> group : List.of(base, up)) {
                List<Double> ready = group.stream().map(Sample::readySeconds).toList();
                List<Double> cpu = group.stream().map(Sample::cpuSeconds).toList();
                List<Double> rss = group.stream().map(s -> s.rssKb() / 1024.0).toList();
                md.append(String.format(Locale.ROOT,
                        "| %s | %s | %.1f s (%.1f-%.1f) | %.2f | %.1f s (%.1f-%.1f) | %.2f | %.0f MiB (%.0f-%.0f) | %.2f |%n",
                        group.get(0).subject(), warm ? "warm" : "cold",
                        median(ready), min(ready), max(ready), median(ready) / baseReady,
                        median(cpu), min(cpu), max(cpu), median(cpu) / baseCpu,
                        median(rss), min(rss), max(rss), median(rss) * 1024 / baseRss));
            }
        }
        return md.toString();
    }

    private static List<Sample> filter(List<Sample> samples, String subject, boolean warm) {
        return samples.stream().filter(s -> s.subject().equals(subject) && s.warm() == warm).toList();
    }

    private static double median(List<Double> values) {
        return BenchSupport.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double min(List<Double> values) {
        return values.stream().min(Comparator.naturalOrder()).orElseThrow();
    }

    private static double max(List<Double> values) {
        return values.stream().max(Comparator.naturalOrder()).orElseThrow();
    }
}
