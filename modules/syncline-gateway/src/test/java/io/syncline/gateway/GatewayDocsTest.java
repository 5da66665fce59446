package io.syncline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.syncline.config.GatewayConfig;
import io.syncline.config.SynclineConfigLoader;
import org.junit.jupiter.api.Test;

/** The configuration shown to users stays valid: the docs example, and the repository's syncline.yaml with its
 * commented endpoints switched on. */
class GatewayDocsTest {

    private static final Path ROOT = Path.of("../..");

    @Test
    void theConfigurationExampleInTheDocsIsValid() throws Exception {
        String doc = Files.readString(ROOT.resolve("docs/gateway.md"));
        Matcher yaml = Pattern.compile("```yaml\\n(gateway:.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(yaml.find()).as("a ```yaml block starting with gateway: in docs/gateway.md").isTrue();
        GatewayConfig config = SynclineConfigLoader.parse(yaml.group(1), "docs/gateway.md").gateway();
        assertThat(config.endpoints()).extracting(e -> e.scheme().id())
                .containsExactly("stripe", "standard-webhooks", "hubspot-v3", "zendesk", "github");
    }

    @Test
    void theRepositoryExampleIsValidAsShippedAndWithItsEndpointsUncommented() throws Exception {
        String text = Files.readString(ROOT.resolve("syncline.yaml"));
        SynclineConfigLoader.parse(text, "syncline.yaml");
        String uncommented = text.replaceAll("(?m)^  # (endpoints:|  )", "  $1");
        GatewayConfig config = SynclineConfigLoader.parse(uncommented, "syncline.yaml (uncommented)").gateway();
        assertThat(config.endpoints()).extracting(e -> e.name()).containsExactly("stripe", "hubspot", "zendesk");
    }
}
