package io.syncline.gateway.signature;

import java.util.List;

/**
 * GitHub-style: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>}.
 *
 * <p>Nothing signed carries a time, so there is no replay window: a captured request can be replayed, and
 * protection relies on the normalizer dropping duplicate event ids ({@code X-GitHub-Delivery} by default).
 */
final class GitHubSignature implements HmacScheme {

    static final String HEADER = "X-Hub-Signature-256";
    private static final String PREFIX = "sha256=";

    @Override
    public String signatureHeader() {
        return HEADER;
    }

    @Override
    public List<RequiredHeader> requiredHeaders() {
        return List.of(RequiredHeader.signature(HEADER));
    }

    @Override
    public Read read(SignedRequest request) {
        String value = request.header(HEADER).trim();
        if (!value.startsWith(PREFIX)) {
            return Refused.malformed(HEADER + " does not start with sha256=");
        }
        byte[] provided = HmacScheme.hex256(value.substring(PREFIX.length()));
        if (provided == null) {
            return Refused.malformed(HEADER + " is not sha256= followed by 64 hex digits");
        }
        return Signed.untimed(Signatures.of(provided));
    }
}
