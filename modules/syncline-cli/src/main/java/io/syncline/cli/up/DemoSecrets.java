package io.syncline.cli.up;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The demo's credentials ({@code up --demo}): drawn from a {@link SecureRandom} the first time a data directory runs
 * the demo and kept in it, so that they differ on every machine and every data directory (a seeded secret is the same
 * everywhere, and anyone who can reach the gateway could sign webhooks with it) yet survive a restart of the same
 * one. They live in {@code <data-dir>/demo/}: {@code secrets.properties} (the sandboxes' API key, OAuth client
 * secret, refresh token and private-app token, the support desk's API token, the shop database's CDC password, referenced from the connector
 * configs as {@code ${file:...}}) and
 * {@code stripe-webhook.secret}, {@code hubspot-webhook.secret} and {@code zendesk-webhook.secret} (read by the
 * gateway), all readable by their owner
 * only (0600, the directory 0700).
 */
public final class DemoSecrets {

    public static final String PAYMENTS_API_KEY = "payments.api.key";
    public static final String CRM_CLIENT_SECRET = "crm.client.secret";
    public static final String CRM_REFRESH_TOKEN = "crm.refresh.token";
    public static final String CRM_PRIVATE_APP_TOKEN = "crm.private.app.token";
    public static final String SHOP_CDC_PASSWORD = "shop.cdc.password";
    public static final String SUPPORT_API_TOKEN = "support.api.token";
    /** The support sandbox signs its webhooks (Zendesk's scheme) with it; the gateway's zendesk endpoint checks them. */
    public static final String SUPPORT_WEBHOOK_SECRET = "support.webhook.secret";

    /**
     * Marks a file written by this class. Files without it were written by versions that used the sandboxes' seeded
     * credentials, the same on every machine: those are drawn anew rather than kept.
     */
    static final String FORMAT_KEY = "format";
    static final String FORMAT = "drawn-per-data-directory";

    static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final Map<String, String> values;
    private final String webhookSecret;

    private DemoSecrets(Path dir, Map<String, String> values, String webhookSecret) {
        this.dir = dir;
        this.values = values;
        this.webhookSecret = webhookSecret;
    }

