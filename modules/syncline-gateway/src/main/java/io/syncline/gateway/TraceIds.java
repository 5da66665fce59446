package io.syncline.gateway;

import io.syncline.raw.RawHeaders;

/** W3C trace ids: taken from a valid {@code traceparent} header, else made up. */
final class TraceIds {

    private static final String ZERO = "00000000000000000000000000000000";

    private TraceIds() {
    }

    /** The 32-hex-digit trace id of {@code traceparent} ({@code 00-<trace-id>-<parent-id>-<flags>}), or a new one. */
    static String fromTraceparent(String traceparent) {
        if (traceparent != null && traceparent.length() >= 55 && traceparent.charAt(2) == '-'
                && traceparent.charAt(35) == '-' && traceparent.charAt(52) == '-' && !traceparent.startsWith("ff")) {
            String traceId = traceparent.substring(3, 35);
            if (lowerHex(traceId) && !traceId.equals(ZERO) && lowerHex(traceparent.substring(0, 2))
                    && lowerHex(traceparent.substring(36, 52))) {
                return traceId;
            }
        }
        return RawHeaders.newTraceId();
    }

    private static boolean lowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
