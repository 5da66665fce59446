package io.syncline.gateway.signature;

/**
 * The result of checking one request's signature: valid, or why not (never the signature or secret itself).
 *
 * @param outcome what happened
 * @param detail a sentence for the problem response; names headers, never values that could help forge one
 */
public record Verification(Outcome outcome, String detail) {

    /** Why a request was accepted or refused; {@link #status()} is the HTTP status it leads to. */
    public enum Outcome {
        VALID(200, "valid"),
        /** A header the scheme needs is absent. */
        MISSING_HEADER(401, "missing-header"),
        /** A header is present but cannot be parsed (not a number, no signature of the supported version, bad encoding). */
        MALFORMED_HEADER(400, "malformed-header"),
        /** Well-formed, but no signature matches any configured secret. */
        SIGNATURE_MISMATCH(401, "signature-mismatch"),
        /** Authentic but signed longer ago than the replay window. */
        TIMESTAMP_EXPIRED(401, "timestamp-expired"),
        /** Authentic but signed further in the future than the replay window. */
        TIMESTAMP_IN_FUTURE(401, "timestamp-in-future");

        private final int status;
        private final String reason;

        Outcome(int status, String reason) {
            this.status = status;
            this.reason = reason;
        }

        public int status() {
            return status;
        }

        /** The metric tag and problem type suffix, e.g. {@code signature-mismatch}. */
        public String reason() {
            return reason;
        }
    }

    /** The one instance for every valid request: the accepted path allocates nothing here. */
    public static final Verification VALID = new Verification(Outcome.VALID, "");

    public boolean valid() {
        return outcome == Outcome.VALID;
    }

    static Verification missing(String header) {
        return new Verification(Outcome.MISSING_HEADER, "missing header " + header);
    }

    static Verification malformed(String detail) {
        return new Verification(Outcome.MALFORMED_HEADER, detail);
    }

    static Verification mismatch(String header) {
        return new Verification(Outcome.SIGNATURE_MISMATCH,
                "no signature in " + header + " matches the request body and the endpoint's secrets");
    }

    /**
     * Checks a signed timestamp against now, in both directions.
     *
     * @return {@link #VALID} or the expired/future outcome naming the header and the window
     */
    static Verification window(long signedAtMillis, long nowMillis, long windowMillis, String header) {
        long age = nowMillis - signedAtMillis;
        if (age > windowMillis) {
            return new Verification(Outcome.TIMESTAMP_EXPIRED, header + " is " + (age / 1000) + " s old; the replay "
                    + "window is " + (windowMillis / 1000) + " s");
        }
        if (-age > windowMillis) {
            return new Verification(Outcome.TIMESTAMP_IN_FUTURE, header + " is " + (-age / 1000) + " s in the future; "
                    + "the replay window is " + (windowMillis / 1000) + " s");
        }
        return VALID;
    }
}
