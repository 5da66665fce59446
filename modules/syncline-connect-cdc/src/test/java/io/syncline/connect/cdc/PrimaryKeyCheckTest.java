package io.syncline.connect.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import io.debezium.relational.TableId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrimaryKeyCheckTest {

    private static final List<TableId> WITHOUT_KEY = List.of(new TableId(null, "public", "audit_log"),
            new TableId(null, "billing", "ledger"));

    @ParameterizedTest(name = "[{index}] captured={0} message.key.columns={1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "public.audit_log                | -                                   | public.audit_log",
        "public.audit_log,billing.ledger | -                                   | public.audit_log,billing.ledger",
        "public.customers                | -                                   | -",
        "public.audit_log                | public.audit_log:at                 | -",
        "public.audit_log                | PUBLIC.AUDIT_LOG:at                 | -",
        "public.audit_log,billing.ledger | public.audit_log:at                 | billing.ledger",
        "public.audit_log,billing.ledger | public.audit_log:at;billing\\..*:id,n | -",
        "public.audit_log                | billing.ledger:id                   | public.audit_log",
        "public.audit_log                | not a key spec                      | public.audit_log",
    })
    void refusesEveryCapturedTableWithoutAPrimaryKeyOrKeyColumns(String captured, String keyColumns, String refused) {
        Set<String> capturedTables = Set.of(captured.split(","));
        Predicate<TableId> filter = t -> capturedTables.contains(t.schema() + "." + t.table());
        List<String> problems = PrimaryKeyCheck.problems(WITHOUT_KEY, filter, keyColumns, "cdc.shop");
        List<String> expected = refused == null ? List.of() : List.of(refused.split(","));
        assertThat(problems).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(problems.get(i)).startsWith("table " + expected.get(i) + " has no primary key");
        }
    }

    @ParameterizedTest
    @CsvSource({"public, audit_log, cdc.shop.audit_log", "billing, ledger, cdc.shop.billing.ledger"})
    void theMessageNamesTheTopicAndEveryWayOut(String schema, String table, String topic) {
        String name = schema + "." + table;
        assertThat(PrimaryKeyCheck.problems(List.of(new TableId(null, schema, table)), t -> true, null, "cdc.shop"))
                .containsExactly("table " + name + " has no primary key, and Syncline keys every record of " + topic
                        + " by it (order per key, compaction, deletes as tombstones). Add one (ALTER TABLE " + name
                        + " ADD PRIMARY KEY (<columns>)), name the columns that identify its rows in "
                        + "message.key.columns (" + name + ":<column>,<column>), or leave the table out of "
                        + "table.include.list");
    }
}
