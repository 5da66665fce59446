package io.syncline.testsupport.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every plugin's worker-level tests need to know about a packaged plugin, by names only (exactly what an
 * operator knows; nothing here loads a connector's classes): where the archive is, the converters a raw source needs,
 * configs with one key changed, and an address nothing answers at for the live checks.
 */
public final class PluginFixture {

    private PluginFixture() {
    }

    /**
     * target/plugin, made by `package` from the shared assembly descriptor, checked to hold {@code plugin}'s archive
     * and checked not to be shadowed: a worker would load {@code connectorClass} from the test classpath instead.
     */
    public static Path pluginPath(String connectorClass, String plugin) {
        String dir = System.getProperty("syncline.test.plugin.path");
        assertThat(dir).as("system property syncline.test.plugin.path, set by the failsafe configuration").isNotBlank();
        boolean onClasspath;
        try {
            Class.forName(connectorClass, false, PluginFixture.class.getClassLoader());
            onClasspath = true;
        } catch (ClassNotFoundException expected) {
            onClasspath = false;
        }
        assertThat(onClasspath).as("the connector classes are on the test classpath, so the worker would not load "
                + "them from the plugin archive; worker-level ITs (*WorkerIT) run in the plugin-archive failsafe "
                + "execution (with -Dit.test, add -Dsyncline.task.its.skip=true)").isFalse();
        Path path = Path.of(dir);
        assertThat(path.resolve(plugin + "/lib")).as("the packaged plugin directory").isDirectory();
        return path;
    }

    /** Adds the converters a raw source needs (JSON bytes as received, ids and headers as text) to {@code config}. */
    public static Map<String, String> withRawConverters(Map<String, String> config) {
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("header.converter", "org.apache.kafka.connect.storage.SimpleHeaderConverter");
        return config;
    }

    /** {@code config} with {@code key} set to {@code value}. */
    public static Map<String, String> with(Map<String, String> config, String key, String value) {
        Map<String, String> c = new LinkedHashMap<>(config);
        c.put(key, value);
        return c;
    }

    /** A loopback port nothing listens on (bound and released at once). */
    public static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }
}
