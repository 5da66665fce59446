package io.syncline.http;

import java.util.Collection;

/** Masks known secret values in text we are about to show, and bounds its length. */
final class Redactor {
    static final String MASK = "****";
    // Shorter values would mask ordinary words; real secrets are longer.
    private static final int MIN_SECRET_LENGTH = 6;

    private Redactor() {
    }

    static String redact(String text, Collection<String> secrets) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= MIN_SECRET_LENGTH && out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        return out;
    }

    /** At most {@code max} characters, marking the cut and how long the text was. */
    static String truncate(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "... (" + text.length() + " characters in all)";
    }
}
