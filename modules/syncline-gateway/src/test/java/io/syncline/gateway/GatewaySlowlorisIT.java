package io.syncline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.syncline.config.GatewayConfig;
import io.syncline.config.SynclineConfigLoader;
import io.syncline.kafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slowloris attack on the webhook port (many sockets sending a request one byte per second, reopened as soon as
 * the gateway closes them), as the attack that took the gateway offline: while it runs, signed webhooks from another
 * client are acknowledged and {@code /health/live} answers, within bounds, and the attacker's connections are closed.
 * The attacker connects from other loopback addresses (127.0.0.2 and up) than the honest client (127.0.0.1), as
 * separate machines would.
 */
class GatewaySlowlorisIT {

    private static final String SECRET = "whsec_slowloris_test_secret";
    private static final int MAX_CONNECTIONS = 60;
    private static final int PER_CLIENT = 20;
    private static final int HEADER_TIMEOUT_MS = 1500;
    /** How long a valid webhook may take while the attack runs: the header deadline frees slots, plus a 2-core CI's slack. */
    private static final Duration WEBHOOK_BOUND = Duration.ofMillis(HEADER_TIMEOUT_MS + 3000);
    /** How long a probe on the management port may take: it never waits for a webhook connection. */
    private static final Duration PROBE_BOUND = Duration.ofSeconds(1);

    @TempDir
    static Path dataDir;
    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.builder(dataDir).build().start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static WebhookGateway gateway() {
        GatewayConfig config = SynclineConfigLoader.parse("""
                gateway:
                  max-connections: %d
                  max-connections-per-client: %d
                  header-timeout-ms: %d
                  management-port: 0
                  endpoints:
                    - name: stripe
                      scheme: stripe
                      secrets: [env:STRIPE_SECRET]
                      topic: raw.stripe.slowloris
                """.formatted(MAX_CONNECTIONS, PER_CLIENT, HEADER_TIMEOUT_MS), "GatewaySlowlorisIT.yaml").gateway();
        WebhookGateway gateway = WebhookGateway.builder(config).bootstrapServers(broker.bootstrapServers())
                .environment(Map.of("STRIPE_SECRET", SECRET)).host("127.0.0.1").port(0).build().start();
        try {
            // Before the attack: the topic exists and the producer has its metadata, so the bound measures the attack.
            assertAcknowledgedWithin(gateway, Duration.ofSeconds(60), "warm-up");
        } catch (Exception | AssertionError e) {
            gateway.close();
            throw new IllegalStateException("the gateway did not acknowledge a webhook before the attack", e);
        }
        return gateway;
    }

    private static int managementPort(WebhookGateway gateway) {
        return URI.create(gateway.managementUrl().orElseThrow()).getPort();
    }

    @Test
    void oneClientCannotTakeMoreThanItsShareAndSlowHeadersAreCut() throws Exception {
        try (WebhookGateway gateway = gateway();
             Slowloris attack = new Slowloris(gateway.port(), 1, 200)) {
            // Its first PER_CLIENT connections are held until the header deadline; every other is closed at once.
            await().atMost(Duration.ofSeconds(20)).until(() -> gateway.guard().refusedOverClientLimit() > 100
                    && gateway.guard().closedForSlowHeaders() >= PER_CLIENT);

            for (int i = 0; i < 10; i++) {
                assertAcknowledgedWithin(gateway, WEBHOOK_BOUND, "charge-" + i);
            }
            assertLiveWithin(gateway.port(), WEBHOOK_BOUND);
            assertLiveWithin(managementPort(gateway), PROBE_BOUND);
            assertThat(attack.opened.get()).as("connections the attacker opened").isGreaterThan(200);
        }
    }

