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
 * What the normalizer remembers per canonical key: the newest version it emitted (the source updated-at, then the
 * mapping's declared {@code version:} ranks, which order versions of the same updated-at) and the event ids it
 * emitted at exactly that version. That is enough to drop every redelivery without a separate store of event ids: an
 * event emitted earlier has a version at most the newest, so its redelivery is either older (dropped as stale) or of
 * the same version, where its id is in the list (dropped as a duplicate). One entry per key, whatever the traffic.
 *
 * @param updatedAt the newest source updated-at emitted for the key, epoch millis
 * @param ranks the mapping's version ranks of that version (empty when the mapping declares none)
 * @param eventIds event ids emitted at that version, oldest first, at most {@link #MAX_EVENT_IDS}
 */
public record LatestVersion(long updatedAt, long[] ranks, List<String> eventIds) {

    /**
     * Ids kept per version. Providers emit a handful of events per object and second (Stripe: created, updated,
     * succeeded); past this many the oldest id is forgotten, and its redelivery would be emitted again.
     */
    public static final int MAX_EVENT_IDS = 32;

    /** Longest event id kept as it is (Stripe's are 28 characters, the gateway's body hashes 71). */
    static final int MAX_ID_CHARS = 200;

    private static final long[] NO_RANKS = new long[0];
    private static final byte FORMAT = 1;

    /**
     * What to do with a record, given the latest version of its key: emit a newer one; emit one that ties with the
     * latest in updated-at and every rank but has another (or no) event id, counted as a tie (the later arrival wins:
     * nothing tells which is newer, and dropping it could lose the newer change); drop a redelivery or an older one.
     */
    public enum Verdict { EMIT, TIE, DUPLICATE, STALE }

    public LatestVersion {
        ranks = ranks == null ? NO_RANKS : ranks.clone();
        eventIds = List.copyOf(eventIds);
    }

    /** A version without ranks. */
    public LatestVersion(long updatedAt, List<String> eventIds) {
        this(updatedAt, NO_RANKS, eventIds);
    }

    /** Whether a version without ranks is new, a redelivery, or older (see {@link #judge(LatestVersion, long, long[], String)}). */
    public static Verdict judge(LatestVersion latest, long recordUpdatedAt, String eventId) {
        return judge(latest, recordUpdatedAt, NO_RANKS, eventId);
    }

    /**
     * Whether a record of this key with {@code recordUpdatedAt}, {@code recordRanks} and {@code eventId} (null when it
     * has none) is newer than the latest version, a redelivery of it, a tie with it, or older.
     */
    public static Verdict judge(LatestVersion latest, long recordUpdatedAt, long[] recordRanks, String eventId) {
        if (latest == null) {
            return Verdict.EMIT;
        }
        int c = compare(recordUpdatedAt, recordRanks, latest.updatedAt, latest.ranks);
        if (c > 0) {
            return Verdict.EMIT;
        }
        if (c < 0) {
            return Verdict.STALE;
        }
        return eventId != null && latest.eventIds.contains(compact(eventId)) ? Verdict.DUPLICATE : Verdict.TIE;
    }

    /**
     * Orders two versions: by updated-at, then rank by rank. Ranks a version lacks (the mapping declared fewer when it
     * was emitted) count as the smallest.
     */
    static int compare(long updatedA, long[] ranksA, long updatedB, long[] ranksB) {
        int c = Long.compare(updatedA, updatedB);
        for (int i = 0; c == 0 && i < Math.max(ranksA.length, ranksB.length); i++) {
            c = Long.compare(i < ranksA.length ? ranksA[i] : Long.MIN_VALUE,
                    i < ranksB.length ? ranksB[i] : Long.MIN_VALUE);
        }
        return c;
    }

    /** The latest version after emitting a record without ranks. */
    public static LatestVersion after(LatestVersion latest, long recordUpdatedAt, String eventId) {
        return after(latest, recordUpdatedAt, NO_RANKS, eventId);
    }

    /** The latest version after emitting a record with {@code recordUpdatedAt}, {@code recordRanks} and {@code eventId}. */
    public static LatestVersion after(LatestVersion latest, long recordUpdatedAt, long[] recordRanks, String eventId) {
        List<String> ids = new ArrayList<>(MAX_EVENT_IDS);
        if (latest != null && compare(latest.updatedAt, latest.ranks, recordUpdatedAt, recordRanks) == 0) {
            ids.addAll(latest.eventIds);
        }
        if (eventId != null) {
            ids.add(compact(eventId));
            if (ids.size() > MAX_EVENT_IDS) {
                ids.remove(0);
            }
        }
        return new LatestVersion(recordUpdatedAt, recordRanks, ids);
    }

    @Override
    public long[] ranks() {
        return ranks.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatestVersion v && v.updatedAt == updatedAt && java.util.Arrays.equals(v.ranks, ranks)
                && v.eventIds.equals(eventIds);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(updatedAt, java.util.Arrays.hashCode(ranks), eventIds);
    }

    @Override
    public String toString() {
        return "LatestVersion[updatedAt=" + updatedAt + ", ranks=" + java.util.Arrays.toString(ranks) + ", eventIds="
                + eventIds + "]";
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

    /**
     * The store's value serde: a format byte, the number of ranks (1 byte), the time and each rank as 8 bytes, then
     * each id as a 2-byte length and its UTF-8 bytes.
     */
    public static Serde<LatestVersion> serde() {
        return Serdes.serdeFrom(SERIALIZER, DESERIALIZER);
    }

    private static final Serializer<LatestVersion> SERIALIZER = (topic, v) -> {
        if (v == null) {
            return null;
        }
        byte[][] ids = new byte[v.eventIds.size()][];
        int size = 2 + Long.BYTES * (1 + v.ranks.length);
        for (int i = 0; i < ids.length; i++) {
            // compact() keeps every id under 200 characters, so its UTF-8 length fits the 2-byte prefix.
            ids[i] = v.eventIds.get(i).getBytes(StandardCharsets.UTF_8);
            size += 2 + ids[i].length;
        }
        ByteBuffer buf = ByteBuffer.allocate(size).put(FORMAT).put((byte) v.ranks.length).putLong(v.updatedAt);
        for (long r : v.ranks) {
            buf.putLong(r);
        }
        for (byte[] id : ids) {
            buf.putShort((short) id.length).put(id);
        }
        return buf.array();
    };

    private static final Deserializer<LatestVersion> DESERIALIZER = (topic, bytes) -> {
        if (bytes == null) {
            return null;
        }
        if (bytes.length < 2 + Long.BYTES || bytes[0] != FORMAT
                || bytes.length < 2 + Long.BYTES * (1 + Byte.toUnsignedInt(bytes[1]))) {
            throw new SerializationException("a latest-version entry is format " + FORMAT + " with its ranks; got "
                    + bytes.length + " bytes" + (bytes.length > 0 ? " of format " + bytes[0] : ""));
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        buf.get();
        long[] ranks = new long[Byte.toUnsignedInt(buf.get())];
        long updatedAt = buf.getLong();
        for (int i = 0; i < ranks.length; i++) {
            ranks[i] = buf.getLong();
        }
        List<String> ids = new ArrayList<>();
        while (buf.hasRemaining()) {
            int len = Short.toUnsignedInt(buf.getShort());
            ids.add(new String(bytes, buf.position(), len, StandardCharsets.UTF_8));
            buf.position(buf.position() + len);
        }
        return new LatestVersion(updatedAt, ranks, ids);
    };
}
