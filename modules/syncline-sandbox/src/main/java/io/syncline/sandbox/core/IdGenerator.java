package io.syncline.sandbox.core;

import java.util.SplittableRandom;

/** Seeded, thread-safe source of provider-style random ids ({@code cus_NffrFeUfNV2Hib}); same seed, same ids. */
public final class IdGenerator {

    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private final SplittableRandom random;

    public IdGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** {@code prefix} followed by {@code length} base-62 characters. */
    public synchronized String next(String prefix, int length) {
        StringBuilder sb = new StringBuilder(prefix.length() + length).append(prefix);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    /** Lower-case hexadecimal of {@code length} characters, for tokens and secrets. */
    public synchronized String hex(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(Character.forDigit(random.nextInt(16), 16));
        }
        return sb.toString();
    }

    /** A number in [0, bound), from the same seeded sequence as the ids. */
    public synchronized int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** A random (version 4 shaped) UUID string from the seeded sequence. */
    public synchronized String uuid() {
        String h = hex(32);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-4" + h.substring(13, 16) + "-"
                + "89ab".charAt(Character.digit(h.charAt(16), 16) & 3) + h.substring(17, 20) + "-" + h.substring(20);
    }
}
