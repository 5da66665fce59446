package io.syncline.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console: pages for the pipeline (live), connectors, dead letters, schemas, topics and the config, served
 * from one HTTP server against the cluster {@link ConsoleSettings} names. {@code syncline up} starts one beside its
 * stack; {@code syncline console} runs one alone. docs/console.md describes the pages and the security model.
 */
public final class ConsoleServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsoleServer.class);

    /** Paths anyone may fetch: signing in, the health check, and the static files the sign-in page needs. */
    private static final Set<String> PUBLIC = Set.of("/login", "/health");

    private final ConsoleSettings settings;
    private final Cluster cluster;
    private final Views views;
    private final Security security;
    private final PipelineSampler sampler;
    private final TopicTail tails;
    private Javalin app;

    private ConsoleServer(ConsoleSettings settings, String token) {
        this.settings = settings;
        this.cluster = new Cluster(settings);
        this.security = new Security(token, settings.loopback(), settings.host());
        this.views = new Views(security, cluster);
        this.sampler = new PipelineSampler(cluster);
        this.tails = new TopicTail(cluster);
    }

    /**
     * Starts the console and returns once it listens.
     *
     * @throws IllegalStateException when it would listen beyond this machine without a token, when the token
     *     reference cannot be resolved (naming the reference, never a value), or when the port is taken
     */
    public static ConsoleServer start(ConsoleSettings settings) {
        String token = null;
        if (settings.authToken() != null) {
            try {
                token = settings.authToken().resolve();
            } catch (IllegalStateException e) {
                throw new IllegalStateException("console.auth-token: " + e.getMessage(), e);
            }
        } else if (!settings.loopback()) {
            throw new IllegalStateException("the console would listen on " + settings.host() + ", beyond this "
                    + "machine, without a token: set console.auth-token to env:NAME or file:/path/to/token (syncline "
                    + "console: --token), or listen on localhost");
        }
        ConsoleServer server = new ConsoleServer(settings, token);
        try {
            server.startServer();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void startServer() {
        Pages pages = new Pages(cluster, views, security, sampler, tails);
        QueuedThreadPool threads = new QueuedThreadPool(32, 2, 60_000);
        threads.setName("syncline-console-http");
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.threadPool = threads;
            cfg.staticFiles.enableWebjars();
            cfg.staticFiles.add(files -> {
                files.hostedPath = "/static";
                files.directory = "/io/syncline/console/static";
                files.location = Location.CLASSPATH;
            });
            cfg.routes.before(this::guard);
            pages.routes(cfg.routes);
            cfg.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    views.problemPage(ctx, HttpStatus.NOT_FOUND, "Not found",
                            "There is no page at " + ctx.path() + ".", "Use the navigation above.");
                }
            });
            cfg.routes.exception(NotFound.class, (e, ctx) -> views.problemPage(ctx, HttpStatus.NOT_FOUND,
                    "Not found", e.getMessage(), e.hint()));
            cfg.routes.exception(Pages.BadRequest.class, (e, ctx) -> views.problemPage(ctx, HttpStatus.BAD_REQUEST,
                    "Cannot do that", e.getMessage(), "Go back and change the request."));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                // Never a stack trace on a page: what failed and what to do; the trace goes to the log for whoever
                // runs the stack.
                log.debug("console request {} {} failed", ctx.method(), ctx.path(), e);
                boolean clusterDown = !cluster.status().problems(settings).isEmpty();
                views.failurePage(ctx, clusterDown
                        ? "This page needs the cluster, and part of it does not answer (see above)."
                        : String.valueOf(e.getMessage()), clusterDown
                        ? "The page works again as soon as the service answers."
                        : "Reload to try again; the log of the process serving the console has the details.");
            });
        });
        app.start(settings.host(), settings.port());
        sampler.start();
    }

    /** Runs before every request: the Host check, security headers, sign-in and cross-site checks. */
    private void guard(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
        String path = ctx.path();
        boolean assets = path.startsWith("/static/") || path.startsWith("/webjars/");
        // Pages show live state and may show what only a signed-in user may see: never cached. The scripts and
        // styles are versioned by the build (WebJars) or tiny, and a reload should not fetch them again.
        ctx.header("Cache-Control", assets ? "max-age=3600" : "no-store");
        if (!security.hostAllowed(ctx)) {
            refuse(ctx, HttpStatus.FORBIDDEN, "Wrong address", "This console answers only to localhost, not to "
                    + ctx.header("Host") + ".", "Open it as http://localhost:" + port() + ".");
            return;
        }
        boolean open = PUBLIC.contains(path) || assets;
        if (!open && !security.allowed(ctx)) {
            boolean page = ctx.method().name().equals("GET") && !path.endsWith("/events") && !path.endsWith("/tail")
                    && !path.endsWith(".json");
            if (page) {
                String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
                ctx.redirect("/login?next=" + URLEncoder.encode(path + query, StandardCharsets.UTF_8));
                ctx.skipRemainingHandlers();
                return;
            }
            refuse(ctx, HttpStatus.UNAUTHORIZED, "Sign in first", "This console needs its token.",
                    "Sign in at /login, or send Authorization: Bearer <token>.");
            return;
        }
        if (ctx.method().name().equals("POST") && !security.bearer(ctx)) {
            String problem = security.crossSiteProblem(ctx);
            if (problem != null) {
                refuse(ctx, HttpStatus.FORBIDDEN, "Refused", "Refused: " + problem + ".",
                        "Actions only work from the console's own pages.");
            }
        }
    }

    private void refuse(Context ctx, HttpStatus status, String title, String message, String hint) {
        views.problemPage(ctx, status, title, message, hint);
        ctx.skipRemainingHandlers();
    }

    /** The port listened on (the real one when 0 was asked for). */
    public int port() {
        return app.port();
    }

    /** The URL to open, e.g. {@code http://localhost:8090} ({@code localhost} when listening on all interfaces). */
    public String url() {
        String h = settings.host();
        if (h.equals("0.0.0.0") || h.equals("::") || h.isEmpty()) {
            h = "localhost";
        }
        if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
            h = "[" + h + "]";
        }
        return "http://" + h + ":" + port();
    }

    public ConsoleSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
            app = null;
        }
        sampler.close();
        tails.close();
        cluster.close();
    }

    /** A page or record that does not exist, with what to do instead. */
    static final class NotFound extends RuntimeException {
        private final String hint;

        NotFound(String message, String hint) {
            super(message);
            this.hint = hint;
        }

        String hint() {
            return hint;
        }
    }
}
