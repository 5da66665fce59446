package io.syncline.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.syncline.console.view.Model;
import org.webjars.WebJarVersionLocator;

/** Renders the templates (compiled by the build from {@code src/main/jte}) with the frame every page shares. */
final class Views {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final TemplateEngine engine = TemplateEngine.createPrecompiled(null, ContentType.Html, null,
            "io.syncline.console.templates");
    private final Security security;
    private final Cluster cluster;
    private final Model.Webjars webjars;

    Views(Security security, Cluster cluster) {
        this.security = security;
        this.cluster = cluster;
        WebJarVersionLocator locator = new WebJarVersionLocator();
        this.webjars = new Model.Webjars(webjar(locator, "htmx.org", "dist/htmx.min.js"),
                webjar(locator, "htmx-ext-sse", "sse.js"), webjar(locator, "uplot", "dist/uPlot.iife.min.js"),
                webjar(locator, "uplot", "dist/uPlot.min.css"));
    }

    private static String webjar(WebJarVersionLocator locator, String name, String file) {
        String path = locator.path(name, file);
        if (path == null) {
            throw new IllegalStateException("the console's WebJar " + name + " is not on the classpath (" + file + ")");
        }
        return "/webjars/" + path;
    }

    /** The frame of a page, with the cluster's problems (checked at most every few seconds). */
    Model.Frame frame(Context ctx, String title, String nav) {
        List<String> problems = cluster.status().problems(cluster.settings());
        return new Model.Frame(title, nav, security.session(ctx).csrf, problems, security.tokenRequired(), webjars);
    }

    /** The frame without probing the cluster: for the sign-in page and refusals, which must not wait for it. */
    Model.Frame bareFrame(Context ctx, String title) {
        return new Model.Frame(title, "", security.session(ctx).csrf, List.of(), false, webjars);
    }

    /** Renders {@code template} with {@code params} into the response as HTML. */
    void page(Context ctx, String template, Map<String, Object> params) {
        ctx.html(render(template, params));
    }

    String render(String template, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        engine.render(template, params, out);
        return out.toString();
    }

    /** A page that says what is wrong and what to do; never a stack trace. */
    void problemPage(Context ctx, HttpStatus status, String title, String message, String hint) {
        Map<String, Object> params = new HashMap<>();
        params.put("frame", bareFrame(ctx, title));
        params.put("message", message);
        params.put("hint", hint == null ? "" : hint);
        ctx.status(status);
        page(ctx, "problem.jte", params);
    }

    /** A request that failed because something did not answer: the page with the cluster's problems on top. */
    void failurePage(Context ctx, String message, String hint) {
        Map<String, Object> params = new HashMap<>();
        params.put("frame", frame(ctx, "Something did not answer", ""));
        params.put("message", message);
        params.put("hint", hint);
        ctx.status(HttpStatus.BAD_GATEWAY);
        page(ctx, "problem.jte", params);
    }

    static String count(long n) {
        return n < 0 ? "—" : String.format(Locale.ROOT, "%,d", n);
    }

    static String rate(double perSecond) {
        if (perSecond < 0) {
            return "—";
        }
        return String.format(Locale.ROOT, perSecond < 10 ? "%.1f/s" : "%,.0f/s", perSecond);
    }

    static String time(long epochMillis) {
        return epochMillis <= 0 ? "—" : DATE_TIME.format(Instant.ofEpochMilli(epochMillis)) + " UTC";
    }
}
