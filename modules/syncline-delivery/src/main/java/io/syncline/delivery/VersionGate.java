package io.syncline.delivery;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

/**
 * Remembers the newest version (source updated-at) taken per key and partition and refuses older ones, so a sink
 * never sends an older version of an entity after a newer one, even when the topic holds them out of order (a
 * replay, a late webhook). Equal versions pass: two changes in the same millisecond are both real.
 *
 * <p>Per partition, because a partition that is revoked and assigned again is read again from its committed offset:
 * its versions must be forgotten ({@link #forget}), or the re-read changes would look stale. Kept in memory, bounded
 * (least recently used keys are forgotten first); after a restart it starts empty. Not thread-safe: the task thread
 * owns it.
 */
public final class VersionGate {

    private record Key(TopicPartition partition, String key) {
    }

    private final Map<Key, Long> newest;

    /** A gate remembering up to {@code maxKeys} keys. */
    public VersionGate(int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("the version gate needs room for at least one key, got " + maxKeys);
        }
        this.newest = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Long> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /**
     * Whether a change of {@code key} read from {@code partition} with {@code version} may be sent; remembers it when
     * it may. A null version (the source gives no modification time) always passes and changes nothing.
     */
    public boolean admit(TopicPartition partition, String key, Long version) {
        if (version == null) {
            return true;
        }
        Key k = new Key(partition, key);
        Long seen = newest.get(k);
        if (seen != null && version < seen) {
            return false;
        }
        newest.put(k, version);
        return true;
    }

    /** The newest version taken for {@code key} from {@code partition}, or null. */
    public Long newest(TopicPartition partition, String key) {
        return newest.get(new Key(partition, key));
    }

    /** How many keys are remembered. */
    public int size() {
        return newest.size();
    }

    /** Forgets the partitions' keys: they were revoked, and are read again from their committed offsets if they return. */
    public void forget(Collection<TopicPartition> partitions) {
        Set<TopicPartition> gone = new HashSet<>(partitions);
        newest.keySet().removeIf(k -> gone.contains(k.partition()));
    }
}
