package io.syncline.http;

/**
 * Whether a call is about the configuration (validate, list, paginate) or about one record (write one change).
 *
 * <p>The same 4xx means "your config is wrong" on a config-level call and "this record is bad" on a per-record call.
 */
public enum CallLevel {
    /** Config-level call: listing, paging, validation, token requests; a 4xx means the configuration is wrong. */
    CONFIG,
    /** Per-record call: a 4xx (other than auth and the retryable ones) means the record is rejected. */
    RECORD
}
