package io.syncline.gateway.signature;

import java.util.List;

import javax.crypto.Mac;

/**
 * The one mechanism behind every HMAC-SHA256 webhook scheme: read the scheme's headers ({@link HmacScheme#read}),
 * compute the HMAC of what it signs under each configured key, compare it in constant time with each signature the
 * request offers, then check the signing time against the replay window.
 *
 * <p>Every key is tried and every signature compared, whatever matched first, so the time taken says nothing about
 * which secret or signature matched. Checks run in a fixed order: missing headers (the scheme's
 * {@link HmacScheme#requiredHeaders}), malformed ones (its {@link HmacScheme#read}), then the signature, then the
 * time, so that a stale but forged request is reported as forged.
 */
final class HmacVerifier implements SignatureVerifier {

    private final HmacScheme scheme;
    private final HmacScheme.RequiredHeader[] requiredHeaders;
    private final HmacKey[] keys;
    private final long windowMillis;

    /**
     * @param windowMillis how far a signed time may lie from now, in either direction; unused by a scheme that signs
     *     no time
     * @throws IllegalArgumentException from {@link HmacScheme#key} when a secret does not suit the scheme
     */
    HmacVerifier(HmacScheme scheme, List<Secret> secrets, long windowMillis) {
        this.scheme = scheme;
        this.requiredHeaders = scheme.requiredHeaders().toArray(HmacScheme.RequiredHeader[]::new);
        this.keys = new HmacKey[secrets.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new HmacKey(scheme.key(secrets.get(i)));
        }
        this.windowMillis = windowMillis;
    }

    @Override
    public Verification verify(SignedRequest request, long nowMillis) {
        for (HmacScheme.RequiredHeader required : requiredHeaders) {
            if (required.absent(request.header(required.name()))) {
                return Verification.missing(required.name());
            }
        }
        HmacScheme.Read read = scheme.read(request);
        if (read instanceof HmacScheme.Refused refused) {
            return refused.verification();
        }
        HmacScheme.Signed signed = (HmacScheme.Signed) read;
        if (!matchesAnyKey(signed, request.body())) {
            return Verification.mismatch(scheme.signatureHeader());
        }
        return signed.timed()
                ? Verification.window(signed.signedAtMillis(), nowMillis, windowMillis, signed.timeLabel())
                : Verification.VALID;
    }

    private boolean matchesAnyKey(HmacScheme.Signed signed, byte[] body) {
        boolean match = false;
        for (HmacKey key : keys) {
            Mac mac = key.mac();
            mac.update(signed.before());
            mac.update(body);
            mac.update(signed.after());
            match |= signed.signatures().anyEquals(mac.doFinal());
        }
        return match;
    }
}
