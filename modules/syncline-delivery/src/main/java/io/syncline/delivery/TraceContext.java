package io.syncline.delivery;

import java.util.List;

import io.syncline.raw.RawHeader;
import io.syncline.raw.Traceparent;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The W3C trace a change belongs to, read from its records' headers: the {@code traceparent} the gateway received
 * (carried through the raw and canonical records), else one made from {@code syncline.trace-id} (polled changes
 * have only that). The outbound request carries a child of it.
 */
final class TraceContext {

    private TraceContext() {
    }

    /** The trace of the first record that has one, or null. */
    static Traceparent of(List<SinkRecord> records) {
        for (SinkRecord record : records) {
            Traceparent t = Traceparent.parse(text(record, RawHeader.TRACEPARENT.key())).orElse(null);
            if (t != null) {
                return t;
            }
            String traceId = text(record, RawHeader.TRACE_ID.key());
            if (traceId != null && traceId.matches("[0-9a-f]{32}") && !traceId.matches("0{32}")) {
                return Traceparent.root(traceId);
            }
        }
        return null;
    }

    private static String text(SinkRecord record, String name) {
        if (record.headers() == null) {
            return null;
        }
        Header h = record.headers().lastWithName(name);
        // SimpleHeaderConverter hands text over as a String; bytes from a ByteArray/other converter as byte[].
        if (h == null || h.value() == null) {
            return null;
        }
        return h.value() instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
                : h.value().toString();
    }
}
