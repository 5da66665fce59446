package io.syncline.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import io.syncline.sandbox.crm.CrmSandbox;
import io.syncline.sandbox.payments.PaymentsSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's credentials: drawn per data directory, kept across restarts, readable by their owner only. */
class DemoSecretsTest {

    private static final List<String> KEYS = List.of(DemoSecrets.PAYMENTS_API_KEY, DemoSecrets.CRM_CLIENT_SECRET,
            DemoSecrets.CRM_REFRESH_TOKEN, DemoSecrets.CRM_PRIVATE_APP_TOKEN, DemoSecrets.SHOP_CDC_PASSWORD,
            DemoSecrets.SUPPORT_API_TOKEN, DemoSecrets.SUPPORT_WEBHOOK_SECRET);

    @TempDir
    Path work;

    @Test
    void twoDataDirectoriesGetDifferentSecretsAndEachKeepsItsOwnAcrossRestarts() {
        DemoSecrets a = DemoSecrets.inDirectory(work.resolve("a/demo"));
        DemoSecrets b = DemoSecrets.inDirectory(work.resolve("b/demo"));
        for (String key : KEYS) {
            assertThat(a.get(key)).as(key).isNotEqualTo(b.get(key)).hasSizeGreaterThanOrEqualTo(32);
        }
        assertThat(a.webhookSecret()).startsWith("whsec_").isNotEqualTo(b.webhookSecret());
        assertThat(a.get(DemoSecrets.PAYMENTS_API_KEY)).startsWith("sk_test_")
                .isNotEqualTo(PaymentsSandbox.DEFAULT_API_KEY);
        assertThat(a.get(DemoSecrets.CRM_CLIENT_SECRET)).isNotEqualTo(CrmSandbox.DEFAULT_CLIENT_SECRET);
        assertThat(a.get(DemoSecrets.CRM_PRIVATE_APP_TOKEN)).startsWith("pat-na1-")
                .isNotEqualTo(CrmSandbox.DEFAULT_PRIVATE_APP_TOKEN);

        DemoSecrets again = DemoSecrets.inDirectory(work.resolve("a/demo"));
        for (String key : KEYS) {
            assertThat(again.get(key)).as(key).isEqualTo(a.get(key));
        }
        assertThat(again.webhookSecret()).isEqualTo(a.webhookSecret());
    }

    @Test
    void theFilesAreReadableByTheirOwnerOnlyAndHoldWhatTheReferencesName() throws Exception {
        DemoSecrets s = DemoSecrets.inDirectory(work.resolve("data/demo"));
        assertThat(Files.getPosixFilePermissions(work.resolve("data/demo")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(s.file())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(s.webhookSecretFile()))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(s.webhookSecretFile(), StandardCharsets.UTF_8)).isEqualTo(s.webhookSecret());
        assertThat(Files.getPosixFilePermissions(s.supportWebhookSecretFile()))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(s.supportWebhookSecretFile(), StandardCharsets.UTF_8))
                .isEqualTo(s.get(DemoSecrets.SUPPORT_WEBHOOK_SECRET));
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newBufferedReader(s.file())) {
            p.load(in);
        }
        for (String key : KEYS) {
            assertThat(p.getProperty(key)).isEqualTo(s.get(key));
            assertThat(s.reference(key)).isEqualTo("${file:" + s.file() + ":" + key + "}");
        }
        assertThat(work.resolve("data/demo")).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void filesAnOlderVersionWroteWithTheSeededSecretsAndOpenPermissionsAreRedrawnAndClosed() throws Exception {
        Path dir = Files.createDirectories(work.resolve("old/demo"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = dir.resolve("secrets.properties");
        Files.writeString(file, "payments.api.key=" + PaymentsSandbox.DEFAULT_API_KEY + "\ncrm.client.secret="
                + CrmSandbox.DEFAULT_CLIENT_SECRET + "\ncrm.refresh.token=00000000-0000-4000-8000-000000000001\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Path hook = dir.resolve("stripe-webhook.secret");
        Files.writeString(hook, "whsec_seeded");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rw-r--r--"));

        DemoSecrets s = DemoSecrets.inDirectory(dir);

        assertThat(s.get(DemoSecrets.PAYMENTS_API_KEY)).isNotEqualTo(PaymentsSandbox.DEFAULT_API_KEY);
        assertThat(s.get(DemoSecrets.CRM_CLIENT_SECRET)).isNotEqualTo(CrmSandbox.DEFAULT_CLIENT_SECRET);
        assertThat(s.get(DemoSecrets.CRM_REFRESH_TOKEN)).isNotEqualTo("00000000-0000-4000-8000-000000000001");
        assertThat(s.webhookSecret()).isNotEqualTo("whsec_seeded");
        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(hook)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
}
