package io.syncline.connect.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;

import io.debezium.relational.TableId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CdcTopicNamingStrategyTest {

    @ParameterizedTest(name = "{0}.{1} -> {2}")
    @CsvSource({
        "public,  customers, cdc.shop.customers",
        "billing, invoices,  cdc.shop.billing.invoices",
        "public,  order lines, cdc.shop.order_lines",
    })
    void namesTopicsAfterTheDatabaseAndTheTableKeepingOtherSchemas(String schema, String table, String topic) {
        Properties p = new Properties();
        p.setProperty("topic.prefix", "cdc.shop");
        CdcTopicNamingStrategy strategy = new CdcTopicNamingStrategy(p);
        assertThat(strategy.dataChangeTopic(new TableId(null, schema, table))).isEqualTo(topic);
    }

    @Test
    void isTheConnectorsDefaultWithPgoutputUnlessTheConfigurationNamesOthers() {
        assertThat(PostgresCdcSourceConnector.withSynclineDefaults(Map.of("topic.prefix", "cdc.shop")))
                .containsEntry("topic.naming.strategy", CdcTopicNamingStrategy.class.getName())
                .containsEntry("plugin.name", "pgoutput")
                .containsEntry("topic.prefix", "cdc.shop");
        assertThat(PostgresCdcSourceConnector.withSynclineDefaults(Map.of("topic.naming.strategy",
                "io.debezium.schema.DefaultTopicNamingStrategy", "plugin.name", "decoderbufs")))
                .containsEntry("topic.naming.strategy", "io.debezium.schema.DefaultTopicNamingStrategy")
                .containsEntry("plugin.name", "decoderbufs");
    }
}
