package io.syncline.gateway;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.EventsHandler;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Keeps hostile clients from holding the webhook port's connections: a connection from an address that already has
 * {@code maxPerClient} open is closed as soon as it is accepted, and a connection that has not sent a request's
 * headers within {@code headerTimeout} of opening (or of its previous response) is closed.
 *
 * <p>Jetty's idle timeout alone does not do this: a slowloris client sends a byte every second, so its connection is
 * never idle, and with {@code max-connections} of them open the gateway accepts nothing else. Jetty has no deadline
 * for headers, so this class keeps one per connection: a {@link Connection.Listener} on the webhook connector sees
 * connections open and close, and its {@link #events} handler sees each request begin (headers parsed) and complete.
 */
final class ConnectionGuard implements Connection.Listener {

    /** What is known about one open connection. */
    private static final class State {
        final InetAddress client;
        /** When the headers of the next request must have arrived (nanoTime); {@link Long#MAX_VALUE} while handling. */
        final AtomicLong deadline;
        /** Whether a deadline check is pending, so that a kept-alive connection has one check, not one per request. */
        final AtomicBoolean checking = new AtomicBoolean();

        State(InetAddress client, long deadline) {
            this.client = client;
            this.deadline = new AtomicLong(deadline);
        }
    }

    private final int maxPerClient;
    private final long headerTimeoutNanos;
    private final Scheduler scheduler;
    private final Map<Connection, State> open = new ConcurrentHashMap<>();
    private final Map<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
    private final LongAdder refused = new LongAdder();
    private final LongAdder timedOut = new LongAdder();

    /**
     * @param scheduler the connector's scheduler, which runs the header deadline checks
     */
    ConnectionGuard(int maxPerClient, long headerTimeoutMs, Scheduler scheduler) {
        this.maxPerClient = maxPerClient;
        this.headerTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(headerTimeoutMs);
        this.scheduler = scheduler;
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress client = clientOf(connection.getEndPoint().getRemoteSocketAddress());
        State state = new State(client, System.nanoTime() + headerTimeoutNanos);
        open.put(connection, state);
        if (client != null && perClient.computeIfAbsent(client, c -> new AtomicInteger()).incrementAndGet()
                > maxPerClient) {
            refused.increment();
            connection.getEndPoint().close();
            return;
        }
        schedule(connection, state, headerTimeoutNanos);
    }

    @Override
    public void onClosed(Connection connection) {
        State state = open.remove(connection);
        if (state != null && state.client != null) {
            perClient.computeIfPresent(state.client, (c, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
    }

    /** Connections closed on accept because their client had {@code maxPerClient} open. */
    long refusedOverClientLimit() {
        return refused.sum();
    }

    /** Connections closed because a request's headers did not arrive in time. */
    long closedForSlowHeaders() {
        return timedOut.sum();
    }

    /** The handler that tells the guard when a request's headers have arrived and when its response is done. */
    EventsHandler events() {
        return new EventsHandler() {
            @Override
            protected void onBeforeHandling(Request request) {
                State state = open.get(request.getConnectionMetaData().getConnection());
                if (state != null) {
                    state.deadline.set(Long.MAX_VALUE);
                }
            }

            @Override
            protected void onComplete(Request request, Throwable failure) {
                Connection connection = request.getConnectionMetaData().getConnection();
                State state = open.get(connection);
                if (state != null) {
                    state.deadline.set(System.nanoTime() + headerTimeoutNanos);
                    schedule(connection, state, headerTimeoutNanos);
                }
            }
        };
    }

    private void schedule(Connection connection, State state, long delayNanos) {
        if (state.checking.compareAndSet(false, true)) {
            scheduler.schedule(() -> check(connection), delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Closes the connection when its headers are late; looks again at the deadline when it moved meanwhile. */
    private void check(Connection connection) {
        State state = open.get(connection);
        if (state == null) {
            return;
        }
        state.checking.set(false);
        long deadline = state.deadline.get();
        if (deadline == Long.MAX_VALUE) {
            return; // a request is being handled; its completion schedules the next check
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            schedule(connection, state, left);
            return;
        }
        timedOut.increment();
        connection.getEndPoint().close();
    }

    private static InetAddress clientOf(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
