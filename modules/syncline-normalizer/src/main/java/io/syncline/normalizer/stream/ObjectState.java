package io.syncline.normalizer.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the normalizer keeps per object of a mapping that merges single property changes (store
 * {@value NormalizerTopology#OBJECTS_STORE}, key {@code <mapping>|<object id>}): the latest full version it saw
 * (what the mappings read of it, as JSON), the property changes newer than that version, whether the object was
 * deleted, and a digest of the canonical content last emitted, so that the same change brought by a webhook and by
 * a poll is emitted once.
 *
 * @param base the latest full version's object as JSON (only what the mappings read), or null when none came yet
 * @param baseTime the version time of {@code base}, epoch millis
 * @param deletedAt when the object was deleted (epoch millis), or {@link Long#MIN_VALUE} while it exists
 * @param patches property changes newer than {@code baseTime}, one per property (the newest)
 * @param digest the content digest of the last canonical record emitted, or null when none was (or since a delete)
 */
public record ObjectState(byte[] base, long baseTime, long deletedAt, List<Patch> patches, byte[] digest) {

    /**
     * One property change.
     *
     * @param property the property's name
     * @param value its new value as JSON text, or null for JSON null
     * @param time when it changed, epoch millis
     * @param eventId the event that carried it, or null
     */
    public record Patch(String property, String value, long time, String eventId) {
    }

    private static final byte VERSION = 1;

    public ObjectState {
        patches = List.copyOf(patches);
    }

    /** Nothing known yet. */
    public static ObjectState empty() {
        return new ObjectState(null, Long.MIN_VALUE, Long.MIN_VALUE, List.of(), null);
    }

    public boolean deleted() {
        return deletedAt != Long.MIN_VALUE;
    }

    public boolean hasBase() {
        return base != null;
    }

    /** The patch of {@code property}, or null. */
    public Patch patch(String property) {
        for (Patch p : patches) {
            if (p.property.equals(property)) {
                return p;
            }
        }
        return null;
    }

    /** The newest time of the base and the patches (the version a merge of them shows). */
    public long versionTime() {
        long t = baseTime;
        for (Patch p : patches) {
            t = Math.max(t, p.time);
        }
        return t;
    }

    /** The store's value serde (a compact binary layout with a version byte). */
    public static Serde<ObjectState> serde() {
        return Serdes.serdeFrom(SERIALIZER, DESERIALIZER);
    }

    private static final Serializer<ObjectState> SERIALIZER = (topic, s) -> {
        if (s == null) {
            return null;
        }
        List<byte[][]> patches = new ArrayList<>();
        int size = 1 + 1 + 8 + 8 + (s.digest == null ? 0 : 4 + s.digest.length)
                + (s.base == null ? 0 : 4 + s.base.length) + 4;
        for (Patch p : s.patches) {
            byte[][] parts = {utf8(p.property), utf8(p.value), utf8(p.eventId)};
            patches.add(parts);
            size += 8 + 3 * 4 + len(parts[0]) + len(parts[1]) + len(parts[2]);
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(VERSION);
        b.put((byte) ((s.base != null ? 1 : 0) | (s.digest != null ? 2 : 0)));
        b.putLong(s.baseTime).putLong(s.deletedAt);
        if (s.digest != null) {
            b.putInt(s.digest.length).put(s.digest);
        }
        if (s.base != null) {
            b.putInt(s.base.length).put(s.base);
        }
        b.putInt(patches.size());
        for (int i = 0; i < patches.size(); i++) {
            b.putLong(s.patches.get(i).time);
            for (byte[] part : patches.get(i)) {
                putBytes(b, part);
            }
        }
        return b.array();
    };

    private static final Deserializer<ObjectState> DESERIALIZER = (topic, bytes) -> {
        if (bytes == null) {
            return null;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            byte version = b.get();
            if (version != VERSION) {
                throw new SerializationException("unknown object-state layout " + version);
            }
            byte flags = b.get();
            long baseTime = b.getLong();
            long deletedAt = b.getLong();
            byte[] digest = (flags & 2) != 0 ? bytes(b, b.getInt()) : null;
            byte[] base = (flags & 1) != 0 ? bytes(b, b.getInt()) : null;
            int n = b.getInt();
            List<Patch> patches = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long time = b.getLong();
                patches.add(new Patch(getText(b), getText(b), time, getText(b)));
            }
            return new ObjectState(base, baseTime, deletedAt, patches, digest);
        } catch (RuntimeException e) {
            throw new SerializationException("an object-state entry of " + bytes.length + " bytes is corrupt: " + e, e);
        }
    };

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static int len(byte[] b) {
        return b == null ? 0 : b.length;
    }

    private static void putBytes(ByteBuffer b, byte[] part) {
        if (part == null) {
            b.putInt(-1);
        } else {
            b.putInt(part.length).put(part);
        }
    }

    private static byte[] bytes(ByteBuffer b, int n) {
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    private static String getText(ByteBuffer b) {
        int n = b.getInt();
        return n < 0 ? null : new String(bytes(b, n), StandardCharsets.UTF_8);
    }
}
