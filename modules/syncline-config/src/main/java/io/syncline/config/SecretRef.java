package io.syncline.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A reference to a secret that lives outside the config file: {@code env:NAME} or {@code file:/path/to/secret}.
 *
 * <p>Secrets are never written inline in {@code syncline.yaml}; the reference is what gets logged and shown,
 * the value only ever reaches the code that signs or authenticates.
 */
public final class SecretRef {

    /** Where the secret is read from. */
    public enum Kind { ENV, FILE }

    private final Kind kind;
    private final String name;
    private final String text;

    private SecretRef(Kind kind, String name, String text) {
        this.kind = kind;
        this.name = name;
        this.text = text;
    }

    /**
     * Parses {@code env:NAME} or {@code file:PATH}.
     *
     * @throws IllegalArgumentException naming the accepted forms, without echoing the value (it may be a secret)
     */
    @JsonCreator
    public static SecretRef parse(String text) {
        if (text != null && text.startsWith("env:") && text.length() > 4) {
            String var = text.substring(4);
            if (!var.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("expected env:NAME with NAME an environment variable name, got env:"
                        + var);
            }
            return new SecretRef(Kind.ENV, var, text);
        }
        if (text != null && text.startsWith("file:") && text.length() > 5) {
            return new SecretRef(Kind.FILE, text.substring(5), text);
        }
        throw new IllegalArgumentException(
                "expected a secret reference, env:NAME or file:/path/to/secret; secrets are never written inline");
    }

    public static SecretRef env(String variable) {
        return parse("env:" + variable);
    }

    public static SecretRef file(Path path) {
        return parse("file:" + path);
    }

    public Kind kind() {
        return kind;
    }

    /** The variable name or the file path. */
    public String name() {
        return name;
    }

    /** Reads the secret from the process environment or the file system. */
    public String resolve() {
        return resolve(System.getenv());
    }

    /**
     * Reads the secret, taking environment variables from {@code environment} (tests pass their own map).
     *
     * @throws IllegalStateException naming the reference (never the value) and what to do
     */
    public String resolve(Map<String, String> environment) {
        switch (kind) {
            case ENV -> {
                String value = environment.get(name);
                if (value == null || value.isEmpty()) {
                    throw new IllegalStateException("secret " + text + " is not set: export " + name
                            + " in the environment of this process");
                }
                return value;
            }
            case FILE -> {
                Path path = Path.of(name);
                try {
                    String value = Files.readString(path, StandardCharsets.UTF_8).strip();
                    if (value.isEmpty()) {
                        throw new IllegalStateException("secret " + text + " is empty: write the secret into " + path);
                    }
                    return value;
                } catch (IOException e) {
                    throw new IllegalStateException("secret " + text + " cannot be read (" + e.getClass().getSimpleName()
                            + "): check that " + path + " exists and is readable", e);
                }
            }
            default -> throw new AssertionError(kind);
        }
    }

    @JsonValue
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretRef other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text);
    }
}
