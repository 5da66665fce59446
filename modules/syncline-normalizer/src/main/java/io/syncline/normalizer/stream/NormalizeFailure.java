package io.syncline.normalizer.stream;

import io.syncline.normalizer.mapping.CompiledMapping;

/** Why a raw record cannot be normalized; it goes to the dead-letter topic with these facts in headers. */
public final class NormalizeFailure extends Exception {

    /** The step that failed (header {@code syncline.error.reason}). */
    public enum Reason {
        PARSE("parse"), ENVELOPE("envelope"), NO_MAPPING("no-mapping"), MAPPING("mapping"), CHECK("check"),
        SCHEMA("schema");

        private final String header;

        Reason(String header) {
            this.header = header;
        }

        public String header() {
            return header;
        }
    }

    private final Reason reason;
    private final String errorClass;
    private final transient CompiledMapping mapping;

    public NormalizeFailure(Reason reason, String message, String errorClass, CompiledMapping mapping) {
        super(message, null, false, false);
        this.reason = reason;
        this.errorClass = errorClass;
        this.mapping = mapping;
    }

    public Reason reason() {
        return reason;
    }

    /** The class of the underlying error, e.g. a Jackson parse exception or MappingException. */
    public String errorClass() {
        return errorClass;
    }

    /** The mapping that was applied, or null when none was selected. */
    public CompiledMapping mapping() {
        return mapping;
    }
}
