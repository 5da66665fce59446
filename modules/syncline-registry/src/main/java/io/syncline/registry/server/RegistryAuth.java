package io.syncline.registry.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who may call the registry: HTTP basic users and static bearer tokens, read once at start from secret references
 * ({@code env:NAME} or {@code file:PATH}), never from inline values.
 *
 * <p>Users are one per line as {@code user:password}; Jetty's realm-file form {@code user: password,role,...} (what
 * Confluent's {@code PropertyFileLoginModule} reads) is accepted too, roles ignored. Tokens are one per line. Blank
 * lines and lines starting with {@code #} are skipped. Comparisons take the same time whatever matches, and nothing
 * here ever logs or returns a credential.
 */
final class RegistryAuth {

    /** No authentication: every request is allowed. */
    static final RegistryAuth NONE = new RegistryAuth(Map.of(), List.of());

    private final Map<String, byte[]> passwords;
    private final List<byte[]> tokens;

    private RegistryAuth(Map<String, byte[]> passwords, List<byte[]> tokens) {
        this.passwords = passwords;
        this.tokens = tokens;
    }

    /**
     * Parses the secret texts (either may be null).
     *
     * @throws IllegalArgumentException naming the reference and line number of a malformed user line, never its content
     */
    static RegistryAuth of(String usersText, String usersRef, String tokensText) {
        Map<String, byte[]> users = new LinkedHashMap<>();
        if (usersText != null) {
            String[] lines = usersText.split("\\R");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon <= 0 || colon == line.length() - 1) {
                    throw new IllegalArgumentException("basic auth users " + usersRef + ": line " + (i + 1)
                            + " is not user:password");
                }
                String password = line.substring(colon + 1).strip();
                int roles = password.indexOf(',');
                if (line.charAt(colon + 1) == ' ' && roles > 0) {
                    password = password.substring(0, roles).strip(); // Jetty realm form: "user: password,role"
                }
                users.put(line.substring(0, colon).strip(), password.getBytes(StandardCharsets.UTF_8));
            }
            if (users.isEmpty()) {
                throw new IllegalArgumentException("basic auth users " + usersRef + " holds no user:password line");
            }
        }
        List<byte[]> bearer = new ArrayList<>();
        if (tokensText != null) {
            for (String line : tokensText.split("\\R")) {
                String token = line.strip();
                if (!token.isEmpty() && !token.startsWith("#")) {
                    bearer.add(token.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return new RegistryAuth(Map.copyOf(users), List.copyOf(bearer));
    }

    boolean enabled() {
        return !passwords.isEmpty() || !tokens.isEmpty();
    }

    /** Whether a request with this {@code Authorization} header may proceed. */
    boolean allows(String authorization) {
        if (!enabled()) {
            return true;
        }
        if (authorization == null) {
            return false;
        }
        if (!passwords.isEmpty() && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return false;
            }
            byte[] expected = passwords.get(decoded.substring(0, colon));
            byte[] given = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
            // Compare against something even for an unknown user, so timing does not tell which users exist.
            return MessageDigest.isEqual(expected == null ? new byte[given.length + 1] : expected, given)
                    && expected != null;
        }
        if (!tokens.isEmpty() && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
            boolean match = false;
            for (byte[] token : tokens) {
                match |= MessageDigest.isEqual(token, given);
            }
            return match;
        }
        return false;
    }

    /** The {@code WWW-Authenticate} challenge of a 401. */
    String challenge() {
        return !passwords.isEmpty() ? "Basic realm=\"SchemaRegistry\"" : "Bearer realm=\"SchemaRegistry\"";
    }
}
