package io.syncline.sandbox.core;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/**
 * The HTTP server every sandbox runs on: Javalin routes behind one pipeline that injects faults, authenticates,
 * applies the rate limit, calls the simulated endpoint, optionally corrupts the answer and logs the request.
 *
 * <p>Order per API request: added latency; then at most one injected fault (connection reset, timeout hold, 5xx,
 * 429); then authentication; then the genuine rate limit; then the endpoint; then the malformed-body fault. Admin
 * routes under {@code /_sandbox/} bypass all of it.
 */
public final class SandboxServer implements AutoCloseable {

    /** Prefix of the sandbox-only admin API, which the real providers do not have. */
    public static final String ADMIN_PREFIX = "/_sandbox";

    private static final Logger LOG = LoggerFactory.getLogger(SandboxServer.class);
    private static final String ANSWERED = "io.syncline.sandbox.answered";

    /** Request attributes set after the genuine rate limit was applied, for dialects that report it in headers. */
    public static final String RATE_LIMIT_MAX = "rateLimit.max";
    public static final String RATE_LIMIT_WINDOW_MS = "rateLimit.windowMs";
    public static final String RATE_LIMIT_REMAINING = "rateLimit.remaining";

    /** Registers simulated API endpoints; paths use Javalin's {@code {param}} syntax. */
    public interface Routes {
        /** An endpoint that requires the provider's credentials. */
        Routes route(HandlerType method, String path, ApiHandler handler);

        /** An endpoint that checks credentials itself (e.g. an OAuth token endpoint). */
        Routes publicRoute(HandlerType method, String path, ApiHandler handler);

        default Routes get(String path, ApiHandler handler) {
            return route(HandlerType.GET, path, handler);
        }

        default Routes post(String path, ApiHandler handler) {
            return route(HandlerType.POST, path, handler);
        }

        default Routes patch(String path, ApiHandler handler) {
            return route(HandlerType.PATCH, path, handler);
        }

        default Routes put(String path, ApiHandler handler) {
            return route(HandlerType.PUT, path, handler);
        }

        default Routes delete(String path, ApiHandler handler) {
            return route(HandlerType.DELETE, path, handler);
        }
    }

    /** Registers admin endpoints under {@link #ADMIN_PREFIX}; an {@link IllegalArgumentException} becomes a 400. */
    public interface AdminRoutes {
        AdminRoutes route(HandlerType method, String path, ApiHandler handler);

        default AdminRoutes get(String path, ApiHandler handler) {
            return route(HandlerType.GET, path, handler);
        }

        default AdminRoutes post(String path, ApiHandler handler) {
            return route(HandlerType.POST, path, handler);
        }

        default AdminRoutes delete(String path, ApiHandler handler) {
            return route(HandlerType.DELETE, path, handler);
        }
    }

    private final Builder config;
    private final SplittableRandom faultRandom;
    private volatile boolean closing;
    private Javalin app;

