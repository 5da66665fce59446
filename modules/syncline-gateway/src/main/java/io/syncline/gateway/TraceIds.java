package io.syncline.gateway;

import io.syncline.raw.RawHeaders;
import io.syncline.raw.Traceparent;

/** W3C trace context: the caller's valid {@code traceparent}, else a new trace. */
final class TraceIds {

    private TraceIds() {
    }

    /** The 32-hex-digit trace id of {@code traceparent} ({@code 00-<trace-id>-<parent-id>-<flags>}), or a new one. */
    static String fromTraceparent(String traceparent) {
        return traceparent(traceparent).traceId();
    }

    /** The caller's traceparent when valid, else the root of a new trace. */
    static Traceparent traceparent(String header) {
        return Traceparent.parse(header).orElseGet(() -> Traceparent.root(RawHeaders.newTraceId()));
    }
}
