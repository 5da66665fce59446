package io.syncline.config;

/**
 * One thing wrong in a config file: where it is and what was expected.
 *
 * @param source the file name (or another label for where the text came from)
 * @param line 1-based line, or 0 when the key is absent from the file
 * @param key the dotted key path, e.g. {@code gateway.endpoints.stripe.secrets[0]}
 * @param message what is wrong and what would be valid
 */
public record ConfigProblem(String source, int line, String key, String message) {

    @Override
    public String toString() {
        String where = line > 0 ? source + ":" + line : source;
        return key.isEmpty() ? where + ": " + message : where + ": " + key + ": " + message;
    }
}
