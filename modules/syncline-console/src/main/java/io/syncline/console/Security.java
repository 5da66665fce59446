package io.syncline.console;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;

/**
 * Who may use the console and how a request proves it came from the console's own pages.
 *
 * <ul>
 *   <li>Every browser gets a session: a random id in an {@code HttpOnly}, {@code SameSite=Strict} cookie, and a CSRF
 *   token the pages carry in their forms and htmx headers.</li>
 *   <li>With a token configured (required off loopback), a session is signed in only after {@code POST /login} with
 *   the token; scripts may send {@code Authorization: Bearer <token>} instead. Tokens are compared in constant
 *   time.</li>
 *   <li>Every POST needs the session's CSRF token and, when the browser sends one, an {@code Origin} (else
 *   {@code Referer}) equal to the console's own; a cross-site form therefore fails twice.</li>
 *   <li>On loopback, the {@code Host} header must name this machine, so a web page whose domain an attacker points
 *   at 127.0.0.1 (DNS rebinding) gets nothing.</li>
 * </ul>
 */
final class Security {

    static final String SESSION_COOKIE = "syncline_console";
    static final String CSRF_FIELD = "_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Duration IDLE = Duration.ofHours(12);
    private static final int MAX_SESSIONS = 10_000;

    /** One browser's session. */
    static final class Session {
        final String id;
        final String csrf;
        volatile boolean signedIn;
        volatile long lastSeen = System.currentTimeMillis();

        Session(String id, String csrf) {
            this.id = id;
            this.csrf = csrf;
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final byte[] token;
    private final boolean loopback;
    private final String boundHost;

    /**
     * @param token the resolved sign-in token, or null when none is needed
     * @param loopback whether the console listens only on this machine
     * @param boundHost the address it listens on
     */
    Security(String token, boolean loopback, String boundHost) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.loopback = loopback;
        this.boundHost = boundHost.toLowerCase(Locale.ROOT);
    }

    boolean tokenRequired() {
        return token != null;
    }

    /** The request's session, created (with its cookie) when it has none. */
    Session session(Context ctx) {
        Session s = ctx.attribute("syncline.session");
        if (s != null) {
            return s;
        }
        String id = ctx.cookie(SESSION_COOKIE);
        s = id == null ? null : sessions.get(id);
        if (s == null || System.currentTimeMillis() - s.lastSeen > IDLE.toMillis()) {
            if (s != null) {
                sessions.remove(s.id);
            }
            s = new Session(randomToken(), randomToken());
            evictIfFull();
            sessions.put(s.id, s);
            ctx.cookie(cookie(ctx, s.id));
        }
        s.lastSeen = System.currentTimeMillis();
        ctx.attribute("syncline.session", s);
        return s;
    }

    /** Whether the request may see and do things: no token needed, a signed-in session, or the bearer token. */
    boolean allowed(Context ctx) {
        if (token == null) {
            return true;
        }
        String auth = ctx.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return matches(auth.substring(7).trim());
        }
        return session(ctx).signedIn;
    }

    /** Whether the request carries the bearer token (scripts: no cookies, so no cross-site risk). */
    boolean bearer(Context ctx) {
        String auth = ctx.header("Authorization");
        return token != null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                && matches(auth.substring(7).trim());
    }

    /** Signs the session in when {@code candidate} is the token. */
    boolean signIn(Context ctx, String candidate) {
        if (token == null || candidate == null || !matches(candidate.trim())) {
            return false;
        }
        Session old = session(ctx);
        // A new session id on sign-in, so an id planted before it (session fixation) is worth nothing after.
        sessions.remove(old.id);
        ctx.attribute("syncline.session", null);
        ctx.removeCookie(SESSION_COOKIE, "/");
        Session fresh = new Session(randomToken(), randomToken());
        fresh.signedIn = true;
        sessions.put(fresh.id, fresh);
        ctx.cookie(cookie(ctx, fresh.id));
        ctx.attribute("syncline.session", fresh);
        return true;
    }

    /** The session cookie: script cannot read it, and a browser sends it only with requests from the console's pages. */
    private static Cookie cookie(Context ctx, String id) {
        return new Cookie(SESSION_COOKIE, id, "/", -1, ctx.scheme().equals("https"), true, null, SameSite.STRICT);
    }

    void signOut(Context ctx) {
        Session s = session(ctx);
        sessions.remove(s.id);
        ctx.removeCookie(SESSION_COOKIE, "/");
    }

    /**
     * Why a state-changing request must be refused, or null when it may go on: a missing or wrong CSRF token, or an
     * Origin (or Referer) of another site.
     */
    String crossSiteProblem(Context ctx) {
        String origin = ctx.header("Origin");
        String own = ctx.scheme() + "://" + ctx.host();
        if (origin != null && !origin.equals("null")) {
            if (!origin.equalsIgnoreCase(own)) {
                return "this request came from " + origin + ", not from the console at " + own;
            }
        } else if (origin == null) {
            String referer = ctx.header("Referer");
            if (referer != null && !sameOrigin(referer, own)) {
                return "this request came from a page of another site, not from the console at " + own;
            }
        }
        String sent = ctx.header(CSRF_HEADER);
        if (sent == null) {
            sent = ctx.formParam(CSRF_FIELD);
        }
        Session s = session(ctx);
        if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                s.csrf.getBytes(StandardCharsets.UTF_8))) {
            return "the form's security token is missing or stale; reload the page and try again";
        }
        return null;
    }

    /**
     * Whether the {@code Host} header may be served: on loopback only names of this machine (DNS rebinding), anywhere
     * else any host (the token protects it).
     */
    boolean hostAllowed(Context ctx) {
        if (!loopback) {
            return true;
        }
        String host = ctx.header("Host");
        if (host == null) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[")) {
            int end = name.indexOf(']');
            name = end < 0 ? name : name.substring(0, end + 1);
        } else if (name.indexOf(':') >= 0) {
            name = name.substring(0, name.indexOf(':'));
        }
        return name.equals("localhost") || name.equals("[::1]") || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")
                || name.equals(boundHost);
    }

    private static boolean sameOrigin(String url, String own) {
        try {
            URI u = URI.create(url);
            String origin = u.getScheme() + "://" + u.getRawAuthority();
            return origin.equalsIgnoreCase(own);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private boolean matches(String candidate) {
        return MessageDigest.isEqual(candidate.getBytes(StandardCharsets.UTF_8), token);
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void evictIfFull() {
        if (sessions.size() < MAX_SESSIONS) {
            return;
        }
        long cutoff = System.currentTimeMillis() - IDLE.toMillis();
        sessions.values().removeIf(s -> s.lastSeen < cutoff);
        while (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream().min(Comparator.comparingLong(s -> s.lastSeen))
                    .ifPresent(s -> sessions.remove(s.id));
        }
    }
}