    @Test
    void slowClientsFromManyAddressesAreClosedAtTheHeaderDeadlineAndTheManagementPortAnswersThroughout()
            throws Exception {
        // 4 addresses x 20 = 80 sockets, more than MAX_CONNECTIONS: the webhook port is full until the deadline.
        try (WebhookGateway gateway = gateway();
             Slowloris attack = new Slowloris(gateway.port(), 4, PER_CLIENT)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> attack.held() >= MAX_CONNECTIONS);

            for (int i = 0; i < 5; i++) {
                assertLiveWithin(managementPort(gateway), PROBE_BOUND);
                assertAcknowledgedWithin(gateway, WEBHOOK_BOUND, "many-" + i);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> gateway.guard().closedForSlowHeaders()
                    >= MAX_CONNECTIONS);
            // The attacker sees a close on its next byte, up to a second later.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(attack.closedByGateway.get())
                    .as("attacker connections the gateway closed").isGreaterThanOrEqualTo(MAX_CONNECTIONS));
        }
    }

    private static void assertAcknowledgedWithin(WebhookGateway gateway, Duration bound, String id) throws Exception {
        byte[] body = ("{\"id\":\"evt_" + id + "\",\"type\":\"charge.succeeded\",\"data\":{\"object\":{\"id\":\"ch_"
                + id + "\",\"object\":\"charge\"}}}").getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = TestSigner.stripe(SECRET, System.currentTimeMillis(), body);
        long t0 = System.nanoTime();
        String status = exchange(gateway.port(), "POST", "/webhooks/stripe", headers, body, bound.plusSeconds(10));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(status).as("webhook %s", id).startsWith("HTTP/1.1 200");
        assertThat(took).as("webhook %s during the attack", id).isLessThan(bound);
    }

    private static void assertLiveWithin(int port, Duration bound) throws Exception {
        long t0 = System.nanoTime();
        String status = exchange(port, "GET", "/health/live", Map.of(), new byte[0], bound.plusSeconds(10));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(status).startsWith("HTTP/1.1 200");
        assertThat(took).as("GET /health/live on port %d during the attack", port).isLessThan(bound);
    }

    /**
     * One request on a new connection from 127.0.0.1, as a provider's delivery would make it (a pooled client would
     * reuse a connection the gateway accepted before the attack and prove nothing); the response's status line.
     */
    private static String exchange(int port, String method, String path, Map<String, String> headers, byte[] body,
                                   Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\nContent-Length: " + body.length + "\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
        }
    }

    /**
     * Sockets from 127.0.0.2.. that each send a request's first line and headers one byte per second and never finish;
     * one the gateway closes is reopened at once, as a determined attacker would.
     */
    private static final class Slowloris implements AutoCloseable {
        private static final byte[] REQUEST = ("POST /webhooks/stripe HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nX-Padding: " + "a".repeat(4000) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);

        private final int port;
        private final List<Slot> slots = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closedByGateway = new AtomicInteger();

        /** One attacking socket: where it connects from and how far through the request it is. */
        private static final class Slot {
            final String from;
            Socket socket;
            int sent;

            Slot(String from) {
                this.from = from;
            }
        }

        Slowloris(int port, int addresses, int socketsPerAddress) {
            this.port = port;
            for (int a = 0; a < addresses; a++) {
                for (int i = 0; i < socketsPerAddress; i++) {
                    slots.add(new Slot("127.0.0." + (2 + a)));
                }
            }
            thread = new Thread(this::run, "slowloris");
            thread.setDaemon(true);
            thread.start();
        }

        /** Sockets the gateway has accepted and not closed, as far as the attacker can tell. */
        int held() {
            int n = 0;
            for (Slot s : slots) {
                Socket socket = s.socket;
                if (socket != null && !socket.isClosed() && s.sent > 0) {
                    n++;
                }
            }
            return n;
        }

        private void run() {
            while (running) {
                long roundStart = System.nanoTime();
                for (Slot slot : slots) {
                    if (!running) {
                        return;
                    }
                    tick(slot);
                }
                // One byte per socket per second: the pace is the attack, not a wait for a condition.
                long left = 1_000_000_000L - (System.nanoTime() - roundStart);
                if (left > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(left);
                }
            }
        }

        private void tick(Slot slot) {
            try {
                if (slot.socket == null || slot.socket.isClosed()) {
                    Socket socket = new Socket();
                    socket.bind(new InetSocketAddress(slot.from, 0));
                    // A short connect timeout: past max-connections the kernel queues the connection, which is
                    // what a real attacker's sockets do too; the attacker does not wait for it.
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    socket.setSoTimeout(1);
                    slot.socket = socket;
                    slot.sent = 0;
                    opened.incrementAndGet();
                }
                if (gatewayClosed(slot.socket)) {
                    closedByGateway.incrementAndGet();
                    slot.socket.close();
                    return;
                }
                OutputStream out = slot.socket.getOutputStream();
                out.write(REQUEST[slot.sent % REQUEST.length]);
                out.flush();
                slot.sent++;
            } catch (IOException e) {
                // Reset by the gateway (or a connect that timed out): reopened on the next round.
                if (slot.socket != null && !slot.socket.isClosed()) {
                    closedByGateway.incrementAndGet();
                    try {
                        slot.socket.close();
                    } catch (IOException ignored) {
                        // closing a socket that failed; the next round opens a new one
                    }
                }
            }
        }

        /** Whether the gateway closed the connection (end of stream), checked without blocking for long. */
        private static boolean gatewayClosed(Socket socket) throws IOException {
            InputStream in = socket.getInputStream();
            try {
                return in.read() < 0;
            } catch (java.net.SocketTimeoutException stillOpen) {
                return false;
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(10_000);
            List<Slot> all = new ArrayList<>(slots);
            for (Slot s : all) {
                try {
                    if (s.socket != null) {
                        s.socket.close();
                    }
                } catch (IOException ignored) {
                    // the test is over; the gateway closes its side when it stops
                }
            }
        }
    }
}
