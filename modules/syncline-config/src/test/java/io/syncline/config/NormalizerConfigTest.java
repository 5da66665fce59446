package io.syncline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class NormalizerConfigTest {

    @Test
    void defaultsNeedNoSection() {
        NormalizerConfig n = SynclineConfigLoader.parse("", "syncline.yaml").normalizer();
        assertThat(n.applicationId()).isEqualTo("syncline-normalizer");
        assertThat(n.mappings()).isEqualTo("mappings");
        assertThat(n.partitions()).isEqualTo(12);
        assertThat(n.dlqTopic()).isEqualTo("dlq.normalizer");
        assertThat(n.metricsPort()).isNull();
        assertThat(n.customerActivity().enabled()).isTrue();
    }

    @Test
    void theCustomerActivityJoinCanBeTurnedOff() {
        NormalizerConfig n = SynclineConfigLoader.parse("""
                normalizer:
                  customer-activity:
                    enabled: false
                """, "syncline.yaml").normalizer();
        assertThat(n.customerActivity().enabled()).isFalse();
    }

    @Test
    void anUnknownCustomerActivityKeyNamesTheKnownOnes() {
        assertThatThrownBy(() -> SynclineConfigLoader.parse("""
                normalizer:
                  customer-activity:
                    wait-ms: 1000
                """, "syncline.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("syncline.yaml:3: normalizer.customer-activity.wait-ms: unknown key \"wait-ms\"; "
                        + "expected one of enabled");
    }

    @Test
    void readsTheSectionAndPassesStreamsSettingsThrough() {
        NormalizerConfig n = SynclineConfigLoader.parse("""
                normalizer:
                  mappings: deploy/mappings
                  threads: 2
                  metrics-port: 9464
                  streams:
                    commit.interval.ms: "200"
                """, "syncline.yaml").normalizer();
        assertThat(n.mappings()).isEqualTo("deploy/mappings");
        assertThat(n.threads()).isEqualTo(2);
        assertThat(n.metricsPort()).isEqualTo(9464);
        assertThat(n.streams()).containsEntry("commit.interval.ms", "200");
    }

    @Test
    void badValuesAreReportedAtTheirLine() {
        assertThatThrownBy(() -> SynclineConfigLoader.parse("""
                normalizer:
                  partitions: 0
                  threads: 0
                  streams:
                    processing.guarantee: at_least_once
                """, "syncline.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("syncline.yaml:2: normalizer.partitions: expected between 1 and 10000, got 0")
                .hasMessageContaining("syncline.yaml:3: normalizer.threads: expected between 1 and 64, got 0")
                .hasMessageContaining("normalizer.streams.processing.guarantee: set by Syncline");
    }

    @Test
    void theRemovedDedupeWindowSaysWhatToDo() {
        assertThatThrownBy(() -> SynclineConfigLoader.parse("""
                normalizer:
                  dedupe-window: 7d
                """, "syncline.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("syncline.yaml:2: normalizer.dedupe-window: no longer needed: the normalizer "
                        + "drops every redelivery however late it comes");
    }

    @Test
    void identityResolutionIsOnByDefaultKeepsPlusTagsAndHasNoLinks() {
        IdentityConfig identity = SynclineConfigLoader.parse("", "syncline.yaml").normalizer().identity();
        assertThat(identity.enabled()).isTrue();
        assertThat(identity.plusAddressingRule()).isEqualTo(IdentityConfig.PlusAddressing.KEEP);
        assertThat(identity.links()).isEmpty();
    }

    @Test
    void readsTheIdentitySection() {
        IdentityConfig identity = SynclineConfigLoader.parse("""
                normalizer:
                  identity:
                    plus-addressing: strip
                    links:
                      - [stripe:cus_1, hubspot:51]
                      - [zendesk:9, shop:42, hubspot:7]
                """, "syncline.yaml").normalizer().identity();
        assertThat(identity.plusAddressingRule()).isEqualTo(IdentityConfig.PlusAddressing.STRIP);
        assertThat(identity.links()).containsExactly(List.of("stripe:cus_1", "hubspot:51"),
                List.of("zendesk:9", "shop:42", "hubspot:7"));
    }

    @Test
    void badIdentityValuesNameTheKeyTheValueAndWhatIsValid() {
        assertThatThrownBy(() -> SynclineConfigLoader.parse("""
                normalizer:
                  identity:
                    plus-addressing: drop
                    links:
                      - [stripe:cus_1]
                      - [stripe:cus_2, Ada]
                      - [stripe:cus_2, hubspot:51]
                """, "syncline.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("normalizer.identity.plus-addressing: expected keep or strip, got \"drop\"")
                .hasMessageContaining("normalizer.identity.links[0]: expected a list of two or more canonical ids"
                        + " that are one person, got 1")
                .hasMessageContaining("normalizer.identity.links[1]: expected canonical ids <system>:<id>"
                        + " (e.g. stripe:cus_1, hubspot:51), got \"Ada\"")
                .hasMessageContaining("normalizer.identity.links[2]: \"stripe:cus_2\" is linked in links[1] too");
    }
}
