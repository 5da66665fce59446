package io.syncline.gateway.signature;

import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One HMAC-SHA256 key with a ready {@link Mac} per thread, so verifying a request does not look up a provider or
 * re-run the key schedule.
 */
final class HmacKey {

    private static final String ALGORITHM = "HmacSHA256";

    private final ThreadLocal<Mac> mac;

    HmacKey(byte[] key) {
        SecretKeySpec spec = new SecretKeySpec(key, ALGORITHM);
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance(ALGORITHM);
                m.init(spec);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
            }
        });
        mac.get(); // fail at start, not on the first request, if the JVM lacks HmacSHA256
    }

    /** This thread's Mac for the key, reset and ready for {@code update}. */
    Mac mac() {
        Mac m = mac.get();
        m.reset();
        return m;
    }
}
