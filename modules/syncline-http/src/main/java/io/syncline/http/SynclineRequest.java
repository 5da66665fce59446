package io.syncline.http;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One outbound request: method, absolute URL, headers, optional body, the statuses the caller handles itself, and
 * whether repeating it is safe. Immutable; start with {@link #get}, {@link #post}, etc.
 */
public final class SynclineRequest {
    private static final Set<String> IDEMPOTENT_METHODS = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE");

    private final String method;
    private final URI uri;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final String contentType;
    private final Set<Integer> acceptedStatuses;
    private final Boolean idempotent;
    private final Duration timeout;

    private SynclineRequest(Builder b) {
        this.method = b.method;
        this.uri = b.buildUri();
        this.headers = List.copyOf(b.headers);
        this.body = b.body;
        this.contentType = b.contentType;
        this.acceptedStatuses = Set.copyOf(b.acceptedStatuses);
        this.idempotent = b.idempotent;
        this.timeout = b.timeout;
    }

    /** A GET of {@code url}. */
    public static Builder get(String url) {
        return new Builder("GET", url);
    }

    /** A POST to {@code url}. */
    public static Builder post(String url) {
        return new Builder("POST", url);
    }

    /** A PUT to {@code url}. */
    public static Builder put(String url) {
        return new Builder("PUT", url);
    }

    /** A PATCH of {@code url}. */
    public static Builder patch(String url) {
        return new Builder("PATCH", url);
    }

    /** A DELETE of {@code url}. */
    public static Builder delete(String url) {
        return new Builder("DELETE", url);
    }

    /** Any method. */
    public static Builder method(String method, String url) {
        return new Builder(method, url);
    }

    /** The method, upper case. */
    public String method() {
        return method;
    }

    /** The absolute URL, query included. */
    public URI uri() {
        return uri;
    }

    /** Header fields set by the caller (the authenticator adds its own when sending). */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** The body, if any (a copy). */
    public Optional<byte[]> body() {
        return body == null ? Optional.empty() : Optional.of(body.clone());
    }

    byte[] bodyBytes() {
        return body;
    }

    /** The body's content type, if there is a body. */
    public Optional<String> contentType() {
        return Optional.ofNullable(contentType);
    }

    /** Non-2xx statuses returned to the caller as responses instead of being classified as failures. */
    public Set<Integer> acceptedStatuses() {
        return acceptedStatuses;
    }

    /**
     * Whether repeating the request is safe: set explicitly, else true for GET, HEAD, PUT, DELETE, OPTIONS and for
     * any request carrying an {@code Idempotency-Key} header.
     */
    public boolean isIdempotent() {
        if (idempotent != null) {
            return idempotent;
        }
        return IDEMPOTENT_METHODS.contains(method)
                || headers.stream().anyMatch(h -> h.getKey().equalsIgnoreCase("Idempotency-Key"));
    }

    /** The per-attempt total timeout, if this request overrides the client's. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** "GET https://host/path?query", without any user-info part of the URL. */
    public String describe() {
        return method + " " + withoutUserInfo(uri);
    }

    static String withoutUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri.toString();
        }
        String s = uri.toString();
        return s.replace(uri.getRawUserInfo() + "@", "");
    }

    @Override
    public String toString() {
        // No header values, no body: they may hold secrets or personal data.
        return "SynclineRequest{" + describe() + "}";
    }

    /** Builds a {@link SynclineRequest}. */
    public static final class Builder {
        private final String method;
        private final String url;
        private final List<String> queryParts = new ArrayList<>();
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();
        private final Set<Integer> acceptedStatuses = new LinkedHashSet<>();
        private byte[] body;
        private String contentType;
        private Boolean idempotent;
        private Duration timeout;

        private Builder(String method, String url) {
            this.method = Objects.requireNonNull(method, "method").trim().toUpperCase(Locale.ROOT);
            this.url = Objects.requireNonNull(url, "url");
            if (this.method.isEmpty() || !this.method.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
                throw new IllegalArgumentException("'" + method + "' is not an HTTP method");
            }
        }

        /** Adds a header field (repeatable). {@code Host} is refused: it always comes from the URL. */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "header name");
            Objects.requireNonNull(value, "header value for " + name);
            if (name.equalsIgnoreCase("Host")) {
                throw new IllegalArgumentException("the Host header comes from the URL and cannot be set");
            }
            if (name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0 || value.indexOf('\r') >= 0
                    || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header " + name.replaceAll("[\\r\\n]", "") + " contains a line break");
            }
            headers.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
            return this;
        }

        /** Appends a query parameter, percent-encoding name and value. */
        public Builder query(String name, String value) {
            queryParts.add(encode(name) + "=" + encode(value));
            return this;
        }

        /** A body with its content type. */
        public Builder body(byte[] body, String contentType) {
            this.body = Objects.requireNonNull(body, "body").clone();
            this.contentType = Objects.requireNonNull(contentType, "contentType");
            return this;
        }

        /** A JSON body (UTF-8). */
        public Builder jsonBody(String json) {
            return body(json.getBytes(StandardCharsets.UTF_8), "application/json");
        }

        /** An {@code application/x-www-form-urlencoded} body. */
        public Builder formBody(Map<String, String> fields) {
            String form = fields.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                    .collect(Collectors.joining("&"));
            return body(form.getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded");
        }

        /** Returns these non-2xx statuses as responses instead of failures (e.g. 404 for "deleted", 409). */
        public Builder accept(int... statuses) {
            Arrays.stream(statuses).forEach(acceptedStatuses::add);
            return this;
        }

        /** Overrides whether repeating the request is safe (see {@link SynclineRequest#isIdempotent()}). */
        public Builder idempotent(boolean idempotent) {
            this.idempotent = idempotent;
            return this;
        }

        /** Sets the {@code Idempotency-Key} header, which also makes the request safe to repeat. */
        public Builder idempotencyKey(String key) {
            return header("Idempotency-Key", key);
        }

        /** Overrides the client's per-attempt total timeout for this request. */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("request timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * The request.
         *
         * @throws IllegalArgumentException when the URL is not absolute http(s) with a host
         */
        public SynclineRequest build() {
            return new SynclineRequest(this);
        }

        private URI buildUri() {
            String full = url;
            if (!queryParts.isEmpty()) {
                String joined = String.join("&", queryParts);
                int hash = full.indexOf('#');
                if (hash >= 0) {
                    full = full.substring(0, hash);
                }
                full = full + (full.indexOf('?') >= 0 ? "&" : "?") + joined;
            }
            URI uri;
            try {
                uri = URI.create(full);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + url + "' is not a valid URL: " + e.getMessage(), e);
            }
            if (!uri.isAbsolute() || uri.getHost() == null) {
                throw new IllegalArgumentException("'" + SynclineRequest.withoutUserInfo(uri)
                        + "' is not an absolute URL with a host (expected e.g. https://api.example.com/v1/items)");
            }
            return uri;
        }

        private static String encode(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }
}
