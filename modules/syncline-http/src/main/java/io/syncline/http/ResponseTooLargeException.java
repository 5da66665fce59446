package io.syncline.http;

import java.io.IOException;

/** A response body went past the client's size limit; the exchange is aborted rather than buffered. */
final class ResponseTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    ResponseTooLargeException(long limit) {
        super("response body larger than the " + limit + "-byte limit (maxResponseBytes)");
    }
}
