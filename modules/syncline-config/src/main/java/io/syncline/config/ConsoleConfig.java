package io.syncline.config;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The {@code console:} section of {@code syncline.yaml}: where the web console listens and who may use it.
 *
 * @param enabled whether {@code syncline up} serves the console
 * @param host the interface to listen on; anything but a loopback address needs {@code authToken}
 * @param port the HTTP port (0 = any free port)
 * @param authToken a reference to the token people sign in with; required off loopback, optional on it
 */
@JsonClassDescription("The web console: the pipeline live, connectors, dead letters, schemas, topics and this file, "
        + "in a browser (docs/console.md).")
public record ConsoleConfig(
        @JsonPropertyDescription("Serve the console from syncline up (default true).")
        Boolean enabled,
        @JsonPropertyDescription("Interface to listen on (default localhost). Any other address needs auth-token.")
        String host,
        @JsonPropertyDescription("HTTP port (default 8090; 0 = any free port).")
        Integer port,
        @JsonPropertyDescription("Token people sign in with, as a reference: env:NAME or file:/path/to/token. "
                + "Required when host is not a loopback address; never written inline.")
        SecretRef authToken) implements Validatable {

    public static final String DEFAULT_HOST = "localhost";
    public static final int DEFAULT_PORT = 8090;

    public ConsoleConfig {
        enabled = enabled == null || enabled;
        host = host == null || host.isBlank() ? DEFAULT_HOST : host.trim();
        port = port == null ? DEFAULT_PORT : port;
    }

    public static ConsoleConfig defaults() {
        return new ConsoleConfig(null, null, null, null);
    }

    /** A copy listening on {@code port} (the CLI's {@code --console-port}). */
    public ConsoleConfig withPort(int port) {
        return new ConsoleConfig(enabled, host, port, authToken);
    }

    /**
     * Whether {@code host} only accepts connections from this machine: {@code localhost}, {@code 127.0.0.0/8} or
     * {@code ::1}. Decided on the text, without a DNS lookup, so a name that merely resolves to loopback today does
     * not count.
     */
    public static boolean isLoopback(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    @Override
    public void validate(Problems problems, String path) {
        EmbeddedConfig.port(problems, Problems.child(path, "port"), port);
        problems.require(authToken != null || isLoopback(host), Problems.child(path, "auth-token"),
                "expected a token reference (env:NAME or file:/path/to/token) because console.host is \"" + host
                        + "\", not a loopback address: anyone who reaches it could replay dead letters and restart "
                        + "connectors; or set console.host to localhost");
    }
}
