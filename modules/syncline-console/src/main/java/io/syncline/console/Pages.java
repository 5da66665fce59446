package io.syncline.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseClient;
import io.syncline.config.ConfigProblem;
import io.syncline.config.SynclineConfig;
import io.syncline.config.SynclineConfigLoader;
import io.syncline.console.view.Model;
import io.syncline.kafka.ConnectRestClient;
import io.syncline.normalizer.dlq.DeadLetter;
import io.syncline.normalizer.dlq.DeadLetterQueue;
import io.syncline.ops.KafkaTopics;
import io.syncline.registry.client.CompatibilityCheck;
import io.syncline.registry.client.SchemaMetadata;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/** The console's pages and actions: one handler per URL, each rendering a template of {@code src/main/jte}. */
final class Pages {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Most dead letters one list page shows; the filters narrow it down. */
    static final int MAX_LETTERS = 500;
    /** Most bytes of a dead letter's value the detail page shows as hex. */
    static final int MAX_HEX_BYTES = 64 * 1024;

    private final Cluster cluster;
    private final Views views;
    private final Security security;
    private final PipelineSampler sampler;
    private final TopicTail tails;
    private final List<SseClient> pipelineClients = new CopyOnWriteArrayList<>();
    private volatile long renderedAt;
    private volatile String renderedGraph = "";

    Pages(Cluster cluster, Views views, Security security, PipelineSampler sampler, TopicTail tails) {
        this.cluster = cluster;
        this.views = views;
        this.security = security;
        this.sampler = sampler;
        this.tails = tails;
        sampler.onSnapshot(this::broadcast);
    }

    void routes(RoutesConfig r) {
        r.get("/", ctx -> ctx.redirect("/pipeline"));
        r.get("/health", ctx -> ctx.contentType("application/json").result("{\"status\":\"UP\"}"));
        r.get("/login", this::loginPage);
        r.post("/login", this::login);
        r.post("/logout", this::logout);
        r.get("/pipeline", this::pipeline);
        r.sse("/pipeline/events", this::pipelineEvents);
        r.get("/pipeline/figures.json", this::pipelineJson);
        r.get("/connectors", this::connectors);
        r.post("/connectors/{name}/{action}", this::connectorAction);
        r.get("/dead-letters", this::deadLetterTopics);
        r.get("/dead-letters/{topic}", this::deadLetters);
        r.get("/dead-letters/{topic}/{partition}/{offset}", this::deadLetter);
        r.post("/dead-letters/{topic}/replay", this::replay);
        r.get("/schemas", this::schemas);
        r.get("/schemas/{subject}", this::subject);
        r.get("/schemas/{subject}/diff", this::diff);
        r.post("/schemas/{subject}/check", this::check);
        r.get("/topics", this::topics);
        r.get("/topics/{topic}", this::topic);
        r.sse("/topics/{topic}/tail", this::tail);
        r.get("/config", this::config);
    }

    private static Map<String, Object> params(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    // ---- sign in ------------------------------------------------------------------------------------------------

    private void loginPage(Context ctx) {
        views.page(ctx, "login.jte", params("frame", views.bareFrame(ctx, "Sign in"), "next", next(ctx), "error", "",
                "required", security.tokenRequired()));
    }

    private void login(Context ctx) {
        if (security.signIn(ctx, ctx.formParam("token"))) {
            ctx.redirect(next(ctx));
            return;
        }
        ctx.status(HttpStatus.UNAUTHORIZED);
        views.page(ctx, "login.jte", params("frame", views.bareFrame(ctx, "Sign in"), "next", next(ctx),
                "error", security.tokenRequired() ? "That is not the console's token." : "This console needs no token.",
                "required", security.tokenRequired()));
    }

    private void logout(Context ctx) {
        security.signOut(ctx);
        ctx.redirect("/login");
    }

    /** Where to go after signing in: a path of this console only, never another site. */
    private static String next(Context ctx) {
        String next = ctx.formParam("next");
        if (next == null) {
            next = ctx.queryParam("next");
        }
        return next != null && next.startsWith("/") && !next.startsWith("//") && !next.contains("\\") ? next
                : "/pipeline";
    }

    // ---- pipeline -----------------------------------------------------------------------------------------------

    private void pipeline(Context ctx) {
        PipelineSampler.Snapshot s = sampler.latest();
        views.page(ctx, "pipeline.jte", params("frame", views.frame(ctx, "Pipeline", "pipeline"), "graph", graph(s),
                "history", historyJson()));
    }

    private void pipelineJson(Context ctx) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        PipelineSampler.Snapshot s = sampler.latest();
        root.put("at", s.at());
        root.put("problem", s.problem());
        ArrayNode nodes = root.putArray("nodes");
        for (PipelineSampler.Stage stage : s.stages()) {
            for (PipelineSampler.Node n : stage.nodes()) {
                nodes.add(JSON.valueToTree(n));
            }
        }
        root.set("history", JSON.readTree(historyJson()));
        ctx.contentType("application/json").result(JSON.writeValueAsString(root));
    }

