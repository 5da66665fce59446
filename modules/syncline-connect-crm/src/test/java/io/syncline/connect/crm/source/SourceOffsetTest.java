package io.syncline.connect.crm.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

class SourceOffsetTest {

    @Test
    void offsetsSurviveTheirRoundTripThroughConnectsPrimitiveMaps() {
        SourceOffset backfill = new SourceOffset.Backfill(1_717_000_000_000L, "4711");
        SourceOffset first = new SourceOffset.Backfill(1_717_000_000_000L, null);
        SourceOffset following = new SourceOffset.Incremental(new SourceOffset.Cursor(1_717_000_042_000L, 4711),
                1_716_999_990_000L, Set.of(), null);
        SourceOffset sweeping = new SourceOffset.Incremental(SourceOffset.Cursor.before(1_717_000_042_000L),
                1_716_999_990_000L, Set.of("77@1716999995000", "78@1716999996000"),
                new SourceOffset.Sweep(1_717_000_050_000L, "900"));
        for (SourceOffset o : new SourceOffset[] {backfill, first, following, sweeping}) {
            assertThat(SourceOffset.fromMap(CrmObjectType.CONTACT, o.toMap())).isEqualTo(o);
        }
        assertThat(following.toMap()).containsEntry("phase", "incremental").containsEntry("ts", 1_717_000_042_000L)
                .containsEntry("id", 4711L).containsEntry("sweepStarted", null).containsEntry("archivedSeen", "");
        assertThat(sweeping.toMap()).containsEntry("archivedSeen", "77@1716999995000,78@1716999996000");
    }

    @Test
    void numbersComeBackAsAnyIntegralType() {
        Map<String, Object> stored = new HashMap<>();
        stored.put("phase", "incremental");
        stored.put("ts", 1_717_000_042_000L);
        stored.put("id", 7); // an Integer, as JSON may give it back
        stored.put("archivedSince", 1_716_999_990_000L);
        assertThat(SourceOffset.fromMap(CrmObjectType.DEAL, stored)).isEqualTo(new SourceOffset.Incremental(
                new SourceOffset.Cursor(1_717_000_042_000L, 7), 1_716_999_990_000L, Set.of(), null));
    }

    @Test
    void anOffsetItDidNotWriteIsRefusedNamingTheTypeAndTheField() {
        assertThatThrownBy(() -> SourceOffset.fromMap(CrmObjectType.COMPANY, Map.of("phase", "incremental", "ts",
                "yesterday"))).isInstanceOf(ConnectException.class)
                .hasMessageStartingWith("the stored offset of company is not one this connector wrote (ts is not a "
                        + "number)")
                .hasMessageContaining("DELETE /connectors/<name>/offsets");
        assertThatThrownBy(() -> SourceOffset.fromMap(CrmObjectType.COMPANY, Map.of("phase", "incremental", "ts", 1L,
                "id", -5L, "archivedSince", 1L))).hasMessageContaining("id -5 is below -1");
        assertThatThrownBy(() -> SourceOffset.fromMap(CrmObjectType.COMPANY, Map.of("phase", "incremental", "ts", 1L,
                "id", 5L, "archivedSince", 1L, "archivedSeen", "77")))
                .hasMessageContaining("archivedSeen holds '77', not <id>@<archivedAt>");
    }
}
