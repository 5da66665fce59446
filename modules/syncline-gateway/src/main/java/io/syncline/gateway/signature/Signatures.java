package io.syncline.gateway.signature;

import java.security.MessageDigest;

/**
 * The decoded signatures one request offers: several while a provider rolls its secret (Stripe, Standard Webhooks),
 * one otherwise. Entries that do not decode are remembered, so that "no signature" and "a signature we cannot read"
 * are told apart.
 */
final class Signatures {

    /** More than any provider sends; the rest of a longer list is ignored rather than hashed against. */
    private static final int MAX = 8;

    private final byte[][] decoded = new byte[MAX][];
    private int count;
    private boolean undecodable;

    /** The one signature of a scheme that sends one. */
    static Signatures of(byte[] signature) {
        Signatures s = new Signatures();
        s.add(signature);
        return s;
    }

    /** Adds a decoded signature, or notes an undecodable one ({@code null}); ignored once {@link #full()}. */
    void add(byte[] signature) {
        if (signature == null) {
            undecodable = true;
        } else if (count < MAX) {
            decoded[count++] = signature;
        }
    }

    boolean full() {
        return count == MAX;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** True when at least one entry was offered but could not be decoded. */
    boolean undecodable() {
        return undecodable;
    }

    /** True when {@code computed} equals any signature; every comparison is constant-time and none exits early. */
    boolean anyEquals(byte[] computed) {
        boolean match = false;
        for (int i = 0; i < count; i++) {
            // No early exit: the time taken does not depend on which entry matched.
            match |= MessageDigest.isEqual(computed, decoded[i]);
        }
        return match;
    }
}
