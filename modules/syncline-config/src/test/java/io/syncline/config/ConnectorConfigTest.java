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
}
