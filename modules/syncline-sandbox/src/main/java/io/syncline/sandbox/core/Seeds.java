package io.syncline.sandbox.core;

/** Derives independent seeds for a sandbox's random streams from its one {@code --seed}. */
public final class Seeds {

    private Seeds() {
    }

    /** A seed for {@code purpose}; streams with different purposes do not influence each other. */
    public static long derive(long seed, String purpose) {
        long z = seed + 0x9E3779B97F4A7C15L * (purpose.hashCode() + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
