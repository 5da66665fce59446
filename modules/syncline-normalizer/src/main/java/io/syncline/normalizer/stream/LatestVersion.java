package io.syncline.normalizer.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the normalizer remembers per canonical key: the newest source updated-at it emitted, and the event ids it
 * emitted at exactly that time. That is enough to drop every redelivery without a separate store of event ids: an
 * event emitted earlier has an updated-at at most the newest, so its redelivery is either older (dropped as stale) or
 * of the same time, where its id is in the list (dropped as a duplicate). One entry per key, whatever the traffic.
 *
 * @param updatedAt the newest source updated-at emitted for the key, epoch millis
 * @param eventIds event ids emitted at {@code updatedAt}, oldest first, at most {@link #MAX_EVENT_IDS}
 */
public record LatestVersion(long updatedAt, List<String> eventIds) {

    /**
     * Ids kept per version. Providers emit a handful of events per object and second (Stripe: created, updated,
     * succeeded); past this many the oldest id is forgotten, and its redelivery would be emitted again.
     */
    public static final int MAX_EVENT_IDS = 32;

    /** Longest event id kept as it is (Stripe's are 28 characters, the gateway's body hashes 71). */
    static final int MAX_ID_CHARS = 200;

    /** What to do with a record, given the latest version of its key. */
    public enum Verdict { EMIT, DUPLICATE, STALE }

    public LatestVersion {
        eventIds = List.copyOf(eventIds);
    }

    /**
     * Whether a record of this key with {@code recordUpdatedAt} and {@code eventId} (null when it has none) is new,
     * a redelivery of the latest version, or older than it.
     */
    public static Verdict judge(LatestVersion latest, long recordUpdatedAt, String eventId) {
        if (latest == null || recordUpdatedAt > latest.updatedAt) {
            return Verdict.EMIT;
        }
        if (recordUpdatedAt < latest.updatedAt) {
            return Verdict.STALE;
        }
        return eventId != null && latest.eventIds.contains(compact(eventId)) ? Verdict.DUPLICATE : Verdict.EMIT;
    }

    /** The latest version after emitting a record with {@code recordUpdatedAt} and {@code eventId}. */
    public static LatestVersion after(LatestVersion latest, long recordUpdatedAt, String eventId) {
        List<String> ids = new ArrayList<>(MAX_EVENT_IDS);
        if (latest != null && latest.updatedAt == recordUpdatedAt) {
            ids.addAll(latest.eventIds);
        }
        if (eventId != null) {
            ids.add(compact(eventId));
            if (ids.size() > MAX_EVENT_IDS) {
                ids.remove(0);
            }
        }
        return new LatestVersion(recordUpdatedAt, ids);
    }

    /** Ids longer than {@link #MAX_ID_CHARS} are kept as their SHA-256, so that one odd id cannot bloat the entry. */
    static String compact(String eventId) {
        if (eventId.length() <= MAX_ID_CHARS) {
            return eventId;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(eventId.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The store's value serde: the time as 8 bytes, then each id as a 2-byte length and its UTF-8 bytes. */
    public static Serde<LatestVersion> serde() {
        return Serdes.serdeFrom(SERIALIZER, DESERIALIZER);
    }

    private static final Serializer<LatestVersion> SERIALIZER = (topic, v) -> {
        if (v == null) {
            return null;
        }
        byte[][] ids = new byte[v.eventIds.size()][];
        int size = Long.BYTES;
        for (int i = 0; i < ids.length; i++) {
            // compact() keeps every id under 200 characters, so its UTF-8 length fits the 2-byte prefix.
            ids[i] = v.eventIds.get(i).getBytes(StandardCharsets.UTF_8);
            size += 2 + ids[i].length;
        }
        ByteBuffer buf = ByteBuffer.allocate(size).putLong(v.updatedAt);
        for (byte[] id : ids) {
            buf.putShort((short) id.length).put(id);
        }
        return buf.array();
    };

    private static final Deserializer<LatestVersion> DESERIALIZER = (topic, bytes) -> {
        if (bytes == null) {
            return null;
        }
        if (bytes.length < Long.BYTES) {
            throw new SerializationException("a latest-version entry needs at least 8 bytes, got " + bytes.length);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        long updatedAt = buf.getLong();
        List<String> ids = new ArrayList<>();
        while (buf.hasRemaining()) {
            int len = Short.toUnsignedInt(buf.getShort());
            ids.add(new String(bytes, buf.position(), len, StandardCharsets.UTF_8));
            buf.position(buf.position() + len);
        }
        return new LatestVersion(updatedAt, ids);
    };
}
