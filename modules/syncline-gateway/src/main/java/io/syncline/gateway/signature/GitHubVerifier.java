package io.syncline.gateway.signature;

import java.util.List;

import javax.crypto.Mac;

/**
 * GitHub-style: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>}.
 *
 * <p>Nothing signed carries a time, so there is no replay window: a captured request can be replayed, and
 * protection relies on the normalizer dropping duplicate event ids ({@code X-GitHub-Delivery} by default).
 */
final class GitHubVerifier implements SignatureVerifier {

    static final String HEADER = "X-Hub-Signature-256";
    private static final String PREFIX = "sha256=";

    private final HmacKey[] keys;

    GitHubVerifier(List<Secret> secrets) {
        this.keys = SignatureVerifier.utf8Keys(secrets);
    }

    @Override
    public Verification verify(SignedRequest request, long nowMillis) {
        String header = request.header(HEADER);
        if (header == null || header.isBlank()) {
            return Verification.missing(HEADER);
        }
        String value = header.trim();
        if (!value.startsWith(PREFIX)) {
            return Verification.malformed(HEADER + " does not start with sha256=");
        }
        byte[] provided = SignatureVerifier.hex256(value.substring(PREFIX.length()));
        if (provided == null) {
            return Verification.malformed(HEADER + " is not sha256= followed by 64 hex digits");
        }
        byte[][] signatures = {provided};
        byte[] body = request.body();
        boolean match = false;
        for (HmacKey key : keys) {
            Mac mac = key.mac();
            mac.update(body);
            match |= SignatureVerifier.anyEqual(mac.doFinal(), signatures, 1);
        }
        return match ? Verification.VALID : Verification.mismatch(HEADER);
    }
}
