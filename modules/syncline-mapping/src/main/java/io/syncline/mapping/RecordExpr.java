package io.syncline.mapping;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/** A compiled record: one expression per field, in schema order, with each field's default and nullability. */
public final class RecordExpr implements Expr {

    private final Schema schema;
    private final Expr[] exprs;
    private final Object[] defaults;
    private final boolean[] nullable;
    private final boolean[] hasDefault;
    private final String[] labels;

    RecordExpr(Schema schema, Expr[] exprs, Object[] defaults, boolean[] nullable, boolean[] hasDefault,
            String[] labels) {
        this.schema = schema;
        this.exprs = exprs;
        this.defaults = defaults;
        this.nullable = nullable;
        this.hasDefault = hasDefault;
        this.labels = labels;
    }

    public Schema schema() {
        return schema;
    }

    @Override
    public GenericData.Record eval(MappingContext ctx) {
        GenericData.Record r = new GenericData.Record(schema);
        for (int i = 0; i < exprs.length; i++) {
            Expr e = exprs[i];
            if (e == null) {
                // Not in the mapping: the schema default, null, or filled later by the normalizer (metadata).
                if (hasDefault[i]) {
                    r.put(i, defaults[i]);
                }
                continue;
            }
            Object v = e.eval(ctx);
            if (v == null) {
                if (nullable[i]) {
                    continue;
                }
                if (hasDefault[i]) {
                    v = defaults[i];
                } else {
                    throw new MappingException(labels[i], "required, but the mapping produced no value"
                            + " (missing or null in the source)");
                }
            }
            r.put(i, v);
        }
        return r;
    }
}
