package io.syncline.delivery.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.json.PathTrie;
import io.syncline.mapping.MappingContext;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * A Connect record as the mapping language sees it: the value as JSON ({@link ConnectJson}, only the parts the
 * task's expressions read), the key, the headers and the coordinates. One per task, re-pointed at each record; not
 * thread-safe (a task's {@code put} is single-threaded).
 */
public final class RecordView {

    private final PathTrie paths;
    private final MappingContext ctx = new MappingContext();
    private final ConnectHeaders headers = new ConnectHeaders();

    /** @param paths what the expressions read of the value, or null to convert all of it */
    RecordView(PathTrie paths) {
        this.paths = paths;
    }

    /** Points the view at {@code record} and returns the context its expressions evaluate against. */
    public MappingContext of(SinkRecord record) {
        JsonNode value = ConnectJson.toJson(record.value(), record.valueSchema(), paths);
        Object key = record.key();
        if (key != null && !(key instanceof String)) {
            key = ConnectJson.toJson(key, record.keySchema());
        }
        headers.headers = record.headers();
        Integer partition = record.kafkaPartition();
        long timestamp = record.timestamp() == null ? -1 : record.timestamp();
        return ctx.reset(value, null, headers, key, record.topic(), partition == null ? -1 : partition,
                record.kafkaOffset(), timestamp, System.currentTimeMillis());
    }

    /** Connect headers as text: strings as they are, other values as their JSON text. */
    private static final class ConnectHeaders implements MappingContext.Headers {
        private Headers headers;

        @Override
        public String text(String name) {
            Header h = headers == null ? null : headers.lastWithName(name);
            if (h == null || h.value() == null) {
                return null;
            }
            Object v = h.value();
            return v instanceof String s ? s : ConnectJson.text(ConnectJson.toJson(v, h.schema()));
        }
    }
}
