package io.syncline.connect.common;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The plugin version Connect shows ({@code GET /connector-plugins}), read from the {@code version.properties} the
 * build writes beside a plugin's connector classes; "unknown" when there is none.
 */
public final class PluginVersion {

    private static final Map<String, String> BY_PACKAGE = new ConcurrentHashMap<>();

    private PluginVersion() {
    }

    /** The version in {@code version.properties} of {@code anchor}'s package. */
    public static String of(Class<?> anchor) {
        return BY_PACKAGE.computeIfAbsent(anchor.getPackageName(), p -> load(anchor));
    }

    private static String load(Class<?> anchor) {
        Properties p = new Properties();
        try (InputStream in = anchor.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }
}
