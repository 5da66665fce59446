package io.syncline.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.syncline.registry.server.StoreRecords.ConfigKey;
import io.syncline.registry.server.StoreRecords.DeleteSubjectKey;
import io.syncline.registry.server.StoreRecords.Key;
import io.syncline.registry.server.StoreRecords.NoopKey;
import io.syncline.registry.server.StoreRecords.SchemaKey;
import io.syncline.registry.server.StoreRecords.SchemaValue;

/** Replaying the log must give one answer whether or not the log cleaner has compacted it. */
class RegistryStateTest {

    private static final String A = RegistryClient.record("A", "a:string");
    private static final String B = RegistryClient.record("B", "b:string");
    private static final String C = RegistryClient.record("C", "c:string");
    private static final String D = RegistryClient.record("D", "d:string");

    private final List<ConsumerRecord<byte[], byte[]>> log = new ArrayList<>();

    @Test
    void aCompactedLogReplaysToTheSameStateAsTheFullLog() {
        writeHistory();

        Map<String, Object> full = snapshot(replay(log));
        Map<String, Object> compacted = snapshot(replay(compact(log, false)));
        Map<String, Object> compactedWithoutTombstones = snapshot(replay(compact(log, true)));

        assertThat(compact(log, true)).hasSizeLessThan(log.size() / 2);
        assertThat(compacted).isEqualTo(full);
        assertThat(compactedWithoutTombstones).isEqualTo(full);
    }

    @Test
    void theReplayedStateIsWhatTheOperationsMeant() {
        writeHistory();
        RegistryState state = replay(log);

        assertThat(state.subjects(false)).containsExactly("s2", "s3");
        assertThat(state.subjects(true)).containsExactly("s1", "s2", "s3");
        assertThat(state.versions("s1", true)).singleElement().satisfies(v -> {
            assertThat(v.version()).isEqualTo(3);
            assertThat(v.id()).isEqualTo(1);
            assertThat(v.deleted()).isTrue();
        });
        assertThat(state.version("s2", -1, false)).get().extracting(RegistryState.VersionView::id).isEqualTo(4);
        assertThat(state.version("s3", 1, false)).get().extracting(RegistryState.VersionView::id).isEqualTo(3);
        assertThat(state.schemaById(2)).isEmpty(); // B was permanently deleted everywhere
        assertThat(state.idOf(".", RegistryState.identity(null, AvroSchemas.parse(C).canonical(), List.of(), null,
                null))).hasValue(3);
        assertThat(state.maxId()).isEqualTo(4);
        assertThat(state.config(null)).contains(level(CompatibilityLevel.NONE));
        assertThat(state.config("s1")).isEmpty();
    }

    @Test
    void theIdHighWaterMarkSurvivesThePermanentDeletionOfTheNewestSchema() {
        put(new SchemaKey("s", 1), schema("s", 1, 1, A, false));
        put(new SchemaKey("s", 2), schema("s", 2, 2, B, false));
        put(new DeleteSubjectKey("s"), StoreRecords.deleteSubjectValueBytes("s", 2));
        put(new SchemaKey("s", 2), null);
        put(new SchemaKey("s", 1), null);
        put(new DeleteSubjectKey("s"), null);
        put(new NoopKey(), StoreRecords.noopValueBytes(Map.of(".", 2)));

        RegistryState afterCompaction = replay(compact(log, true));
        assertThat(afterCompaction.subjects(true)).isEmpty();
        assertThat(afterCompaction.maxId()).isEqualTo(2);
    }

    /** Register, soft and permanent deletes, re-registrations and config changes, as the service writes them. */
    private void writeHistory() {
        put(new SchemaKey("s1", 1), schema("s1", 1, 1, A, false));
        put(new SchemaKey("s2", 1), schema("s2", 1, 2, B, false));
        put(new SchemaKey("s1", 2), schema("s1", 2, 3, C, false));
        put(new ConfigKey("s1"), StoreRecords.configValueBytes(level(CompatibilityLevel.FULL)));
        put(new ConfigKey(null), StoreRecords.configValueBytes(level(CompatibilityLevel.NONE)));
        put(new SchemaKey("s1", 1), schema("s1", 1, 1, A, true));                    // soft delete s1 v1
        put(new DeleteSubjectKey("s2"), StoreRecords.deleteSubjectValueBytes("s2", 1)); // soft delete s2
        put(new SchemaKey("s2", 1), null);                                          // permanent delete s2
        put(new DeleteSubjectKey("s2"), null);
        put(new NoopKey(), StoreRecords.noopValueBytes(Map.of(".", 3)));
        put(new SchemaKey("s2", 1), schema("s2", 1, 4, D, false));                  // s2 starts again at 1
        put(new SchemaKey("s1", 1), null);                                          // A again: old v1 superseded
        put(new SchemaKey("s1", 3), schema("s1", 3, 1, A, false));
        put(new DeleteSubjectKey("s1"), StoreRecords.deleteSubjectValueBytes("s1", 3)); // soft delete s1
        put(new ConfigKey("s1"), null);
        put(new SchemaKey("s3", 1), schema("s3", 1, 3, C, false));                  // C elsewhere: same id
        put(new SchemaKey("s1", 2), null);                                          // permanent delete s1 v2
        put(new NoopKey(), StoreRecords.noopValueBytes(Map.of(".", 4)));
    }

    private static byte[] schema(String subject, int version, int id, String schema, boolean deleted) {
        return StoreRecords.schemaValueBytes(new SchemaValue(subject, version, id, null, null, null, null,
                AvroSchemas.parse(schema).canonical(), deleted, 0L));
    }

    static com.fasterxml.jackson.databind.node.ObjectNode level(CompatibilityLevel level) {
        com.fasterxml.jackson.databind.node.ObjectNode node = StoreRecords.JSON.createObjectNode();
        node.put("compatibilityLevel", level.name());
        return node;
    }

    private void put(Key key, byte[] value) {
        log.add(new ConsumerRecord<>("_schemas", 0, log.size(), StoreRecords.keyBytes(key), value));
    }

    /** What the log cleaner keeps: the last record of each key, in log order; tombstones too unless expired. */
    private static List<ConsumerRecord<byte[], byte[]>> compact(List<ConsumerRecord<byte[], byte[]>> records,
            boolean dropTombstones) {
        Map<ByteBuffer, Long> lastOffset = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            lastOffset.put(ByteBuffer.wrap(r.key()), r.offset());
        }
        List<ConsumerRecord<byte[], byte[]>> kept = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (lastOffset.get(ByteBuffer.wrap(r.key())) == r.offset() && !(dropTombstones && r.value() == null)) {
                kept.add(r);
            }
        }
        return kept;
    }

    private static RegistryState replay(List<ConsumerRecord<byte[], byte[]>> records) {
        RegistryState state = new RegistryState();
        state.apply(records, records.isEmpty() ? 0 : records.get(records.size() - 1).offset() + 1);
        return state;
    }

    private static Map<String, Object> snapshot(RegistryState state) {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        for (String subject : state.subjects(true)) {
            snapshot.put("subject " + subject, state.versions(subject, true));
            snapshot.put("config " + subject, state.config(subject));
            snapshot.put("soft-deleted record " + subject, state.hasSoftDeletedSubjectRecord(subject));
        }
        for (int id = 1; id <= 10; id++) {
            int i = id;
            snapshot.put("id " + id, state.schemaById(id).map(e -> e.schema + " used by " + state.usesOf(i, true)));
        }
        snapshot.put("global", state.config(null));
        snapshot.put("maxId", state.maxId());
        return snapshot;
    }
}
