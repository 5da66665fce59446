package io.syncline.registry.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Registry URL handling that keeps credentials out of requests' targets and out of every message. */
final class RegistryUrls {

    private RegistryUrls() {
    }

    /** The URL with any user info replaced by {@code ***}, safe to log or put in an error. */
    static String redact(String url) {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        int at = url.indexOf('@');
        int slash = scheme < 0 ? -1 : url.indexOf('/', scheme + 3);
        if (scheme >= 0 && at > scheme && (slash < 0 || at < slash)) {
            return url.substring(0, scheme + 3) + "***@" + url.substring(at + 1);
        }
        return url;
    }

    /** The base URI without user info, query or trailing slash. */
    static URI base(String url) {
        try {
            URI uri = new URI(url.trim());
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), null, null, null)
                    .resolve(path.isEmpty() ? "/" : path + "/");
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid registry URL " + redact(url), e);
        }
    }

    /** The decoded user:password embedded in the URL, or null. */
    static String userInfo(String url) {
        try {
            String raw = new URI(url.trim()).getRawUserInfo();
            return raw == null ? null : URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** One path segment, percent-encoded (subjects may contain any character, including '/'). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
