package io.syncline.normalizer.mapping;

import java.util.Map;

import io.syncline.mapping.Expr;
import io.syncline.mapping.MappingContext;

/**
 * One entry of a mapping's {@code version:} list: how versions of an object with the same updated-at are ordered
 * (docs/mappings.md, "Versions that cannot tie"). Each yields a whole number per record; the normalizer compares
 * versions by updated-at, then by these numbers in the mapping's order.
 */
sealed interface VersionKey {

    /** This record's number; greater is newer. */
    long value(MappingContext ctx);

    /**
     * A declared order of values, e.g. of event types or statuses: the value's position (from 1); a value the order
     * does not list, or none (a snapshot without an event), is 0, older than every listed one.
     */
    record Rank(Expr expr, Map<String, Integer> positions) implements VersionKey {
        public Rank {
            positions = Map.copyOf(positions);
        }

        @Override
        public long value(MappingContext ctx) {
            Object v = expr.eval(ctx);
            if (v == null) {
                return 0;
            }
            Integer p = positions.get(v.toString());
            return p == null ? 0 : p;
        }
    }

    /** A value that only grows over an object's life, such as the amount refunded; absent is the smallest. */
    record Grows(Expr expr) implements VersionKey {
        @Override
        public long value(MappingContext ctx) {
            Object v = expr.eval(ctx);
            return v instanceof Number n ? n.longValue() : Long.MIN_VALUE;
        }
    }
}
