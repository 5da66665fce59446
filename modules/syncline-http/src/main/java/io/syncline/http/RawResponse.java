package io.syncline.http;

/** What one exchange on the wire returned, before classification. */
final class RawResponse {
    final int status;
    final Headers headers;
    final byte[] body;

    RawResponse(int status, Headers headers, byte[] body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }
}