    private void pipelineEvents(SseClient client) {
        client.keepAlive();
        client.onClose(() -> pipelineClients.remove(client));
        pipelineClients.add(client);
        // Tells the page (and a test) that updates will come; the first graph follows at the next sample.
        synchronized (client) {
            client.sendEvent("ready", "{}");
        }
    }

    /** Sends each new snapshot to every open pipeline page, the graph rendered once for all of them. */
    private void broadcast(PipelineSampler.Snapshot s) {
        if (pipelineClients.isEmpty()) {
            return;
        }
        if (renderedAt != s.at()) {
            renderedGraph = views.render("graph.jte", params("graph", graph(s)));
            renderedAt = s.at();
        }
        String html = renderedGraph;
        List<PipelineSampler.Point> history = sampler.history();
        String point = history.isEmpty() ? null : pointJson(history.get(history.size() - 1));
        for (SseClient c : pipelineClients) {
            if (c.terminated()) {
                pipelineClients.remove(c);
                continue;
            }
            synchronized (c) {
                c.sendEvent("graph", html);
                if (point != null) {
                    c.sendEvent("sample", point);
                }
            }
        }
    }

    private String historyJson() {
        StringBuilder sb = new StringBuilder("[");
        for (PipelineSampler.Point p : sampler.history()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(pointJson(p));
        }
        return sb.append(']').toString();
    }

    private static String pointJson(PipelineSampler.Point p) {
        try {
            return JSON.writeValueAsString(p);
        } catch (Exception e) {
            throw new IllegalStateException("writing a chart point as JSON", e);
        }
    }

    private static Model.Graph graph(PipelineSampler.Snapshot s) {
        List<Model.Stage> stages = new ArrayList<>();
        for (PipelineSampler.Stage stage : s.stages()) {
            List<Model.Node> nodes = new ArrayList<>();
            for (PipelineSampler.Node n : stage.nodes()) {
                String latency = n.p50() < 0 ? "" : "p50 " + n.p50() + " ms · p99 " + n.p99() + " ms";
                nodes.add(new Model.Node(n.id(), n.stage(), n.name(), n.state(), n.healthy(), Views.count(n.records()),
                        Views.rate(n.rate()), n.lag() < 0 ? "—" : Views.count(n.lag()),
                        n.deadLetters() < 0 ? "" : Views.count(n.deadLetters()),
                        n.dlqTopic() == null ? "" : "/dead-letters/" + n.dlqTopic(), latency, n.link()));
            }
            stages.add(new Model.Stage(stage.title(), nodes));
        }
        return new Model.Graph(stages, Views.TIME.format(Instant.ofEpochMilli(s.at())) + " UTC", s.problem(),
                s.problem() == null && s.empty());
    }

    // ---- connectors ---------------------------------------------------------------------------------------------