    /**
     * The secrets of the data directory whose demo directory is {@code dir}: read when they were written before,
     * drawn and written (owner-only) when not. Permissions are tightened on every start, so files an earlier version
     * wrote world-readable are fixed too.
     */
    public static DemoSecrets inDirectory(Path dir) {
        try {
            createPrivateDirectory(dir);
            Path file = dir.resolve("secrets.properties");
            Properties p = new Properties();
            if (Files.isRegularFile(file)) {
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(in);
                }
            }
            boolean ours = FORMAT.equals(p.getProperty(FORMAT_KEY));
            if (!ours) {
                p.clear();
            }
            Map<String, String> values = new LinkedHashMap<>();
            values.put(PAYMENTS_API_KEY, keep(p, PAYMENTS_API_KEY, "sk_test_" + random(32)));
            values.put(CRM_CLIENT_SECRET, keep(p, CRM_CLIENT_SECRET, random(40)));
            values.put(CRM_REFRESH_TOKEN, keep(p, CRM_REFRESH_TOKEN, random(48)));
            values.put(CRM_PRIVATE_APP_TOKEN, keep(p, CRM_PRIVATE_APP_TOKEN, "pat-na1-" + random(36)));
            values.put(SHOP_CDC_PASSWORD, keep(p, SHOP_CDC_PASSWORD, random(32)));
            values.put(SUPPORT_API_TOKEN, keep(p, SUPPORT_API_TOKEN, random(40)));
            values.put(SUPPORT_WEBHOOK_SECRET, keep(p, SUPPORT_WEBHOOK_SECRET, random(44)));
            Path hook = dir.resolve("stripe-webhook.secret");
            String webhook = ours && Files.isRegularFile(hook) ? Files.readString(hook, StandardCharsets.UTF_8).strip()
                    : "";
            DemoSecrets secrets = new DemoSecrets(dir, values, webhook.isEmpty() ? "whsec_" + random(32) : webhook);
            secrets.write();
            return secrets;
        } catch (IOException e) {
            throw new UncheckedIOException("reading or writing the demo's secrets under " + dir, e);
        }
    }

    private static String keep(Properties p, String key, String drawn) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() ? drawn : v.strip();
    }

    /** {@code n} characters of [a-zA-Z0-9] from a {@link SecureRandom}: about 5.95 bits each. */
    static String random(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /** A copy with {@code key} set, e.g. to what a sandbox running elsewhere issued; written at once. */
    public DemoSecrets with(String key, String value) {
        Map<String, String> v = new LinkedHashMap<>(values);
        v.put(key, value);
        DemoSecrets secrets = new DemoSecrets(dir, v, webhookSecret);
        secrets.write();
        return secrets;
    }

    /** A copy signing webhooks with {@code secret}; written at once. */
    public DemoSecrets withWebhookSecret(String secret) {
        DemoSecrets secrets = new DemoSecrets(dir, values, secret);
        secrets.write();
        return secrets;
    }

    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no demo secret " + key + "; known: " + values.keySet());
        }
        return v;
    }

    public String webhookSecret() {
        return webhookSecret;
    }

    /** The properties file the connector configs reference. */
    public Path file() {
        return dir.resolve("secrets.properties");
    }

    /** The file the gateway reads the webhook secret from. */
    public Path webhookSecretFile() {
        return dir.resolve("stripe-webhook.secret");
    }

    /**
     * The file the gateway's HubSpot endpoint reads its secret from: HubSpot signs webhooks (v3) with the app's client
     * secret, so it holds {@link #CRM_CLIENT_SECRET}, kept in its own file because a gateway secret reference names a
     * whole file.
     */
    public Path crmWebhookSecretFile() {
        return dir.resolve("hubspot-webhook.secret");
    }

    /**
     * The file the gateway's zendesk endpoint reads its secret from: {@link #SUPPORT_WEBHOOK_SECRET} again, in a file
     * of its own because a gateway secret reference names a whole file.
     */
    public Path supportWebhookSecretFile() {
        return dir.resolve("zendesk-webhook.secret");
    }

    /** {@code ${file:<secrets.properties>:<key>}}: how a connector config names a secret without holding it. */
    public String reference(String key) {
        get(key);
        return "${file:" + file() + ":" + key + "}";
    }

    private void write() {
        Properties p = new Properties();
        values.forEach(p::setProperty);
        p.setProperty(FORMAT_KEY, FORMAT);
        try {
            createPrivateDirectory(dir);
            writePrivate(file(), w -> p.store(w, "syncline up --demo: this data directory's demo credentials, "
                    + "referenced from the connector configs; owner-readable only"));
            writePrivate(webhookSecretFile(), w -> w.write(webhookSecret));
            writePrivate(crmWebhookSecretFile(), w -> w.write(values.get(CRM_CLIENT_SECRET)));
            writePrivate(supportWebhookSecretFile(), w -> w.write(values.get(SUPPORT_WEBHOOK_SECRET)));
        } catch (IOException e) {
            throw new UncheckedIOException("writing the demo's secrets under " + dir, e);
        }
    }

    private interface Content {
        void writeTo(Writer w) throws IOException;
    }

    /**
     * Writes {@code file} through a temporary file created owner-only and moved into place, so that the secret is
     * never readable by others, not even for a moment, and a reader never sees half of it.
     */
    private static void writePrivate(Path file, Content content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, attributes(OWNER_FILE));
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            content.writeTo(w);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        restrict(file, OWNER_FILE);
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            Files.createDirectories(dir, attributes(OWNER_DIR));
        }
        restrict(dir, OWNER_DIR);
    }

    private static FileAttribute<?>[] attributes(Set<PosixFilePermission> permissions) {
        return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
    }

    private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
        // Where the file system has no POSIX permissions (Windows), the user's profile directory protects it.
        if (posix()) {
            Files.setPosixFilePermissions(path, permissions);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