    private SandboxServer(Builder b) {
        this.config = b;
        this.faultRandom = new SplittableRandom(b.faultSeed);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Starts listening; the port is known afterwards through {@link #port()}. */
    public synchronized SandboxServer start() {
        if (app != null) {
            throw new IllegalStateException(config.name + " sandbox is already started");
        }
        QueuedThreadPool pool = new QueuedThreadPool(config.maxThreads, 2, 60_000);
        pool.setName("sandbox-" + config.name);
        pool.setDaemon(true);
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = config.host;
            cfg.jetty.port = config.port;
            cfg.jetty.threadPool = pool;
            cfg.http.compressionStrategy = CompressionStrategy.NONE;
            cfg.http.maxRequestSize = config.maxRequestBytes;
            cfg.router.ignoreTrailingSlashes = true;
            registerAdmin(cfg.routes::addHttpHandler);
            Routes api = new Routes() {
                @Override
                public Routes route(HandlerType method, String path, ApiHandler handler) {
                    cfg.routes.addHttpHandler(method, path, pipeline(path, handler, true));
                    return this;
                }

                @Override
                public Routes publicRoute(HandlerType method, String path, ApiHandler handler) {
                    cfg.routes.addHttpHandler(method, path, pipeline(path, handler, false));
                    return this;
                }
            };
            config.api.accept(api);
            cfg.routes.error(404, this::unknownRoute);
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("{} sandbox failed on {} {}", config.name, ctx.method(), ctx.path(), e);
                ctx.status(500).result("sandbox failure: " + e);
            });
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            app = null;
            throw new IllegalStateException("could not start the " + config.name + " sandbox on " + config.host + ":"
                    + config.port + " (is the port in use? choose another with --port)", e);
        }
        return this;
    }

    /** The listening port. */
    public int port() {
        return requireStarted().port();
    }

    /** Base URL, e.g. {@code http://127.0.0.1:12111}. */
    public String url() {
        String host = config.host.contains(":") ? "[" + config.host + "]" : config.host;
        if ("0.0.0.0".equals(host)) {
            host = "127.0.0.1";
        }
        return "http://" + host + ":" + port();
    }

    public Faults faults() {
        return config.faults;
    }

    public RequestLog requestLog() {
        return config.requestLog;
    }

    public RollingWindowRateLimiter rateLimiter() {
        return config.rateLimiter;
    }

    @Override
    public synchronized void close() {
        closing = true;
        if (app != null) {
            app.stop();
            app = null;
        }
    }

    private Javalin requireStarted() {
        Javalin a = app;
        if (a == null) {
            throw new IllegalStateException(config.name + " sandbox is not started; call start() first");
        }
        return a;
    }

    // ---------------------------------------------------------------- the API pipeline

    private record FaultPlan(long latencyMs, String fault, boolean malformed) {
    }

    private FaultPlan plan() {
        Faults f = config.faults;
        synchronized (faultRandom) {
            long latency = f.latencyMs();
            if (f.latencyJitterMs() > 0) {
                latency += (long) (faultRandom.nextDouble() * (f.latencyJitterMs() + 1));
            }
            String fault = null;
            if (draw(f.connectionResetRatio())) {
                fault = "connection_reset";
            } else if (draw(f.timeoutRatio())) {
                fault = "timeout";
            } else if (draw(f.serverErrorRatio())) {
                fault = "server_error";
            } else if (draw(f.rateLimitRatio())) {
                fault = "rate_limit";
            }
            boolean malformed = draw(f.malformedRatio());
            return new FaultPlan(latency, fault, malformed);
        }
    }

    private boolean draw(double ratio) {
        // Always draw, so one knob's value does not shift the sequence another knob sees.
        double d = faultRandom.nextDouble();
        return ratio > 0 && d < ratio;
    }

    private Handler pipeline(String route, ApiHandler handler, boolean authenticated) {
        return ctx -> {
            long started = System.nanoTime();
            ctx.attribute(ANSWERED, Boolean.TRUE);
            ApiRequest req = new ApiRequest(ctx, config.dialect, config.dialect.newRequestId(config.requestIds), route,
                    config.clock.instant());
            FaultPlan plan = plan();
            if (plan.latencyMs > 0) {
                Waits.hold(plan.latencyMs, () -> closing);
            }
            String fault = plan.fault;
            ApiResponse resp;
            if ("connection_reset".equals(fault)) {
                resetConnection(ctx);
                log(req, 0, fault, started);
                return;
            } else if ("timeout".equals(fault)) {
                Waits.hold(config.faults.timeoutMs(), () -> closing);
                resp = config.dialect.gatewayTimeout(req);
            } else if ("server_error".equals(fault)) {
                resp = config.dialect.serverError(req, config.faults.serverErrorStatus());
            } else if ("rate_limit".equals(fault)) {
                resp = config.dialect.rateLimited(req, Duration.ofSeconds(1));
            } else {
                resp = authenticateLimitAndHandle(req, handler, authenticated);
                if (resp.status() == 429) {
                    fault = "rate_limited";
                }
            }
            byte[] body = resp.bytes();
            if (plan.malformed && body != null && body.length > 1) {
                body = Arrays.copyOf(body, body.length / 2);
                fault = fault == null ? "malformed" : fault + "+malformed";
            }
            write(ctx, req, resp, body);
            log(req, resp.status(), fault, started);
        };
    }

    private ApiResponse authenticateLimitAndHandle(ApiRequest req, ApiHandler handler, boolean authenticated) {
        try {
            if (authenticated) {
                req.principal(config.authenticator.authenticate(req));
            }
            if (config.rateLimiter != null) {
                String key = req.principal() != null ? req.principal() : req.remoteAddress();
                Duration wait = config.rateLimiter.tryAcquire(key);
                req.attribute(RATE_LIMIT_MAX, config.rateLimiter.maxRequests());
                req.attribute(RATE_LIMIT_WINDOW_MS, config.rateLimiter.window().toMillis());
                req.attribute(RATE_LIMIT_REMAINING, config.rateLimiter.remaining(key));
                if (!wait.isZero()) {
                    return config.dialect.rateLimited(req, wait);
                }
            }
            ApiResponse resp = handler.handle(req);
            return Objects.requireNonNull(resp, "handler returned no response");
        } catch (ApiException e) {
            return e.response();
        } catch (Exception e) {
            LOG.error("{} sandbox endpoint {} {} failed", config.name, req.method(), req.route(), e);
            return config.dialect.serverError(req, 500);
        }
    }

    private void write(Context ctx, ApiRequest req, ApiResponse resp, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        config.dialect.decorate(req, headers);
        headers.putAll(resp.headers());
        ctx.status(resp.status());
        String contentType = "application/json";
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase("Content-Type")) {
                contentType = h.getValue();
            } else {
                ctx.header(h.getKey(), h.getValue());
            }
        }
        if (body != null) {
            ctx.contentType(contentType);
            ctx.result(body);
        }
    }

    private void log(ApiRequest req, int status, String fault, long startedNanos) {
        config.requestLog.add(new RequestRecord(req.receivedAt(), req.requestId(), req.method(), req.path(),
                req.queryString(), status, fault, req.header("Idempotency-Key"),
                (System.nanoTime() - startedNanos) / 1_000_000L, req.header("traceparent")));
    }

    /** Closes the TCP connection with SO_LINGER 0 so the client sees a reset, not an orderly end of stream. */
    private void resetConnection(Context ctx) {
        try {
            EndPoint endPoint = ServletContextRequest.getServletContextRequest(ctx.req())
                    .getConnectionMetaData().getConnection().getEndPoint();
            if (endPoint.getTransport() instanceof SocketChannel channel) {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
            endPoint.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("resetting a connection failed", e);
        }
    }

    private void unknownRoute(Context ctx) {
        if (ctx.attribute(ANSWERED) != null) {
            return;
        }
        long started = System.nanoTime();
        ApiRequest req = new ApiRequest(ctx, config.dialect, config.dialect.newRequestId(config.requestIds),
                ctx.path(), config.clock.instant());
        ApiResponse resp = ctx.path().startsWith(ADMIN_PREFIX)
                ? ApiResponse.json(404, adminError("no admin endpoint " + ctx.method() + " " + ctx.path()))
                : config.dialect.notFound(req);
        write(ctx, req, resp, resp.bytes());
        if (!ctx.path().startsWith(ADMIN_PREFIX)) {
            log(req, resp.status(), null, started);
        }
    }

    // ---------------------------------------------------------------- admin API

    private interface RawRoutes {
        void add(HandlerType method, String path, Handler handler);
    }

    private void registerAdmin(RawRoutes raw) {
        AdminRoutes admin = new AdminRoutes() {
            @Override
            public AdminRoutes route(HandlerType method, String path, ApiHandler handler) {
                if (!path.startsWith(ADMIN_PREFIX + "/")) {
                    throw new IllegalArgumentException("admin paths start with " + ADMIN_PREFIX + "/, got " + path);
                }
                raw.add(method, path, ctx -> {
                    ctx.attribute(ANSWERED, Boolean.TRUE);
                    ApiRequest req = new ApiRequest(ctx, config.dialect, "admin", path, config.clock.instant());
                    ApiResponse resp;
                    try {
                        resp = handler.handle(req);
                    } catch (ApiException e) {
                        resp = e.response();
                    } catch (IllegalArgumentException e) {
                        resp = ApiResponse.json(400, adminError(e.getMessage()));
                    }
                    ctx.status(resp.status());
                    resp.headers().forEach(ctx::header);
                    if (resp.body() != null) {
                        ctx.contentType("application/json");
                        ctx.result(Json.bytes(resp.body()));
                    }
                });
                return this;
            }
        };
        admin.get(ADMIN_PREFIX + "/health", req -> ApiResponse.ok(Json.object().put("status", "UP")
                .put("sandbox", config.name)));
        admin.get(ADMIN_PREFIX + "/faults", req -> ApiResponse.ok(Json.MAPPER.valueToTree(config.faults.snapshot())));
        admin.post(ADMIN_PREFIX + "/faults", req -> {
            config.faults.apply(adminJson(req));
            return ApiResponse.ok(Json.MAPPER.valueToTree(config.faults.snapshot()));
        });
        admin.post(ADMIN_PREFIX + "/faults/reset", req -> {
            config.faults.reset();
            return ApiResponse.ok(Json.MAPPER.valueToTree(config.faults.snapshot()));
        });
        admin.get(ADMIN_PREFIX + "/requests", req -> ApiResponse.ok(requestsJson(req)));
        admin.delete(ADMIN_PREFIX + "/requests", req -> {
            config.requestLog.clear();
            return ApiResponse.ok(Json.object().put("cleared", true));
        });
        admin.get(ADMIN_PREFIX + "/rate-limit", req -> ApiResponse.ok(rateLimitJson()));
        admin.post(ADMIN_PREFIX + "/rate-limit", req -> {
            if (config.rateLimiter == null) {
                throw new IllegalArgumentException("this sandbox was started without a rate limiter");
            }
            JsonNode body = adminJson(req);
            int max = body.path("maxRequests").asInt(config.rateLimiter.maxRequests());
            long windowMs = body.path("windowMs").asLong(config.rateLimiter.window().toMillis());
            config.rateLimiter.configure(max, Duration.ofMillis(windowMs));
            return ApiResponse.ok(rateLimitJson());
        });
        config.admin.accept(admin);
    }

    private JsonNode rateLimitJson() {
        ObjectNode n = Json.object();
        if (config.rateLimiter == null) {
            n.put("maxRequests", 0);
        } else {
            n.put("maxRequests", config.rateLimiter.maxRequests());
            n.put("windowMs", config.rateLimiter.window().toMillis());
        }
        return n;
    }

    private JsonNode requestsJson(ApiRequest req) {
        String limitText = req.queryString() == null ? null : (String) req.query().get("limit");
        int limit = 100;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("limit must be a whole number, got " + limitText);
            }
        }
        List<RequestRecord> all = config.requestLog.records();
        List<RequestRecord> last = new ArrayList<>(all.subList(Math.max(0, all.size() - limit), all.size()));
        ObjectNode out = Json.object();
        out.put("total", config.requestLog.total());
        ArrayNode data = out.putArray("requests");
        for (RequestRecord r : last) {
            data.add(Json.MAPPER.valueToTree(r));
        }
        return out;
    }

    /** Parses an admin body as JSON; an empty body is an empty object. */
    public static JsonNode adminJson(ApiRequest req) {
        String body = req.body();
        if (body == null || body.isBlank()) {
            return Json.object();
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("admin request body is not JSON: " + e.getMessage());
        }
    }

    public static ObjectNode adminError(String message) {
        ObjectNode n = Json.object();
        n.put("error", message);
        return n;
    }

    // ---------------------------------------------------------------- builder

    /** Configures a {@link SandboxServer}. */
    public static final class Builder {
        private final String name;
        private String host = "127.0.0.1";
        private int port;
        private ProviderDialect dialect;
        private Authenticator authenticator = req -> null;
        private Faults faults = new Faults();
        private long faultSeed;
        private RollingWindowRateLimiter rateLimiter;
        private RequestLog requestLog = new RequestLog(10_000);
        private Clock clock = Clock.systemUTC();
        private IdGenerator requestIds = new IdGenerator(0);
        private Consumer<Routes> api = r -> { };
        private Consumer<AdminRoutes> admin = a -> { };
        private long maxRequestBytes = 1_000_000;
        private int maxThreads = 200;

        private Builder(String name) {
            this.name = name.toLowerCase(Locale.ROOT);
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 (any free port) and 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        public Builder dialect(ProviderDialect dialect) {
            this.dialect = dialect;
            return this;
        }

        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        public Builder faults(Faults faults) {
            this.faults = faults;
            return this;
        }

        /** Seed of the random draws that pick faulty requests, so a sequential test sees the same faults each run. */
        public Builder faultSeed(long seed) {
            this.faultSeed = seed;
            return this;
        }

        /** The genuine rate limit, or null for none. */
        public Builder rateLimiter(RollingWindowRateLimiter limiter) {
            this.rateLimiter = limiter;
            return this;
        }

        public Builder requestLog(RequestLog log) {
            this.requestLog = log;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder requestIds(IdGenerator ids) {
            this.requestIds = ids;
            return this;
        }

        public Builder api(Consumer<Routes> api) {
            this.api = api;
            return this;
        }

        public Builder admin(Consumer<AdminRoutes> admin) {
            this.admin = admin;
            return this;
        }

        public Builder maxRequestBytes(long bytes) {
            this.maxRequestBytes = bytes;
            return this;
        }

        /** Upper bound of request threads; held (timeout-fault) requests each occupy one. */
        public Builder maxThreads(int threads) {
            this.maxThreads = threads;
            return this;
        }

        public SandboxServer build() {
            Objects.requireNonNull(dialect, "dialect");
            return new SandboxServer(this);
        }
    }
}