    private void connectors(Context ctx) {
        List<Model.Connector> out = new ArrayList<>();
        String problem = null;
        try {
            Map<String, Map<String, String>> typesByClass = new HashMap<>();
            for (ConnectRestClient.ConnectorStatus s : cluster.connect().statuses()) {
                Map<String, String> config = cluster.connect().connectorConfig(s.name());
                Map<String, String> types = typesByClass.computeIfAbsent(config.getOrDefault("connector.class", ""),
                        this::pluginTypes);
                List<Model.Task> tasks = s.tasks().stream().map(t -> new Model.Task(t.id(), t.state(), t.workerId(),
                        t.trace() == null ? "" : t.trace().lines().findFirst().orElse(""),
                        t.trace() == null ? "" : t.trace())).toList();
                boolean failed = s.state().equals("FAILED") || s.tasks().stream().anyMatch(t -> t.state()
                        .equals("FAILED"));
                out.add(new Model.Connector(s.name(), s.type(), s.state(), s.workerId(), tasks,
                        Model.entries(Redaction.connectorConfig(config, types)), s.state().equals("PAUSED"), failed));
            }
        } catch (RuntimeException e) {
            problem = "Kafka Connect at " + cluster.settings().connectUrl() + " did not answer: " + e.getMessage();
        }
        views.page(ctx, "connectors.jte", params("frame", views.frame(ctx, "Connectors", "connectors"),
                "connectors", out, "problem", problem == null ? "" : problem, "done", flash(ctx)));
    }

