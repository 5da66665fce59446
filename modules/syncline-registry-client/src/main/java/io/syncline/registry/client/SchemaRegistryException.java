package io.syncline.registry.client;

/**
 * A registry call that failed: what we were doing, the HTTP status and Confluent's {@code error_code} and message.
 *
 * <p>The status is {@code -1} when no response arrived (connection refused, timeout); the error code is {@code -1}
 * when the response carried none. Messages never contain credentials.
 */
public class SchemaRegistryException extends RuntimeException {

    /** Confluent: subject not found. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Confluent: version not found. */
    public static final int VERSION_NOT_FOUND = 40402;
    /** Confluent: schema not found. */
    public static final int SCHEMA_NOT_FOUND = 40403;
    /** Confluent: subject was soft-deleted (asked without {@code deleted=true}). */
    public static final int SUBJECT_SOFT_DELETED = 40404;
    /** Confluent: subject must be soft-deleted before a permanent delete. */
    public static final int SUBJECT_NOT_SOFT_DELETED = 40405;
    /** Confluent: schema version must be soft-deleted before a permanent delete. */
    public static final int SCHEMA_VERSION_NOT_SOFT_DELETED = 40407;
    /** Confluent: the schema is incompatible with earlier versions (status 409). */
    public static final int INCOMPATIBLE_SCHEMA = 409;
    /** Confluent: the schema text is not a valid schema. */
    public static final int INVALID_SCHEMA = 42201;
    /** Confluent: the version is not a valid version number. */
    public static final int INVALID_VERSION = 42202;
    /** Confluent: the compatibility level is not one the registry knows. */
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;

    private final String action;
    private final int status;
    private final int errorCode;
    private final String registryMessage;

    public SchemaRegistryException(String action, int status, int errorCode, String registryMessage) {
        this(action, status, errorCode, registryMessage, null);
    }

    public SchemaRegistryException(String action, int status, int errorCode, String registryMessage, Throwable cause) {
        super(describe(action, status, errorCode, registryMessage), cause);
        this.action = action;
        this.status = status;
        this.errorCode = errorCode;
        this.registryMessage = registryMessage;
    }

    private static String describe(String action, int status, int errorCode, String message) {
        StringBuilder b = new StringBuilder(action).append(": ");
        if (status < 0) {
            b.append("no response");
        } else {
            b.append("HTTP ").append(status);
        }
        if (errorCode >= 0) {
            b.append(", error_code ").append(errorCode);
        }
        if (message != null && !message.isBlank()) {
            b.append(": ").append(message);
        }
        return b.toString();
    }

    /** What the client was doing, e.g. {@code registering a schema under subject 'orders-value' at http://reg:8081}. */
    public String action() {
        return action;
    }

    /** The HTTP status, or {@code -1} when no response arrived. */
    public int status() {
        return status;
    }

    /** Confluent's {@code error_code} from the response body, or {@code -1}. */
    public int errorCode() {
        return errorCode;
    }

    /** The registry's own message, without our context. */
    public String registryMessage() {
        return registryMessage;
    }

    /** True for 404-class answers: the subject, version or schema does not exist. */
    public boolean isNotFound() {
        return status == 404;
    }

    /** True when a later attempt may succeed: no response, 408, 429 or a 5xx other than 501. */
    public boolean isRetriable() {
        return isRetriableStatus(status);
    }

    static boolean isRetriableStatus(int status) {
        return status < 0 || status == 408 || status == 429 || (status >= 500 && status != 501 && status <= 599);
    }
}
