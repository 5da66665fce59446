package io.syncline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/** What the load drivers share: their {@code --name value} options, medians, and the machine's load average. */
public final class BenchSupport {

    private BenchSupport() {
    }

    /**
     * The {@code --name value} options of a driver. {@code defaults} names every option it knows, with its default
     * (null: none); any other name, or a name without a value, is refused with the list of known ones, so a typo
     * never silently runs the default.
     */
    public static Options options(String[] args, Map<String, String> defaults) {
        Map<String, String> values = new HashMap<>(defaults);
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !defaults.containsKey(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException((name == null || !defaults.containsKey(name)
                        ? "unknown option " + args[i] : "option " + args[i] + " needs a value")
                        + "; expected any of --" + String.join(", --", new TreeSet<>(defaults.keySet())));
            }
            values.put(name, args[i + 1]);
        }
        return new Options(values);
    }

    /** Parsed options; each getter reads one by name. */
    public static final class Options {
        private final Map<String, String> values;

        private Options(Map<String, String> values) {
            this.values = values;
        }

        /** The value as given, or the default (null when there is none). */
        public String text(String name) {
            return values.get(name);
        }

        public int integer(String name) {
            return Integer.parseInt(values.get(name));
        }

        public long longValue(String name) {
            return Long.parseLong(values.get(name));
        }

        public double decimal(String name) {
            return Double.parseDouble(values.get(name));
        }
    }

    /** The median (the mean of the middle two for an even count). */
    public static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** {@code /proc/loadavg} as it reads, for the record next to each result ("unknown" off Linux). */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