    /** The plugin's declared key types; empty when Connect cannot say (then key names decide what to hide). */
    private Map<String, String> pluginTypes(String connectorClass) {
        if (connectorClass.isEmpty()) {
            return Map.of();
        }
        try {
            return cluster.connect().pluginConfigTypes(connectorClass);
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    private void connectorAction(Context ctx) {
        String name = ctx.pathParam("name");
        String action = ctx.pathParam("action");
        switch (action) {
            case "restart" -> cluster.connect().restart(name, false);
            case "restart-failed" -> cluster.connect().restart(name, true);
            case "pause" -> cluster.connect().pause(name);
            case "resume" -> cluster.connect().resume(name);
            default -> throw new ConsoleServer.NotFound("There is no connector action \"" + action + "\".",
                    "The actions are restart, restart-failed, pause and resume.");
        }
        String done = switch (action) {
            case "restart" -> "Restart of " + name + " and its tasks requested.";
            case "restart-failed" -> "Restart of the failed tasks of " + name + " requested.";
            case "pause" -> "Pause of " + name + " requested.";
            default -> "Resume of " + name + " requested.";
        };
        ctx.redirect("/connectors?done=" + java.net.URLEncoder.encode(done, java.nio.charset.StandardCharsets.UTF_8)
                + "#connector-" + name);
    }

    private static String flash(Context ctx) {
        String done = ctx.queryParam("done");
        return done == null ? "" : done;
    }

    // ---- dead letters -------------------------------------------------------------------------------------------

    private void deadLetterTopics(Context ctx) {
        List<KafkaTopics.TopicInfo> topics = KafkaTopics.list(cluster.admin(), false,
                cluster.settings().bootstrapServers());
        Set<String> names = new TreeSet<>();
        topics.stream().map(KafkaTopics.TopicInfo::name).filter(n -> n.startsWith("dlq.")).forEach(names::add);
        names.add(cluster.settings().normalizerDlqTopic());
        try {
            for (String c : cluster.connect().connectors()) {
                String dlq = cluster.connectorConfig(c).get("errors.deadletterqueue.topic.name");
                if (dlq != null && !dlq.isBlank()) {
                    names.add(dlq);
                }
            }
        } catch (RuntimeException e) {
            // Without Connect the dlq.* topics still show; the frame names the problem.
        }
        List<Model.DlqTopic> out = new ArrayList<>();
        for (String name : names) {
            long records = topics.stream().filter(t -> t.name().equals(name)).mapToLong(KafkaTopics.TopicInfo::records)
                    .sum();
            long replayed = records == 0 ? 0 : cluster.deadLetters(name).replayed().size();
            out.add(new Model.DlqTopic(name, records, Math.max(0, records - replayed)));
        }
        views.page(ctx, "dead-letter-topics.jte", params("frame", views.frame(ctx, "Dead letters", "dead-letters"),
                "topics", out));
    }

    private Model.LetterFilter filter(Context ctx) {
        return new Model.LetterFilter(text(ctx, "reason"), text(ctx, "mapping"), text(ctx, "from"), text(ctx, "to"),
                "on".equals(ctx.queryParam("replayed")) || "true".equals(ctx.formParam("replayed")));
    }

    private static String text(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null) {
            v = ctx.formParam(name);
        }
        return v == null ? "" : v.trim();
    }

    /** The letters that pass a filter, with whether each was replayed. */
    private record Letters(List<DeadLetter> letters, Set<String> replayed, List<String> reasons) {
    }

    private Letters read(String topic, Model.LetterFilter f) {
        DeadLetterQueue dlq = cluster.deadLetters(topic);
        long from = instant(f.from(), "from");
        long to = instant(f.to(), "to");
        Set<String> reasons = new TreeSet<>();
        Predicate<DeadLetter> test = d -> {
            reasons.add(d.reason());
            long t = letterTime(d);
            return (f.reason().isEmpty() || f.reason().equals(d.reason()))
                    && (f.mapping().isEmpty() || d.mappingFile().contains(f.mapping()))
                    && (from < 0 || t >= from) && (to < 0 || t < to);
        };
        List<DeadLetter> letters = dlq.read(test);
        Set<String> replayed = letters.isEmpty() ? Set.of() : dlq.replayed();
        if (!f.replayed()) {
            letters = letters.stream().filter(d -> !replayed.contains(d.position())).toList();
        }
        reasons.remove("");
        return new Letters(letters, replayed, List.copyOf(reasons));
    }

    /** When a dead letter first failed: its first-seen header, else its timestamp. */
    private static long letterTime(DeadLetter d) {
        String firstSeen = d.header("syncline.first-seen");
        if (firstSeen != null) {
            try {
                return Instant.parse(firstSeen).toEpochMilli();
            } catch (DateTimeParseException e) {
                // Fall back to the record's own time.
            }
        }
        return d.timestamp();
    }

    private static long instant(String text, String field) {
        if (text.isEmpty()) {
            return -1;
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new BadRequest("The time \"" + text + "\" in " + field + " is not a time: expected "
                    + "yyyy-MM-ddTHH:mm in UTC, e.g. 2025-03-01T14:30.");
        }
    }

    private static Model.Letter letter(DeadLetter d, Set<String> replayed) {
        String source = d.sourceTopic() == null ? "?" : d.sourceTopic() + "/" + d.header("syncline.source.partition")
                + "/" + d.header("syncline.source.offset");
        return new Model.Letter(d.position(), d.partition(), d.offset(), Views.time(letterTime(d)), d.attempt(),
                source, d.reason(), d.mappingFile(), d.message(), replayed.contains(d.position()));
    }

    private void deadLetters(Context ctx) {
        String topic = ctx.pathParam("topic");
        Model.LetterFilter f = filter(ctx);
        Letters read = read(topic, f);
        List<Model.Letter> shown = read.letters().stream().limit(MAX_LETTERS).map(d -> letter(d, read.replayed()))
                .toList();
        views.page(ctx, "dead-letters.jte", params("frame", views.frame(ctx, topic, "dead-letters"), "topic", topic,
                "filter", f, "reasons", read.reasons(), "letters", shown, "total", read.letters().size(),
                "max", MAX_LETTERS));
    }

    private void deadLetter(Context ctx) {
        String topic = ctx.pathParam("topic");
        int partition = number(ctx.pathParam("partition"), "partition");
        long offset = number(ctx.pathParam("offset"), "offset");
        DeadLetterQueue dlq = cluster.deadLetters(topic);
        DeadLetter d = dlq.find(partition, offset);
        if (d == null) {
            throw new ConsoleServer.NotFound("There is no dead letter at " + partition + ":" + offset + " in " + topic
                    + ".", "The list at /dead-letters/" + topic + " shows the positions there.");
        }
        Set<String> replayed = dlq.replayed();
        List<Model.Entry> headers = new ArrayList<>();
        d.headers().forEach((k, v) -> headers.add(new Model.Entry(k, v == null ? "(null)" : v)));
        String value = d.valueText();
        try {
            value = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(d.value()));
        } catch (Exception e) {
            // Not JSON (that may be why it is here): shown as it is, and as bytes below.
        }
        views.page(ctx, "dead-letter.jte", params("frame", views.frame(ctx, topic + " " + d.position(),
                        "dead-letters"), "d", new Model.LetterDetail(topic, letter(d, replayed),
                        d.keyText() == null ? "(null)" : d.keyText(), headers, value == null ? "(null)" : value,
                        hex(d.value()), d.value() == null ? 0 : d.value().length)));
    }

