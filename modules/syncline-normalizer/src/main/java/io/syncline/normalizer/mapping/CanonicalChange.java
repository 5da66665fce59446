package io.syncline.normalizer.mapping;

import org.apache.avro.generic.GenericData;

/**
 * What one raw record became: the canonical key and record, and what the normalizer needs to decide whether to
 * emit it.
 *
 * @param mapping the mapping that produced it
 * @param key the canonical id, {@code <system>:<source id>}
 * @param record the canonical record, change metadata included
 * @param delete true when the source object was deleted (operation DELETE)
 * @param updatedAt the source updated-at, epoch millis, used to drop stale versions
 * @param ranks what orders versions of the same updated-at, from the mapping's {@code version:} list (empty when it
 *     declares none)
 */
public record CanonicalChange(CompiledMapping mapping, String key, GenericData.Record record, boolean delete,
        long updatedAt, long[] ranks) {
}
