package io.syncline.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The plugin's version, as Connect reports it ({@code GET /connector-plugins}). */
public final class Version {
    private static final String VERSION = load();

    private Version() {
    }

    /** The Maven project version this plugin was built from. */
    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("/io/syncline/delivery/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
