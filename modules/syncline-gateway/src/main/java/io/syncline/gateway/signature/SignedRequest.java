package io.syncline.gateway.signature;

/** The parts of an HTTP request a signature scheme may sign: headers, method, URL and the raw body bytes. */
public interface SignedRequest {

    /** The first value of header {@code name} (case-insensitive), or null. */
    String header(String name);

    /** The request method, e.g. {@code POST}. */
    String method();

    /** The full URL the provider called, with query string, as seen in front of any load balancer. */
    String url();

    /** The body exactly as received; never re-encoded. */
    byte[] body();
}
