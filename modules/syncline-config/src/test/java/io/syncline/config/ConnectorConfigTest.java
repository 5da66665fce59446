package io.syncline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConnectorConfigTest {

    @Test
    void sourcesAndSinksBecomeConnectConfigsWithShortNamesResolved() {
        SynclineConfig config = SynclineConfigLoader.parse("""
                sources:
                  - name: stripe-payments
                    connector: payments
                    config:
                      stripe.api.base.url: https://api.stripe.com
                      stripe.api.key: ${env:STRIPE_API_KEY}
                sinks:
                  - name: crm-contacts
                    connector: crm-contacts
                    tasks-max: 2
                    topics: [canonical.finance.customer.v1, canonical.finance.payment.v1]
                    config:
                      oauth2.refresh.token: ${file:/etc/syncline/secrets.properties:crm.refresh.token}
                """, "syncline.yaml");
        assertThat(config.sources()).singleElement().satisfies(s -> assertThat(s.connectConfig(false))
                .containsEntry("connector.class", "io.syncline.connect.payments.PaymentsSourceConnector")
                .containsEntry("stripe.api.key", "${env:STRIPE_API_KEY}")
                .doesNotContainKey("topics"));
        assertThat(config.sinks()).singleElement().satisfies(s -> assertThat(s.connectConfig(true))
                .containsEntry("connector.class", "io.syncline.connect.crm.CrmContactSinkConnector")
                .containsEntry("tasks.max", "2")
                .containsEntry("topics", "canonical.finance.customer.v1,canonical.finance.payment.v1"));
    }

    @Test
    void anInlineSecretADuplicateNameAndASinkWithoutTopicsAreNamedWithTheirLines() {
        assertThatThrownBy(() -> SynclineConfigLoader.parse("""
                sources:
                  - name: stripe
                    connector: payments
                    config:
                      stripe.api.key: sk_live_51Habc
                sinks:
                  - name: stripe
                    connector: crm-contacts
                """, "syncline.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("syncline.yaml:5: sources[0].config.stripe.api.key: expected a secret reference")
                .hasMessageContaining("sinks[0].name: expected a unique name; \"stripe\" is declared twice")
                .hasMessageContaining("sinks[0].topics: expected the topics the sink reads");
    }

    @Test
    void anUnknownConnectorNamesTheShortNamesThatExist() {
        assertThatThrownBy(() -> SynclineConfigLoader.parse("""
                sinks:
                  - name: crm
                    connector: hubspot
                    topics: [canonical.finance.customer.v1]
                """, "syncline.yaml"))
                .hasMessageContaining("syncline.yaml:3: sinks[0].connector: expected a connector class or one of "
                        + "[crm-contacts, crm-source, http-sink, payments, postgres-cdc, zendesk, zendesk-tickets], got "
                        + "\"hubspot\"");
    }

    @Test
    void aConnectorIsRunningUnlessDeclaredPausedOrStopped() {
        SynclineConfig config = SynclineConfigLoader.parse("""
                sources:
                  - name: running
                    connector: payments
                  - name: paused
                    connector: payments
                    state: paused
                  - name: stopped
                    connector: payments
                    state: stopped
                """, "syncline.yaml");
        assertThat(config.sources()).extracting(ConnectorConfig::state)
                .containsExactly(ConnectorState.RUNNING, ConnectorState.PAUSED, ConnectorState.STOPPED);
    }

    @Test
    void anUnknownStateNamesTheStatesThatExist() {
        assertThatThrownBy(() -> SynclineConfigLoader.parse("""
                sources:
                  - name: a
                    connector: payments
                    state: sleeping
                """, "syncline.yaml"))
                .hasMessageContaining("syncline.yaml:4: sources[0].state:")
                .hasMessageContaining("sleeping")
                .hasMessageContaining("running").hasMessageContaining("paused").hasMessageContaining("stopped");
    }

    @Test
    void topicsAreDeclaredWithPartitionsAndSettingsAndCheckedForNameRangeAndDuplicates() {
        SynclineConfig config = SynclineConfigLoader.parse("""
                topics:
                  - name: raw.stripe.charge
                    partitions: 24
                    config:
                      retention.ms: "86400000"
                """, "syncline.yaml");
        assertThat(config.topics()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("raw.stripe.charge");
            assertThat(t.partitions()).isEqualTo(24);
            assertThat(t.replicationFactor()).isNull();
            assertThat(t.config()).containsExactly(java.util.Map.entry("retention.ms", "86400000"));
        });
        assertThatThrownBy(() -> SynclineConfigLoader.parse("""
                topics:
                  - name: raw stripe
                    partitions: 0
                  - name: dup
                    replication-factor: 0
                  - name: dup
                    config:
                      retention.ms: ""
                """, "syncline.yaml"))
                .hasMessageContaining("syncline.yaml:2: topics[0].name: expected a Kafka topic name")
                .hasMessageContaining("syncline.yaml:3: topics[0].partitions: expected between 1 and 10000, got 0")
                .hasMessageContaining("syncline.yaml:5: topics[1].replication-factor: expected between 1 and 32, got 0")
                .hasMessageContaining("topics[2].name: expected a unique name; \"dup\" is declared twice")
                .hasMessageContaining("topics[2].config.retention.ms: expected a value");
    }

    @Test
    void secretKeysAreKnownByTheirSpelling() {
        assertThat(java.util.stream.Stream.of("stripe.api.key", "oauth2.client.secret", "oauth2.refresh.token",
                "connection.password")).allMatch(ConnectorConfig::isSecretKey);
        assertThat(java.util.stream.Stream.of("stripe.base.url", "tasks.max", "oauth2.token.url"))
                .noneMatch(ConnectorConfig::isSecretKey);
    }

    @Test
    void aTransformationsOwnPlaceholderIsNotTakenForAReferenceWithoutAProvider() {
        SynclineConfig config = SynclineConfigLoader.parse("""
                sources:
                  - name: shop
                    connector: postgres-cdc
                    config:
                      transforms: outbox
                      transforms.outbox.route.topic.replacement: cdc.shop.outbox.${routedByValue}
                """, "syncline.yaml");
        assertThat(config.sources().get(0).config())
                .containsEntry("transforms.outbox.route.topic.replacement", "cdc.shop.outbox.${routedByValue}");
        assertThatThrownBy(() -> SynclineConfigLoader.parse("""
                sources:
                  - name: shop
                    connector: postgres-cdc
                    config:
                      database.hostname: ${DB_HOST}
                """, "syncline.yaml"))
                .hasMessageContaining("sources[0].config.database.hostname: expected ${env:NAME}");
    }
}
