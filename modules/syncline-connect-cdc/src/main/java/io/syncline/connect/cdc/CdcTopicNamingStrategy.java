package io.syncline.connect.cdc;

import java.util.Properties;

import io.debezium.relational.TableId;
import io.debezium.schema.DefaultTopicNamingStrategy;
import io.debezium.spi.schema.DataCollectionId;

/**
 * Names change topics {@code cdc.<db>.<table>} as Syncline's architecture does: with {@code topic.prefix=cdc.shop},
 * table {@code public.customers} goes to {@code cdc.shop.customers}. Tables of other schemas keep their schema,
 * {@code cdc.shop.billing.invoices}, so that two schemas' tables of the same name never share a topic. The record
 * schemas are named after the topic ({@code cdc.shop.customers.Envelope}, Debezium's default). Heartbeat, transaction
 * and schema-change topics are Debezium's.
 */
public class CdcTopicNamingStrategy extends DefaultTopicNamingStrategy {

    /** The schema whose tables name their topic without it. */
    public static final String DEFAULT_SCHEMA = "public";

    public CdcTopicNamingStrategy(Properties props) {
        super(props);
    }

    @Override
    public String dataChangeTopic(DataCollectionId id) {
        if (!(id instanceof TableId table)) {
            return super.dataChangeTopic(id);
        }
        return topicNames.computeIfAbsent(id, t -> sanitizedTopicName(topicName(prefix, delimiter, table.schema(),
                table.table())));
    }

    /** {@code <prefix>.<table>} for the default schema (or none), {@code <prefix>.<schema>.<table>} otherwise. */
    static String topicName(String prefix, String delimiter, String schema, String table) {
        return schema == null || schema.isEmpty() || schema.equals(DEFAULT_SCHEMA)
                ? prefix + delimiter + table
                : prefix + delimiter + schema + delimiter + table;
    }
}
