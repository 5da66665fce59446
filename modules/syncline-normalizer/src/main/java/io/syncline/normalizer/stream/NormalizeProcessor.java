package io.syncline.normalizer.stream;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.syncline.normalizer.mapping.CanonicalChange;
import io.syncline.normalizer.mapping.CompiledMapping;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Normalizes each raw record: maps it, then drops it when it is a redelivery of the latest version emitted for its
 * canonical key (same version and event id) or older than that version (updated-at, then the mapping's declared
 * ranks; see {@link LatestVersion}), else writes
 * the canonical record (and a tombstone after a DELETE); a record that cannot be normalized is dead-lettered with the
 * reason. Records of mappings that merge single property changes go through {@link ObjectMerger} and its store
 * instead; records of ignored topics and expected tombstones are counted as skipped.
 */
final class NormalizeProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    private final NormalizerTopology.Settings settings;
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, LatestVersion> versions;
    private KeyValueStore<String, ObjectState> objects;
    private RecordNormalizer normalizer;

    NormalizeProcessor(NormalizerTopology.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.versions = context.getStateStore(NormalizerTopology.VERSIONS_STORE);
        if (NormalizerTopology.merges(settings.mappings())) {
            this.objects = context.getStateStore(NormalizerTopology.OBJECTS_STORE);
        }
        this.normalizer = new RecordNormalizer(settings.mappings(), settings.serdeConfig());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        long start = System.nanoTime();
        NormalizerMetrics metrics = settings.metrics();
        RecordMetadata md = context.recordMetadata().orElseThrow();
        String mapping = NormalizerMetrics.NO_MAPPING;
        String topic = md.topic();
        try {
            long ts = record.timestamp();
            RecordNormalizer.Prepared prepared;
            try {
                prepared = normalizer.prepare(topic, md.partition(), md.offset(), ts, record.headers(), record.key(),
                        record.value(), System.currentTimeMillis());
            } catch (NormalizeFailure f) {
                mapping = f.mapping() == null ? mapping : f.mapping().name();
                metrics.recordIn(mapping, topic);
                throw f;
            }
            if (prepared == RecordNormalizer.Prepared.SKIPPED) {
                metrics.recordIn(mapping, topic);
                metrics.skipped(mapping, topic, normalizer.skipReason());
                return;
            }
            mapping = normalizer.mapping().name();
            metrics.recordIn(mapping, topic);
            if (normalizer.mapping().merges()) {
                merge(record, mapping, topic);
                return;
            }
            String eventId = normalizer.eventId();
            CanonicalChange change = normalizer.map();
            // Per canonical topic, not per key alone: ids are unique only within an entity (a shop's customer 17 and
            // its order 17 are both shop:17), and one entity's version must never make another's look stale.
            String versionKey = change.mapping().target().topic() + "|" + change.key();
            LatestVersion newest = versions.get(versionKey);
            switch (LatestVersion.judge(newest, change.updatedAt(), change.ranks(), eventId)) {
                case DUPLICATE -> {
                    metrics.duplicate(mapping, topic);
                    return;
                }
                case STALE -> {
                    metrics.stale(mapping, topic);
                    return;
                }
                case TIE -> metrics.tie(mapping, topic); // emitted below: the later arrival wins a full tie
                case EMIT -> {
                    // emitted below
                }
            }
            write(record, change);
            versions.put(versionKey, LatestVersion.after(newest, change.updatedAt(), change.ranks(), eventId));
            metrics.recordOut(mapping, topic);
        } catch (NormalizeFailure f) {
            deadLetter(record, md, f);
            metrics.deadLettered(mapping, topic, f.reason().header());
        } finally {
            metrics.latency(mapping, System.nanoTime() - start);
        }
    }

    /** A record of a mapping that merges property changes: {@link ObjectMerger} decides, from its object's state. */
    private void merge(Record<byte[], byte[]> record, String mapping, String topic) throws NormalizeFailure {
        NormalizerMetrics metrics = settings.metrics();
        String key = ObjectMerger.key(normalizer);
        ObjectMerger.Decision d = ObjectMerger.decide(normalizer, objects.get(key));
        if (d.verdict() == ObjectMerger.Verdict.EMIT) {
            write(record, d.change());
        }
        if (d.state() != null) {
            objects.put(key, d.state());
        }
        switch (d.verdict()) {
            case EMIT -> metrics.recordOut(mapping, topic);
            case DUPLICATE -> metrics.duplicate(mapping, topic);
            case STALE -> metrics.stale(mapping, topic);
            case WAITING -> metrics.skipped(mapping, topic, "waiting");
            case NOTICE -> metrics.skipped(mapping, topic, "notice");
            case UNMAPPED_PROPERTY -> metrics.skipped(mapping, topic, "unmapped-property");
        }
    }

    /** Encodes and forwards a canonical record (and a tombstone after a DELETE). */
    private void write(Record<byte[], byte[]> record, CanonicalChange change) throws NormalizeFailure {
        byte[] value = normalizer.encode(change, record.headers());
        byte[] key = change.key().getBytes(StandardCharsets.UTF_8);
        String sink = NormalizerTopology.sinkName(change.mapping().target().topic());
        context.forward(new Record<>(key, value, record.timestamp(), record.headers()), sink);
        if (change.delete()) {
            // The DELETE record tells subscribers; the tombstone lets compaction remove the key.
            context.forward(new Record<>(key, (byte[]) null, record.timestamp(), record.headers()), sink);
        }
    }

    private void deadLetter(Record<byte[], byte[]> record, RecordMetadata md, NormalizeFailure f) {
        Headers headers = new RecordHeaders();
        String firstSeen = null;
        String attempt = null;
        for (Header h : record.headers()) {
            if (h.key().equals(DeadLetterHeaders.FIRST_SEEN)) {
                firstSeen = text(h);
            } else if (h.key().equals(DeadLetterHeaders.ATTEMPT)) {
                attempt = text(h);
            } else if (!DeadLetterHeaders.ERROR_HEADERS.contains(h.key())) {
                headers.add(h);
            }
        }
        CompiledMapping m = f.mapping();
        put(headers, DeadLetterHeaders.ERROR_CLASS, f.errorClass());
        put(headers, DeadLetterHeaders.ERROR_MESSAGE, f.getMessage());
        put(headers, DeadLetterHeaders.ERROR_REASON, f.reason().header());
        put(headers, DeadLetterHeaders.ERROR_STAGE, DeadLetterHeaders.STAGE);
        if (m != null) {
            put(headers, DeadLetterHeaders.MAPPING_FILE, m.file());
        }
        put(headers, DeadLetterHeaders.SOURCE_TOPIC, md.topic());
        put(headers, DeadLetterHeaders.SOURCE_PARTITION, String.valueOf(md.partition()));
        put(headers, DeadLetterHeaders.SOURCE_OFFSET, String.valueOf(md.offset()));
        put(headers, DeadLetterHeaders.FIRST_SEEN, firstSeen != null ? firstSeen
                : Instant.ofEpochMilli(System.currentTimeMillis()).toString());
        put(headers, DeadLetterHeaders.ATTEMPT, attempt != null ? attempt : "1");
        context.forward(new Record<>(record.key(), record.value(), record.timestamp(), headers),
                NormalizerTopology.DLQ_SINK);
    }

    private static String text(Header h) {
        return h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void put(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
