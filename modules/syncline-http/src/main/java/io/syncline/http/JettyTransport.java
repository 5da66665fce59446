package io.syncline.http;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wire: Jetty's {@link HttpClient}, chosen over the JDK client and OkHttp because its pluggable
 * {@link org.eclipse.jetty.util.SocketAddressResolver} lets the SSRF guard hand over exactly the addresses it checked
 * (the JDK client cannot pin an address, and OkHttp would add Kotlin's runtime to every plugin archive), while the
 * Host header, TLS SNI and certificate check still use the host name. Redirects, cookies and Jetty's protocol
 * handlers (redirect, WWW-Authenticate, 100-continue) are switched off: the caller sees every status as it came.
 */
final class JettyTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JettyTransport.class);

    private final HttpClient client;
    private final int maxResponseBytes;

    JettyTransport(String name, Duration connectTimeout, Duration idleTimeout, int maxResponseBytes,
                   int maxConnectionsPerTarget, SSLContext sslContext, OutboundPolicy policy, String userAgent) {
        this.maxResponseBytes = maxResponseBytes;
        QueuedThreadPool threads = new QueuedThreadPool(16, 1);
        threads.setName("syncline-http-" + name);
        threads.setDaemon(true);
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        SslContextFactory.Client tls = new SslContextFactory.Client();
        if (sslContext != null) {
            tls.setSslContext(sslContext);
        }
        connector.setSslContextFactory(tls);
        HttpClient c = new HttpClient(new HttpClientTransportOverHTTP(connector));
        c.setExecutor(threads);
        c.setScheduler(new ScheduledExecutorScheduler("syncline-http-" + name + "-scheduler", true));
        c.setConnectTimeout(connectTimeout.toMillis());
        c.setIdleTimeout(idleTimeout.toMillis());
        c.setMaxConnectionsPerDestination(maxConnectionsPerTarget);
        c.setFollowRedirects(false);
        c.setHttpCookieStore(new HttpCookieStore.Empty());
        c.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, userAgent));
        // The one place a host name becomes addresses: checked, and then connected to as they are.
        c.setSocketAddressResolver((host, port, context, promise) -> {
            try {
                List<InetSocketAddress> addresses = new ArrayList<>();
                for (InetAddress checked : policy.resolveAndCheck(host, port)) {
                    // Jetty takes the TLS peer name (SNI, certificate check) from the socket address's host string:
                    // carry the name with the checked IP so TLS verifies the name, not the IP. No lookup happens.
                    addresses.add(new InetSocketAddress(InetAddress.getByAddress(host, checked.getAddress()), port));
                }
                promise.succeeded(addresses);
            } catch (Exception e) {
                promise.failed(e);
            }
        });
        try {
            c.start();
            c.getProtocolHandlers().clear();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the HTTP client '" + name + "': " + e.getMessage(), e);
        }
        this.client = c;
    }

    /**
     * Sends one request and reads the whole (bounded) response.
     *
     * @throws TransportFailure when no complete response arrived
     * @throws InterruptedException when the caller was interrupted (the exchange is aborted)
     */
    RawResponse send(String method, URI uri, List<Map.Entry<String, String>> headers, byte[] body,
                     String contentType, Duration timeout) throws TransportFailure, InterruptedException {
        Request request;
        try {
            request = client.newRequest(uri).method(method).followRedirects(false)
                    .timeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            request.headers(fields -> headers.forEach(h -> fields.add(h.getKey(), h.getValue())));
            if (body != null) {
                request.body(new BytesRequestContent(contentType, body));
            }
        } catch (RuntimeException e) {
            throw new TransportFailure(e, false);
        }
        BoundedListener listener = new BoundedListener(maxResponseBytes);
        request.send(listener);
        try {
            return listener.result.get();
        } catch (InterruptedException e) {
            request.abort(e);
            throw e;
        } catch (ExecutionException e) {
            throw new TransportFailure(e.getCause(), listener.responseStarted);
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            // Stopping aborts in-flight exchanges; a failure here leaves nothing for the caller to do.
            LOG.debug("stopping the HTTP client failed", e);
        }
    }

    /** Buffers the body up to a limit and aborts the exchange beyond it, instead of growing without bound. */
    private static final class BoundedListener implements Response.Listener {
        final CompletableFuture<RawResponse> result = new CompletableFuture<>();
        private final int limit;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        volatile boolean responseStarted;

        BoundedListener(int limit) {
            this.limit = limit;
        }

        @Override
        public void onHeaders(Response response) {
            responseStarted = true;
            long declared = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
            if (declared > limit) {
                response.abort(new ResponseTooLargeException(limit));
            }
        }

        @Override
        public void onContent(Response response, ByteBuffer content) {
            int n = content.remaining();
            if ((long) body.size() + n > limit) {
                response.abort(new ResponseTooLargeException(limit));
                return;
            }
            byte[] chunk = new byte[n];
            content.get(chunk);
            body.write(chunk, 0, n);
        }

        @Override
        public void onComplete(Result r) {
            if (r.isFailed()) {
                result.completeExceptionally(r.getFailure());
                return;
            }
            Response response = r.getResponse();
            List<Map.Entry<String, String>> fields = new ArrayList<>();
            for (HttpField field : response.getHeaders()) {
                fields.add(new AbstractMap.SimpleImmutableEntry<>(field.getName(), field.getValue()));
            }
            result.complete(new RawResponse(response.getStatus(), Headers.of(fields), body.toByteArray()));
        }
    }
}
