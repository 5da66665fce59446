package io.syncline.cli.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@code syncline} command running in a child process, started through a distribution's {@code bin/syncline}
 * exactly as a user runs it (same launcher, JVM options and classpath). For integration tests, benchmarks and
 * scripts: it captures stdout and stderr, waits for a line, and stops the process with SIGTERM like Ctrl-C would.
 */
public final class SynclineProcess implements AutoCloseable {

    private final Process process;
    private final Output stdout;
    private final Output stderr;

    private SynclineProcess(Process process) {
        this.process = process;
        this.stdout = new Output(process.getInputStream(), "syncline-stdout-" + process.pid());
        this.stderr = new Output(process.getErrorStream(), "syncline-stderr-" + process.pid());
    }

    /**
     * Starts {@code <dist>/bin/syncline args...} in {@code workDir}, with this JVM's Java ({@code JAVA_HOME}) and
     * {@code environment} added to the inherited environment.
     */
    public static SynclineProcess start(Path dist, Path workDir, List<String> args, Map<String, String> environment) {
        Path launcher = dist.resolve("bin").resolve("syncline");
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException(launcher + " is missing or not executable; build the distribution with "
                    + "./mvnw -pl modules/syncline-cli -am package -DskipTests");
        }
        List<String> command = new ArrayList<>();
        command.add(launcher.toAbsolutePath().toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        try {
            return new SynclineProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + command, e);
        }
    }

    /** The process id: the launcher execs java, so this is the JVM's pid. */
    public long pid() {
        return process.pid();
    }

    /**
     * Waits until stdout has a line starting with {@code prefix}.
     *
     * @return the line
     * @throws IllegalStateException with everything printed so far when the process ends or the time runs out first
     */
    public String awaitLine(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stdout) {
            while (true) {
                Optional<String> line = stdout.lines.stream().filter(l -> l.startsWith(prefix)).findFirst();
                if (line.isPresent()) {
                    return line.get();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (stdout.closed)) {
                    throw new IllegalStateException("syncline did not print \"" + prefix + "...\" "
                            + (stdout.closed ? "before its output ended" : "within " + timeout)
                            + "\n--- stdout ---\n" + stdout() + "--- stderr ---\n" + stderr());
                }
                try {
                    stdout.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
    }

    /** Everything printed on stdout so far. */
    public String stdout() {
        return stdout.text();
    }

    /** Everything printed on stderr so far. */
    public String stderr() {
        return stderr.text();
    }

    /** Sends SIGTERM (what Ctrl-C and {@code kill} do to the JVM's shutdown hooks); output keeps being collected. */
    public void terminate() {
        // Through the handle: Process.destroy() would also close our ends of stdout and stderr, losing what the
        // process prints while it stops.
        process.toHandle().destroy();
    }

    /**
     * Waits for the process to end.
     *
     * @return the exit code, or empty if it is still running after {@code timeout}
     */
    public Optional<Integer> waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
            stdout.join();
            stderr.join();
            return Optional.of(process.exitValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process (SIGKILL) if it is still running; for cleanup after a failed test. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Collects one output stream line by line on a daemon thread. */
    private static final class Output {
        private final List<String> lines = new ArrayList<>();
        private final Thread reader;
        private boolean closed;

        Output(InputStream in, String name) {
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (this) {
                            lines.add(line);
                            notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // The process went away: what was read is kept.
                } finally {
                    synchronized (this) {
                        closed = true;
                        notifyAll();
                    }
                }
            }, name);
            reader.setDaemon(true);
            reader.start();
        }

        synchronized String text() {
            StringBuilder out = new StringBuilder();
            lines.forEach(l -> out.append(l).append('\n'));
            return out.toString();
        }

        void join() throws InterruptedException {
            reader.join(TimeUnit.SECONDS.toMillis(5));
        }
    }
}