    private static int number(String text, String what) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ConsoleServer.NotFound("\"" + text + "\" is not a " + what + ".",
                    "Dead letters are at /dead-letters/<topic>/<partition>/<offset>.");
        }
    }

    /** Offset, hex and printable columns, 16 bytes a line: the original bytes exactly. */
    static String hex(byte[] bytes) {
        if (bytes == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        int n = Math.min(bytes.length, MAX_HEX_BYTES);
        for (int i = 0; i < n; i += 16) {
            sb.append(String.format("%08x  ", i));
            StringBuilder ascii = new StringBuilder();
            for (int j = 0; j < 16; j++) {
                if (i + j < n) {
                    int b = bytes[i + j] & 0xff;
                    sb.append(String.format("%02x ", b));
                    ascii.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
                } else {
                    sb.append("   ");
                }
                if (j == 7) {
                    sb.append(' ');
                }
            }
            sb.append(' ').append(ascii).append('\n');
        }
        if (bytes.length > n) {
            sb.append("… ").append(bytes.length - n).append(" more bytes\n");
        }
        return sb.toString();
    }

    /**
     * Replay, in two steps: without {@code confirm=yes}, a page listing exactly what would be replayed (the filter
     * resolved to positions, so what is confirmed is what is replayed); with it, the replay and its result.
     */
    private void replay(Context ctx) {
        String topic = ctx.pathParam("topic");
        DeadLetterQueue dlq = cluster.deadLetters(topic);
        boolean all = "true".equals(ctx.formParam("all"));
        List<String> positions = ctx.formParams("position");
        List<DeadLetter> letters;
        if (all) {
            letters = read(topic, filter(ctx)).letters();
        } else {
            if (positions.isEmpty()) {
                throw new BadRequest("Nothing was selected: tick the dead letters to replay, or use Replay all.");
            }
            Set<String> wanted = new HashSet<>();
            for (String p : positions) {
                wanted.add(canonical(p));
            }
            letters = dlq.read(d -> wanted.contains(d.position()));
            Set<String> found = new HashSet<>();
            letters.forEach(d -> found.add(d.position()));
            List<String> missing = wanted.stream().filter(p -> !found.contains(p)).sorted().toList();
            if (!missing.isEmpty()) {
                throw new BadRequest("Nothing replayed: " + topic + " has no dead letter at "
                        + String.join(", ", missing) + ".");
            }
        }
        if (letters.isEmpty()) {
            throw new BadRequest("Nothing replayed: " + topic + " has no dead letters that match.");
        }
        List<Model.Letter> shown = letters.stream().map(d -> letter(d, Set.of())).toList();
        if (!"yes".equals(ctx.formParam("confirm"))) {
            views.page(ctx, "replay-confirm.jte", params("frame", views.frame(ctx, "Replay from " + topic,
                    "dead-letters"), "topic", topic, "letters", shown));
            return;
        }
        int replayed = dlq.replay(letters);
        views.page(ctx, "replay-done.jte", params("frame", views.frame(ctx, "Replayed from " + topic,
                "dead-letters"), "topic", topic, "letters", shown, "count", replayed));
    }

    private static String canonical(String position) {
        String[] parts = position.trim().split(":");
        if (parts.length != 2 || !parts[0].matches("\\d+") || !parts[1].matches("\\d+")) {
            throw new BadRequest("\"" + position + "\" is not a position: expected <partition>:<offset>, as the list "
                    + "shows.");
        }
        return Integer.parseInt(parts[0]) + ":" + Long.parseLong(parts[1]);
    }

    // ---- schemas ------------------------------------------------------------------------------------------------

    private void schemas(Context ctx) {
        List<Model.Subject> subjects = new ArrayList<>();
        String global = "";
        String problem = "";
        try {
            global = cluster.registry().getCompatibility(null);
            for (String s : cluster.registry().getAllSubjects()) {
                SchemaMetadata latest = cluster.registry().getLatestSchemaMetadata(s);
                subjects.add(new Model.Subject(s, latest.version(), latest.id(),
                        cluster.registry().getAllVersions(s).size(), cluster.registry().getCompatibility(s)));
            }
        } catch (RuntimeException e) {
            problem = "The schema registry at " + cluster.settings().registryUrl() + " did not answer: "
                    + e.getMessage();
        }
        views.page(ctx, "schemas.jte", params("frame", views.frame(ctx, "Schemas", "schemas"), "subjects", subjects,
                "global", global, "problem", problem));
    }

    private Map<String, Object> subjectParams(Context ctx, String subject) {
        List<Integer> versions;
        try {
            versions = cluster.registry().getAllVersions(subject);
        } catch (RuntimeException e) {
            throw new ConsoleServer.NotFound("The registry has no subject " + subject + " (" + e.getMessage() + ").",
                    "The catalogue at /schemas lists the subjects.");
        }
        int latest = versions.get(versions.size() - 1);
        String asked = ctx.queryParam("version");
        int version = asked == null ? latest : number(asked, "version");
        if (!versions.contains(version)) {
            throw new ConsoleServer.NotFound(subject + " has no version " + version + ".",
                    "Its versions are " + versions + ".");
        }
        SchemaMetadata shown = cluster.registry().getSchemaMetadata(subject, version);
        Map<String, Object> p = params("frame", views.frame(ctx, subject, "schemas"), "subject", subject,
                "versions", versions, "version", version, "id", shown.id(), "schema", SchemaDiff.pretty(shown.schema()),
                "compatibility", cluster.registry().getCompatibility(subject), "candidate", "", "check", null,
                "checkError", "", "diff", null, "from", versions.size() > 1 ? versions.get(versions.size() - 2) : latest,
                "to", latest);
        return p;
    }

    private void subject(Context ctx) {
        views.page(ctx, "schema.jte", subjectParams(ctx, ctx.pathParam("subject")));
    }

    private void diff(Context ctx) {
        String subject = ctx.pathParam("subject");
        Map<String, Object> p = subjectParams(ctx, subject);
        @SuppressWarnings("unchecked")
        List<Integer> versions = (List<Integer>) p.get("versions");
        int from = number(ctx.queryParamAsClass("from", String.class).getOrDefault(String.valueOf(p.get("from"))),
                "version");
        int to = number(ctx.queryParamAsClass("to", String.class).getOrDefault(String.valueOf(p.get("to"))),
                "version");
        if (!versions.contains(from) || !versions.contains(to)) {
            throw new ConsoleServer.NotFound(subject + " has no version " + (versions.contains(from) ? to : from) + ".",
                    "Its versions are " + versions + ".");
        }
        List<Model.DiffLine> lines = SchemaDiff.lines(cluster.registry().getSchemaMetadata(subject, from).schema(),
                cluster.registry().getSchemaMetadata(subject, to).schema());
        p.put("diff", lines);
        p.put("from", from);
        p.put("to", to);
        views.page(ctx, "schema.jte", p);
    }

    private void check(Context ctx) {
        String subject = ctx.pathParam("subject");
        Map<String, Object> p = subjectParams(ctx, subject);
        String candidate = ctx.formParam("candidate");
        candidate = candidate == null ? "" : candidate;
        p.put("candidate", candidate);
        try {
            Schema schema = new Schema.Parser().parse(candidate);
            CompatibilityCheck result = cluster.registry().testCompatibility(subject, schema);
            p.put("check", result);
        } catch (SchemaParseException e) {
            p.put("checkError", "This is not an Avro schema: " + e.getMessage());
        } catch (RuntimeException e) {
            p.put("checkError", "The registry could not check it: " + e.getMessage());
        }
        views.page(ctx, "schema.jte", p);
    }

    // ---- topics -------------------------------------------------------------------------------------------------

    private void topics(Context ctx) {
        boolean internal = "on".equals(ctx.queryParam("internal"));
        List<Model.Topic> out = KafkaTopics.list(cluster.admin(), internal, cluster.settings().bootstrapServers())
                .stream().map(t -> new Model.Topic(t.name(), t.partitions(), t.records(),
                        KafkaTopics.isInternal(t.name()))).toList();
        views.page(ctx, "topics.jte", params("frame", views.frame(ctx, "Topics", "topics"), "topics", out,
                "internal", internal));
    }

    private void topic(Context ctx) throws Exception {
        String topic = ctx.pathParam("topic");
        Map<String, TopicDescription> described;
        try {
            described = cluster.admin().describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new ConsoleServer.NotFound("There is no topic " + topic + " on Kafka at "
                    + cluster.settings().bootstrapServers() + ".", "The list at /topics shows the topics there.");
        }
        TopicDescription d = described.get(topic);
        Map<TopicPartition, OffsetSpec> earliest = new LinkedHashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        d.partitions().forEach(p -> {
            earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
            latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
        });
        Map<TopicPartition, ListOffsetsResultInfo> start = cluster.admin().listOffsets(earliest).all()
                .get(10, TimeUnit.SECONDS);
        Map<TopicPartition, ListOffsetsResultInfo> end = cluster.admin().listOffsets(latest).all()
                .get(10, TimeUnit.SECONDS);
        List<Model.Partition> partitions = new ArrayList<>();
        long records = 0;
        for (var p : d.partitions()) {
            TopicPartition tp = new TopicPartition(topic, p.partition());
            long s = start.get(tp).offset();
            long e = end.get(tp).offset();
            records += Math.max(0, e - s);
            partitions.add(new Model.Partition(p.partition(), p.leader() == null ? "none" : "broker " + p.leader().id(),
                    s, e, Math.max(0, e - s)));
        }
        views.page(ctx, "topic.jte", params("frame", views.frame(ctx, topic, "topics"), "topic", topic,
                "partitions", partitions, "records", records));
    }

    private void tail(SseClient client) {
        String topic = client.ctx().pathParam("topic");
        client.keepAlive();
        Consumer<String> send = line -> {
            String html;
            try {
                JsonNode record = JSON.readTree(line);
                html = views.render("tail-record.jte", params("record", record, "json",
                        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(record)));
            } catch (Exception e) {
                return;
            }
            synchronized (client) {
                client.sendEvent("record", html);
            }
        };
        Consumer<String> failed = message -> {
            synchronized (client) {
                client.sendEvent("status", views.render("tail-status.jte", params("message",
                        "The tail stopped: " + message)));
            }
        };
        TopicTail.Handle handle = tails.start(topic, send, failed);
        if (handle == null) {
            failed.accept(TopicTail.MAX_TAILS + " tails are open already; close one and reload");
            client.close();
            return;
        }
        synchronized (client) {
            client.sendEvent("status", views.render("tail-status.jte", params("message",
                    "Tailing " + topic + ": the newest records appear at the top.")));
        }
        client.onClose(handle::stop);
    }

    // ---- config -------------------------------------------------------------------------------------------------

    private void config(Context ctx) throws Exception {
        Path file = cluster.settings().configFile();
        List<Model.Problem> problems = new ArrayList<>();
        List<Model.Line> lines = new ArrayList<>();
        boolean exists = file != null && Files.isRegularFile(file);
        if (exists) {
            SynclineConfigLoader.Checked<SynclineConfig> checked = SynclineConfigLoader.check(file);
            Set<Integer> bad = new HashSet<>();
            for (ConfigProblem p : checked.problems()) {
                problems.add(new Model.Problem(p.source(), p.line(), p.key(), p.message()));
                bad.add(p.line());
            }
            List<String> text = Files.readAllLines(file);
            for (int i = 0; i < text.size(); i++) {
                lines.add(new Model.Line(i + 1, Redaction.yamlLine(text.get(i)), bad.contains(i + 1)));
            }
        }
        views.page(ctx, "config.jte", params("frame", views.frame(ctx, "Config", "config"), "file",
                file == null ? "" : file.toString(), "exists", exists, "problems", problems, "lines", lines));
    }

    /** A request the console cannot act on, with what would be valid. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
