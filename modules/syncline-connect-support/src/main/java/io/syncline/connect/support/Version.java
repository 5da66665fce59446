package io.syncline.connect.support;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The plugin version Connect shows ({@code GET /connector-plugins}), from the build. */
final class Version {

    private static final String VERSION = load();

    private Version() {
    }

    static String get() {
        return VERSION;
    }

    private static String load() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }
}
