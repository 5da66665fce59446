package io.syncline.normalizer.mapping;

import java.util.Locale;

import io.syncline.mapping.ExprCompiler;
import io.syncline.mapping.MappingContext;
import io.syncline.raw.RawHeader;
import io.syncline.raw.RawHeaders;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Fills a canonical record's {@code ChangeMetadata} from what the mapping computed (system, id, operation,
 * updated-at, event id, trace id) and the processing time; fields are matched by name once, at compile time.
 */
final class MetadataWriter {

    /** The record name that marks the change-metadata field of a canonical entity. */
    static final String RECORD_NAME = "ChangeMetadata";

    enum Part { SYSTEM, OBJECT_TYPE, SOURCE_ID, OPERATION, UPDATED_AT, INGESTED_AT, EVENT_ID, EVENT_TYPE, TRACE_ID, MAPPING,
        NONE }

    private final Schema schema;
    private final Part[] parts;
    private final Object upsert;
    private final Object delete;

    private MetadataWriter(Schema schema, Part[] parts, Object upsert, Object delete) {
        this.schema = schema;
        this.parts = parts;
        this.upsert = upsert;
        this.delete = delete;
    }

    /** The position of the metadata field in {@code entity}, or -1. */
    static int position(Schema entity) {
        for (Schema.Field f : entity.getFields()) {
            Schema s = ExprCompiler.nonNull(f.schema());
            if (s != null && s.getType() == Schema.Type.RECORD && RECORD_NAME.equals(s.getName())) {
                return f.pos();
            }
        }
        return -1;
    }

    static MetadataWriter compile(ExprCompiler c, Schema metadata, String path) {
        Part[] parts = new Part[metadata.getFields().size()];
        Object upsert = null;
        Object delete = null;
        for (Schema.Field f : metadata.getFields()) {
            String n = f.name().toLowerCase(Locale.ROOT).replaceAll("[_-]", "");
            Part p = switch (n) {
                case "system", "sourcesystem" -> Part.SYSTEM;
                case "sourceid" -> Part.SOURCE_ID;
                case "sourceobjecttype", "objecttype" -> Part.OBJECT_TYPE;
                case "sourceeventtype", "eventtype" -> Part.EVENT_TYPE;
                case "operation", "op" -> Part.OPERATION;
                case "sourceupdatedat", "updatedat" -> Part.UPDATED_AT;
                case "ingestedat" -> Part.INGESTED_AT;
                case "eventid", "sourceeventid" -> Part.EVENT_ID;
                case "traceid" -> Part.TRACE_ID;
                case "mapping" -> Part.MAPPING;
                default -> Part.NONE;
            };
            Schema s = ExprCompiler.nonNull(f.schema());
            if (p == Part.OPERATION) {
                if (s != null && s.getType() == Schema.Type.ENUM && s.getEnumSymbols().contains("UPSERT")
                        && s.getEnumSymbols().contains("DELETE")) {
                    upsert = new GenericData.EnumSymbol(s, "UPSERT");
                    delete = new GenericData.EnumSymbol(s, "DELETE");
                } else if (s != null && s.getType() == Schema.Type.STRING) {
                    upsert = "UPSERT";
                    delete = "DELETE";
                } else {
                    c.problem(path, "ChangeMetadata." + f.name() + " must be an enum with UPSERT and DELETE");
                }
            }
            if (p == Part.NONE && !f.hasDefaultValue() && !ExprCompiler.nullable(f.schema())) {
                c.problem(path, "the normalizer does not know how to fill required field ChangeMetadata." + f.name());
            }
            parts[f.pos()] = p;
        }
        return new MetadataWriter(metadata, parts, upsert, delete);
    }

    GenericData.Record build(CompiledMapping m, MappingContext ctx, String sourceId, boolean isDelete, long updatedAt,
            String eventId, String traceId) {
        GenericData.Record r = new GenericData.Record(schema);
        for (int i = 0; i < parts.length; i++) {
            Object v = switch (parts[i]) {
                case SYSTEM -> m.system();
                case SOURCE_ID -> sourceId;
                case OBJECT_TYPE -> objectType(m, ctx);
                case EVENT_TYPE -> ctx.envelope().type();
                case OPERATION -> isDelete ? delete : upsert;
                case UPDATED_AT -> updatedAt;
                case INGESTED_AT -> receivedAt(ctx);
                // Snapshots without an event id get a stable one from what identifies the version.
                case EVENT_ID -> eventId != null ? eventId : m.system() + ":" + sourceId + "@" + updatedAt;
                case TRACE_ID -> traceId;
                case MAPPING -> m.name();
                case NONE -> schema.getFields().get(i).hasDefaultValue()
                        ? GenericData.get().getDefaultValue(schema.getFields().get(i)) : null;
            };
            r.put(i, v);
        }
        return r;
    }

    /**
     * When Syncline received the change (epoch millis), the canonical ingested-at: the {@code syncline.received-at}
     * header the gateway and the source connectors write, else the raw record's Kafka timestamp (a producer that
     * sets no header still stamps the record when it writes it), else the processing time.
     */
    static long receivedAt(MappingContext ctx) {
        return RawHeaders.receivedAtMillis(ctx.header(RawHeader.RECEIVED_AT.key()),
                ctx.timestamp() > 0 ? ctx.timestamp() : ctx.now());
    }

    /** As the envelope names it (e.g. Stripe's {@code object} member), else as the mapping does, else the entity. */
    private static String objectType(CompiledMapping m, MappingContext ctx) {
        String t = ctx.envelope().objectType();
        return t != null ? t : m.objectType() != null ? m.objectType() : m.target().name();
    }
}
