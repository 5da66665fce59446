package io.syncline.connect.cdc;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.debezium.config.CommonConnectorConfig;
import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnector;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.connector.postgresql.connection.PostgresConnection;
import io.debezium.relational.RelationalDatabaseConnectorConfig;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;

/**
 * Debezium's PostgreSQL connector with Syncline's conventions: change topics named {@code cdc.<db>.<table>}
 * ({@link CdcTopicNamingStrategy}), {@code pgoutput} as the decoder (both unless the configuration says otherwise),
 * and a validation that refuses to capture a table without a primary key (reported on {@code table.include.list} with
 * what to do). Everything else is Debezium's, configured with Debezium's keys (docs/connectors/cdc.md).
 */
public class PostgresCdcSourceConnector extends PostgresConnector {

    @Override
    public void start(Map<String, String> props) {
        super.start(withSynclineDefaults(props));
    }

    /** Validates what {@link #start} would run with: the configuration and Syncline's defaults. */
    @Override
    public Config validate(Map<String, String> props) {
        return super.validate(withSynclineDefaults(props));
    }

    /**
     * {@code props} with Syncline's defaults for the keys it does not set: {@code topic.naming.strategy}
     * {@link CdcTopicNamingStrategy}, and {@code plugin.name} {@code pgoutput}, the decoder built into PostgreSQL 10+
     * (Debezium's default, {@code decoderbufs}, is a server extension few databases have).
     */
    static Map<String, String> withSynclineDefaults(Map<String, String> props) {
        Map<String, String> p = new HashMap<>(props);
        p.putIfAbsent(CommonConnectorConfig.TOPIC_NAMING_STRATEGY.name(), CdcTopicNamingStrategy.class.getName());
        p.putIfAbsent(PostgresConnectorConfig.PLUGIN_NAME.name(), PostgresConnectorConfig.LogicalDecoder.PGOUTPUT.getValue());
        return p;
    }

    /**
     * Debezium's checks (the connection, the user's roles), then, when the database answered, the primary keys of the
     * tables this configuration captures.
     */
    @Override
    protected void validateConnection(Map<String, ConfigValue> configValues, Configuration config) {
        super.validateConnection(configValues, config);
        ConfigValue hostname = configValues.get(RelationalDatabaseConnectorConfig.HOSTNAME.name());
        if (hostname == null || !hostname.errorMessages().isEmpty()) {
            return; // Debezium reported the connection; nothing more to learn from the database
        }
        PostgresConnectorConfig postgres = new PostgresConnectorConfig(config);
        ConfigValue tables = configValues.computeIfAbsent(RelationalDatabaseConnectorConfig.TABLE_INCLUDE_LIST.name(),
                ConfigValue::new);
        try (PostgresConnection connection = new PostgresConnection(postgres.getJdbcConfig(),
                PostgresConnection.CONNECTION_VALIDATE_CONNECTION)) {
            List<String> problems = PrimaryKeyCheck.problems(
                    PrimaryKeyCheck.tablesWithoutPrimaryKey(connection.connection()),
                    postgres.getTableFilters().dataCollectionFilter()::isIncluded,
                    config.getString(RelationalDatabaseConnectorConfig.MSG_KEY_COLUMNS),
                    config.getString(CommonConnectorConfig.TOPIC_PREFIX));
            problems.forEach(tables::addErrorMessage);
        } catch (SQLException e) {
            hostname.addErrorMessage("reading the primary keys of the tables in database " + postgres.databaseName()
                    + " failed: " + e.getMessage());
        }
    }
}
