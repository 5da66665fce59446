package io.syncline.registry.server;

/**
 * A failure the REST API reports as Confluent does: an HTTP status plus a body {@code {"error_code":…,"message":…}}.
 *
 * <p>The factory methods carry Confluent Schema Registry's error codes and message texts, so clients that branch on
 * {@code error_code} (or match messages) behave as they would against Confluent.
 */
final class RegistryException extends RuntimeException {

    private final int httpStatus;
    private final int errorCode;

    RegistryException(int httpStatus, int errorCode, String message) {
        this(httpStatus, errorCode, message, null);
    }

    RegistryException(int httpStatus, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    int httpStatus() {
        return httpStatus;
    }

    int errorCode() {
        return errorCode;
    }

    static RegistryException subjectNotFound(String subject) {
        return new RegistryException(404, 40401, "Subject '" + subject + "' not found.");
    }

    static RegistryException versionNotFound(int version) {
        return new RegistryException(404, 40402, "Version " + version + " not found.");
    }

    static RegistryException schemaNotFound() {
        return new RegistryException(404, 40403, "Schema not found");
    }

    static RegistryException schemaNotFound(int id) {
        return new RegistryException(404, 40403, "Schema " + id + " not found");
    }

    static RegistryException subjectSoftDeleted(String subject) {
        return new RegistryException(404, 40404,
                "Subject '" + subject + "' was soft deleted.Set permanent=true to delete permanently");
    }

    static RegistryException subjectNotSoftDeleted(String subject) {
        return new RegistryException(404, 40405,
                "Subject '" + subject + "' was not deleted first before being permanently deleted");
    }

    static RegistryException versionSoftDeleted(String subject, int version) {
        return new RegistryException(404, 40406, "Subject '" + subject + "' Version " + version
                + " was soft deleted.Set permanent=true to delete permanently");
    }

    static RegistryException versionNotSoftDeleted(String subject, int version) {
        return new RegistryException(404, 40407, "Subject '" + subject + "' Version " + version
                + " was not deleted first before being permanently deleted");
    }

    static RegistryException subjectCompatibilityNotConfigured(String subject) {
        return new RegistryException(404, 40408,
                "Subject '" + subject + "' does not have subject-level compatibility configured");
    }

    /** Confluent's newest code for an incompatible schema, HTTP 409. */
    static final int INCOMPATIBLE = 40901;
    /** What Confluent answered before 8.2 (error_code 409); the server can be set to answer it for older clients. */
    static final int INCOMPATIBLE_LEGACY = 409;

    /** HTTP 409 with error_code 40901, as Confluent 8.2 and later answer (the HTTP layer may map it to 409). */
    static RegistryException incompatible(String subject, java.util.List<String> details) {
        return new RegistryException(409, INCOMPATIBLE, "Schema being registered is incompatible with an earlier"
                + " schema for subject \"" + subject + "\", details: " + details);
    }

    static RegistryException subjectModeNotConfigured(String subject) {
        return new RegistryException(404, 40409,
                "Subject '" + subject + "' does not have subject-level mode configured");
    }

    static RegistryException invalidMode(String message) {
        return new RegistryException(422, 42204, message);
    }

    /** Confluent's text names the referenced version's key, e.g. {@code {magic=1,keytype=SCHEMA,subject=s,version=1}}. */
    static RegistryException referenceExists(String subject, int version) {
        return new RegistryException(422, 42206, "One or more references exist to the schema {magic=1,keytype=SCHEMA,"
                + "subject=" + subject + ",version=" + version + "}.");
    }

    static RegistryException invalidSubject(String subject) {
        return new RegistryException(422, 42208, "The specified subject '" + subject + "' is not a valid.");
    }

    static RegistryException invalidSchema(String message) {
        return new RegistryException(422, 42201, message);
    }

    static RegistryException invalidVersion(String version) {
        return new RegistryException(422, 42202, "The specified version '" + version + "' is not a valid version id."
                + " Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static RegistryException invalidCompatibilityLevel(String detail) {
        return new RegistryException(422, 42203, "Invalid compatibility level. Valid values are none, backward,"
                + " forward, full, backward_transitive, forward_transitive, and full_transitive" + detail);
    }

    static RegistryException operationNotPermitted(String message) {
        return new RegistryException(422, 42205, message);
    }

    static RegistryException storeError(String message, Throwable cause) {
        return new RegistryException(500, 50001, message, cause);
    }

    static RegistryException operationTimeout(String message, Throwable cause) {
        return new RegistryException(500, 50002, message, cause);
    }
}
