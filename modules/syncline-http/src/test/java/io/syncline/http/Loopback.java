package io.syncline.http;

/** Client settings for tests against servers on 127.0.0.1, which the SSRF guard refuses unless told otherwise. */
final class Loopback {
    private Loopback() {
    }

    /** Allows 127.0.0.1 on any port, over plain http. */
    static OutboundPolicy policy() {
        return OutboundPolicy.builder().allow("127.0.0.1").allowPlainHttp("127.0.0.1").build();
    }

    /** A client builder on loopback with deterministic time and jitter-free backoff. */
    static SynclineHttpClient.Builder client(ManualTimeSource time) {
        return SynclineHttpClient.builder()
                .name("test")
                .outboundPolicy(policy())
                .timeSource(time)
                .retryPolicy(RetryPolicy.builder().jitter(RetryPolicy.Jitter.NONE).build());
    }
}
