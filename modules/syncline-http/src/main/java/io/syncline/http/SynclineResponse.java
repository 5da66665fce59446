package io.syncline.http;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/** A response the caller handles: a 2xx, or a status it accepted explicitly; the body is fully read and bounded. */
public final class SynclineResponse {
    private final String method;
    private final URI uri;
    private final int status;
    private final Headers headers;
    private final byte[] body;
    private final int attempts;
    private final Duration elapsed;

    SynclineResponse(String method, URI uri, int status, Headers headers, byte[] body, int attempts,
                     Duration elapsed) {
        this.method = method;
        this.uri = uri;
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.attempts = attempts;
        this.elapsed = elapsed;
    }

    /** The status code. */
    public int status() {
        return status;
    }

    /** The response headers. */
    public Headers headers() {
        return headers;
    }

    /** The body bytes (a copy). */
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded with the charset of its Content-Type (UTF-8 when none is given). */
    public String bodyAsString() {
        return new String(body, charset());
    }

    /** How many attempts it took (1 when the first succeeded). */
    public int attempts() {
        return attempts;
    }

    /** Time from the first attempt to this response, waits included. */
    public Duration elapsed() {
        return elapsed;
    }

    /** The method of the request. */
    public String method() {
        return method;
    }

    /** The URL of the request. */
    public URI uri() {
        return uri;
    }

    private Charset charset() {
        String type = headers.first("Content-Type").orElse("");
        for (String part : type.split(";")) {
            String p = part.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                try {
                    return Charset.forName(p.substring(8).replace("\"", "").trim());
                } catch (RuntimeException unknown) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    @Override
    public String toString() {
        return "SynclineResponse{" + method + " " + SynclineRequest.withoutUserInfo(uri) + " -> " + status
                + ", " + body.length + " bytes, attempts=" + attempts + "}";
    }
}
