package io.syncline.connect.cdc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.debezium.relational.TableId;

/**
 * Refuses to capture a table without a primary key. Syncline keys every {@code cdc.*} record by the table's key:
 * order per key, log compaction and deletes as tombstones all rest on it, and without one Debezium writes records with
 * a null key that nothing downstream can tell apart. A table qualifies when it has a primary key or when
 * {@code message.key.columns} names the columns that identify its rows.
 */
final class PrimaryKeyCheck {

    /** Ordinary and partitioned tables of user schemas that have no primary key constraint. */
    static final String TABLES_WITHOUT_PRIMARY_KEY = """
            SELECT n.nspname, c.relname
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p')
               AND NOT c.relispartition
               AND n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND n.nspname NOT LIKE 'pg\\_toast%'
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p')
             ORDER BY 1, 2""";

    private PrimaryKeyCheck() {
    }

    /** The user tables of the connected database that have no primary key. */
    static List<TableId> tablesWithoutPrimaryKey(Connection connection) throws SQLException {
        List<TableId> tables = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(TABLES_WITHOUT_PRIMARY_KEY)) {
            while (rs.next()) {
                tables.add(new TableId(null, rs.getString(1), rs.getString(2)));
            }
        }
        return tables;
    }

    /**
     * One message per captured table that has no primary key and no {@code message.key.columns} entry.
     *
     * @param withoutPrimaryKey tables of the database without a primary key
     * @param captured the connector's table filter (table.include.list, schema.include.list and their excludes)
     * @param messageKeyColumns the value of {@code message.key.columns}, or null
     */
    static List<String> problems(List<TableId> withoutPrimaryKey, Predicate<TableId> captured, String messageKeyColumns,
                                 String topicPrefix) {
        List<Pattern> keyed = keyedTables(messageKeyColumns);
        List<String> problems = new ArrayList<>();
        for (TableId table : withoutPrimaryKey) {
            String name = table.schema() + "." + table.table();
            if (!captured.test(table) || keyed.stream().anyMatch(p -> p.matcher(name).matches())) {
                continue;
            }
            problems.add("table " + name + " has no primary key, and Syncline keys every record of "
                    + CdcTopicNamingStrategy.topicName(topicPrefix, ".", table.schema(), table.table())
                    + " by it (order per key, compaction, deletes as tombstones). Add one (ALTER TABLE " + name
                    + " ADD PRIMARY KEY (<columns>)), name the columns that identify its rows in message.key.columns ("
                    + name + ":<column>,<column>), or leave the table out of table.include.list");
        }
        return problems;
    }

    /** The table patterns of {@code <table regex>:<column>,...;<table regex>:<column>,...} (Debezium's syntax). */
    private static List<Pattern> keyedTables(String messageKeyColumns) {
        List<Pattern> patterns = new ArrayList<>();
        if (messageKeyColumns == null || messageKeyColumns.isBlank()) {
            return patterns;
        }
        for (String entry : messageKeyColumns.split(";")) {
            int colon = entry.lastIndexOf(':');
            if (colon <= 0) {
                continue; // Debezium reports a malformed entry on message.key.columns itself
            }
            try {
                // Debezium matches these names case-insensitively.
                patterns.add(Pattern.compile(entry.substring(0, colon).trim(), Pattern.CASE_INSENSITIVE));
            } catch (PatternSyntaxException e) {
                // Likewise reported by Debezium's own validation of the key.
            }
        }
        return patterns;
    }
}
