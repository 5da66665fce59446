package io.syncline.connect.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.syncline.connect.common.OutboundHttpConfig;
import io.syncline.raw.RawHeader;
import io.syncline.sandbox.core.MutableClock;
import io.syncline.sandbox.core.RequestRecord;
import io.syncline.sandbox.support.SupportSandbox;
import io.syncline.testsupport.connect.SourceTaskHarness;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SupportSourceTask} against the real support sandbox over HTTP, driven as a worker drives it (see
 * {@link SourceTaskHarness}): the four exports from the beginning and then incrementally, pages of the cursor
 * exports, the repeated edge second of the time-based ones, restarts in the middle of a page, Zendesk's export rate
 * limit, faults of every kind, a page with malformed items, and the failures that must stop the task. Every check is
 * by id.
 */
class SupportSourceTaskIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TYPES = List.of("ticket", "user", "organization", "ticket_comment");

    private SupportSandbox sandbox;
    private SourceTaskHarness<SupportSourceTask> harness;

    /** A worker-less runner of this connector's task (the shared one every source's task tests use). */
    private static SourceTaskHarness<SupportSourceTask> newHarness() {
        return new SourceTaskHarness<>(SupportSourceTask::new);
    }
    private HttpServer canned;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
        if (canned != null) {
            canned.stop(0);
        }
    }

    /**
     * A sandbox whose exports leave out only the last two seconds (Zendesk: a minute), so a change is exported soon
     * but never while changes of its second may still be made; no request limits unless a test sets them.
     */
    private SupportSandbox sandbox(SupportSandbox.Builder builder) {
        sandbox = builder.port(0).rateLimitPerMinute(0).exportExclusion(Duration.ofSeconds(2)).build().start();
        sandbox.exportRateLimiter().configure(0, Duration.ofMinutes(1));
        return sandbox;
    }

    private Map<String, String> config(String objects, Map<String, String> overrides) {
        Map<String, String> p = new HashMap<>();
        p.put("name", "support-task-it");
        p.put(SupportSourceConfig.BASE_URL, sandbox.url());
        p.put(OutboundHttpConfig.AUTH_BASIC_USERNAME, sandbox.agentEmail() + "/token");
        p.put(OutboundHttpConfig.AUTH_BASIC_PASSWORD, sandbox.apiToken());
        p.put(OutboundHttpConfig.ALLOW_LIST, "127.0.0.1");
        p.put(OutboundHttpConfig.ALLOW_PLAIN_HTTP, "127.0.0.1");
        p.put(SupportSourceConfig.POLL_INTERVAL_MS, "1000");
        p.put(SupportSourceConfig.PAGE_SIZE, "25");
        p.put(OutboundHttpConfig.RATE_WINDOW_REQUESTS, "0");
        p.put(OutboundHttpConfig.RETRY_BACKOFF_INITIAL_MS, "20");
        p.put(OutboundHttpConfig.RETRY_BACKOFF_MAX_MS, "200");
        p.put(SupportSourceConfig.OBJECTS, objects);
        p.put(SupportSourceConfig.TASK_OBJECTS, objects);
        p.putAll(overrides);
        return p;
    }

    // ------------------------------------------------------------------ what the sandbox holds and what arrived

    private static String header(SourceRecord r, String name) {
        return (String) r.headers().lastWithName(name).value();
    }

    private static String type(SourceRecord r) {
        return r.topic().substring("raw.zendesk.".length());
    }

    /** The ids of every object of each type the sandbox has, deleted ones included; comments of every ticket. */
    private Map<String, Set<String>> expected() {
        Map<String, Set<String>> out = new TreeMap<>();
        out.put("ticket", new TreeSet<>(sandbox.objectIds("tickets")));
        out.put("user", new TreeSet<>(sandbox.objectIds("users")));
        out.put("organization", new TreeSet<>(sandbox.objectIds("organizations")));
        Set<String> comments = new TreeSet<>();
        for (String ticket : sandbox.objectIds("tickets")) {
            sandbox.comments(Long.parseLong(ticket)).forEach(c -> comments.add(c.get("id").asText()));
        }
        out.put("ticket_comment", comments);
        return out;
    }

    private static Map<String, Set<String>> keysByType(List<SourceRecord> records) {
        Map<String, Set<String>> out = new TreeMap<>();
        records.forEach(r -> out.computeIfAbsent(type(r), t -> new TreeSet<>()).add((String) r.key()));
        return out;
    }

    /** Records that repeat a (topic, event id) already delivered. */
    private static List<String> duplicates(List<SourceRecord> records) {
        Map<String, Long> counts = records.stream().collect(Collectors.groupingBy(
                r -> r.topic() + " " + header(r, RawHeader.EVENT_ID.key()), TreeMap::new, Collectors.counting()));
        return counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    }

    private Predicate<List<SourceRecord>> everything(Set<String> types) {
        return records -> {
            Map<String, Set<String>> got = keysByType(records);
            Map<String, Set<String>> want = expected();
            for (String t : types) {
                if (!got.getOrDefault(t, Set.of()).containsAll(want.get(t))) {
                    return false;
                }
            }
            return true;
        };
    }

    private void assertEverythingOnce(List<SourceRecord> records, Set<String> types) {
        Map<String, Set<String>> got = keysByType(records);
        Map<String, Set<String>> want = expected();
        for (String t : types) {
            assertThat(got.getOrDefault(t, Set.of())).as("ids of " + t).containsAll(want.get(t));
            assertThat(want.get(t)).as(t + " of this test").isNotEmpty();
        }
        assertThat(duplicates(records)).as("records delivered twice (same topic and event id)").isEmpty();
    }

    // ------------------------------------------------------------------ the tests

    @Test
    void copiesEveryTicketUserOrganizationAndCommentThroughTheExportsThenFollowsChanges() throws Exception {
        sandbox(SupportSandbox.builder().seed(7));
        sandbox.generator().runSteps(250);
        harness = newHarness().start(config(String.join(",", TYPES), Map.of()));
        Set<String> all = Set.copyOf(TYPES);
        harness.pollUntil(everything(all), WAIT);

        sandbox.generator().runSteps(150);
        List<SourceRecord> records = harness.pollUntil(everything(all), WAIT);
        assertEverythingOnce(records, all);

        for (SourceRecord r : records) {
            JsonNode value = JSON.readTree((byte[]) r.value());
            String eventId = header(r, RawHeader.EVENT_ID.key());
            if (type(r).equals("ticket_comment")) {
                // The value is the ticket audit that added the comment, exactly as exported.
                JsonNode comment = null;
                for (JsonNode child : value.get("child_events")) {
                    if ("Comment".equals(child.path("event_type").asText())) {
                        comment = child;
                    }
                }
                assertThat(comment).as("the Comment child of audit " + value.get("id")).isNotNull();
                assertThat(comment.get("id").asText()).isEqualTo(r.key());
                assertThat(eventId).isEqualTo(r.key() + "@" + value.get("created_at").asText());
            } else {
                assertThat(value.get("id").asText()).isEqualTo(r.key());
                assertThat(eventId).isEqualTo(r.key() + "@" + value.get("updated_at").asText());
            }
            assertThat(header(r, RawHeader.SOURCE.key())).isEqualTo("zendesk-api:support-task-it");
            assertThat(header(r, RawHeader.TRACE_ID.key())).matches("[0-9a-f]{32}");
            assertThat(Long.parseLong(header(r, RawHeader.RECEIVED_AT.key()))).isEqualTo(r.timestamp());
        }
        // A changed object comes again as its new version, never as a repeat of one already delivered.
        Map<String, Long> versionsPerTicket = records.stream().filter(r -> type(r).equals("ticket"))
                .collect(Collectors.groupingBy(r -> (String) r.key(), Collectors.counting()));
        assertThat(versionsPerTicket.values()).as("tickets delivered in more than one version").anyMatch(n -> n > 1);
    }

    @Test
    void aRestartResumesInTheMiddleOfAPageAfterTheLastCommittedItem() throws Exception {
        // History ten minutes old: the exports leave out the last two seconds, and on a busy machine generating 300
        // steps takes longer than that, which would cut the first page short of 25.
        MutableClock clock = MutableClock.system();
        clock.advance(Duration.ofMinutes(-10));
        sandbox(SupportSandbox.builder().seed(11).clock(clock));
        sandbox.generator().runSteps(300);
        clock.advance(Duration.ofMinutes(10));
        harness = newHarness().start(config("ticket", Map.of()));
        List<SourceRecord> firstPage = List.of();
        while (firstPage.isEmpty()) {
            firstPage = harness.pollOnce();
        }
        assertThat(firstPage).as("the first page of 25").hasSize(25);
        // The worker had committed only the first ten records of the page when it went down (at-least-once).
        SourceRecord tenth = firstPage.get(9);
        assertThat(tenth.sourceOffset().get("done")).as("done of a record in the middle of a page").isEqualTo(10);
        assertThat(tenth.sourceOffset().get("last")).as("last of a record in the middle of a page")
                .isEqualTo(tenth.key());
        harness.commit(tenth.sourcePartition(), tenth.sourceOffset());
        List<SourceRecord> before = new ArrayList<>(harness.delivered());
        harness.delivered().clear();
        harness.delivered().addAll(before.subList(0, 10));
        harness.restart();

        List<SourceRecord> records = harness.pollUntil(everything(Set.of("ticket")), WAIT);
        assertEverythingOnce(records, Set.of("ticket"));
        assertThat(records.get(10).key()).as("the first record after the restart").isEqualTo(firstPage.get(10).key());
    }

    @Test
    void theRepeatedEdgeSecondOfATimeBasedExportIsDeliveredOnce() throws Exception {
        // Everything happens in one second on a frozen clock: each organization page of 1,000 ends in that second
        // and the next one starts there again, repeating what was delivered.
        MutableClock clock = MutableClock.fixedAt(Instant.parse("2024-05-01T12:00:00Z"));
        sandbox(SupportSandbox.builder().seed(3).clock(clock));
        sandbox.generator().runSteps(200);
        clock.advance(Duration.ofSeconds(10));
        harness = newHarness().start(config("organization,ticket_comment", Map.of()));
        harness.pollUntil(everything(Set.of("organization", "ticket_comment")), WAIT);
        // Polls that find only the edge second again deliver nothing.
        for (int i = 0; i < 3; i++) {
            harness.pollOnce();
        }
        sandbox.generator().runSteps(100);
        clock.advance(Duration.ofSeconds(10));
        List<SourceRecord> records = harness.pollUntil(everything(Set.of("organization", "ticket_comment")), WAIT);
        assertEverythingOnce(records, Set.of("organization", "ticket_comment"));
        Map<String, ?> offset = harness.committed(ExportOffset.partition(ZendeskObject.ORGANIZATION));
        assertThat(offset).as("the organizations' offset").containsKey("start_time").containsKey("seen");
        assertThat((String) offset.get("seen")).as("ids delivered with the edge second").isNotBlank();
    }

    @Test
    void waitsOutZendesksExportRateLimitHonouringRetryAfter() throws Exception {
        // The desk allows 3 export requests per 20 s (Zendesk: 10 a minute); the connector is told 600 a minute:
        // every extra request is a 429 with Retry-After, which syncline-http honours, so everything arrives without
        // failing the task.
        sandbox(SupportSandbox.builder().seed(5));
        sandbox.exportRateLimiter().configure(3, Duration.ofSeconds(20));
        sandbox.generator().runSteps(120);
        harness = newHarness().start(config("ticket,user", Map.of(
                SupportSourceConfig.PAGE_SIZE, "10",
                OutboundHttpConfig.RATE_WINDOW_REQUESTS, "600",
                OutboundHttpConfig.RATE_WINDOW_MS, "60000")));
        List<SourceRecord> records = harness.pollUntil(everything(Set.of("ticket", "user")), Duration.ofMinutes(4));
        assertEverythingOnce(records, Set.of("ticket", "user"));
        List<RequestRecord> throttled = sandbox.requestLog().records(r -> r.status() == 429);
        assertThat(throttled).as("429s the desk answered").isNotEmpty();
    }

    @Test
    void deliversEverythingOnceThroughServerErrorsResetsTimeoutsAndMalformedBodies() throws Exception {
        sandbox(SupportSandbox.builder().seed(9));
        sandbox.generator().runSteps(200);
        sandbox.faults().serverErrorRatio(0.15).rateLimitRatio(0.15).connectionResetRatio(0.08)
                .malformedRatio(0.1).timeoutRatio(0.05).timeoutMs(2_000);
        harness = newHarness().start(config(String.join(",", TYPES), Map.of(
                OutboundHttpConfig.REQUEST_TIMEOUT_MS, "1000")));
        List<String> faults = List.of("server_error", "rate_limit", "connection_reset", "malformed", "timeout");
        List<SourceRecord> records = harness.pollUntil(everything(Set.copyOf(TYPES)), WAIT);
        // Faults are drawn per request: more rounds of activity until every kind was served at least once.
        for (int round = 0; round < 10 && !faults.stream().allMatch(this::served); round++) {
            sandbox.generator().runSteps(60);
            records = harness.pollUntil(everything(Set.copyOf(TYPES)), WAIT);
        }
        assertEverythingOnce(records, Set.copyOf(TYPES));
        for (String fault : faults) {
            assertThat(served(fault)).as(fault + " answers served").isTrue();
        }
    }

    private boolean served(String fault) {
        return !sandbox.requestLog().records(r -> fault.equals(r.fault())).isEmpty();
    }

    @Test
    void backfillStartNoneCopiesOnlyWhatChangesAfterTheFirstStart() throws Exception {
        MutableClock clock = MutableClock.system();
        clock.advance(Duration.ofHours(-1));
        sandbox(SupportSandbox.builder().seed(13).clock(clock));
        sandbox.generator().runSteps(60);
        Set<String> old = Set.copyOf(sandbox.objectIds("tickets"));
        clock.advance(Duration.ofHours(1));
        harness = newHarness().start(config("ticket", Map.of(SupportSourceConfig.BACKFILL_START, "none")));
        for (int i = 0; i < 3; i++) {
            harness.pollOnce();
        }
        sandbox.generator().runSteps(80);
        Set<String> changed = new TreeSet<>();
        for (String id : sandbox.objectIds("tickets")) {
            if (Instant.parse(sandbox.ticket(Long.parseLong(id)).get("updated_at").asText())
                    .isAfter(clock.instant().minus(Duration.ofMinutes(5)))) {
                changed.add(id);
            }
        }
        assertThat(changed).as("tickets changed after the start").isNotEmpty();
        List<SourceRecord> records = harness.pollUntil(r -> keysByType(r).getOrDefault("ticket", Set.of())
                .containsAll(changed), WAIT);
        Set<String> untouchedOld = new TreeSet<>(old);
        untouchedOld.removeAll(changed);
        assertThat(keysByType(records).get("ticket")).as("old tickets not changed since").doesNotContainAnyElementsOf(
                untouchedOld);
    }

    @Test
    void aPageWithMalformedItemsWritesThemKeyedByTheirDigestAndTheRestAsUsual() throws Exception {
        byte[] page = ("{\"tickets\":[{\"id\":1,\"updated_at\":\"2024-05-01T12:00:00Z\",\"subject\":\"fine\"},"
                + "42,{\"subject\":\"no id\",\"updated_at\":\"2024-05-01T12:00:00Z\"},"
                + "{\"id\":2,\"updated_at\":\"2024-05-01T12:00:01Z\",\"subject\":\"fine too\"}],"
                + "\"after_cursor\":\"abc\",\"after_url\":null,\"before_cursor\":null,\"before_url\":null,"
                + "\"end_of_stream\":true}").getBytes(StandardCharsets.UTF_8);
        canned = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        canned.createContext("/api/v2/incremental/tickets/cursor.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        canned.start();
        Map<String, String> p = new HashMap<>();
        p.put("name", "support-task-it");
        p.put(SupportSourceConfig.BASE_URL, "http://127.0.0.1:" + canned.getAddress().getPort());
        p.put(OutboundHttpConfig.AUTH_BASIC_USERNAME, "admin@example.com/token");
        p.put(OutboundHttpConfig.AUTH_BASIC_PASSWORD, "token");
        p.put(OutboundHttpConfig.ALLOW_LIST, "127.0.0.1");
        p.put(OutboundHttpConfig.ALLOW_PLAIN_HTTP, "127.0.0.1");
        p.put(OutboundHttpConfig.RATE_WINDOW_REQUESTS, "0");
        p.put(SupportSourceConfig.OBJECTS, "ticket");
        p.put(SupportSourceConfig.TASK_OBJECTS, "ticket");
        harness = newHarness().start(p);
        List<SourceRecord> records = harness.pollUntil(r -> r.size() >= 4, Duration.ofSeconds(30));

        assertThat(records).extracting(r -> new String((byte[]) r.value(), StandardCharsets.UTF_8)).containsExactly(
                "{\"id\":1,\"updated_at\":\"2024-05-01T12:00:00Z\",\"subject\":\"fine\"}", "42",
                "{\"subject\":\"no id\",\"updated_at\":\"2024-05-01T12:00:00Z\"}",
                "{\"id\":2,\"updated_at\":\"2024-05-01T12:00:01Z\",\"subject\":\"fine too\"}");
        assertThat(records.get(0).key()).isEqualTo("1");
        assertThat(records.get(3).key()).isEqualTo("2");
        for (SourceRecord malformed : List.of(records.get(1), records.get(2))) {
            assertThat((String) malformed.key()).matches("sha256:[0-9a-f]{64}");
            assertThat(header(malformed, RawHeader.EVENT_ID.key())).isEqualTo(malformed.key());
        }
        assertThat(records.get(3).sourceOffset().get("cursor")).as("the page's last record carries the next cursor")
                .isEqualTo("abc");
    }

    @Test
    void failsNamingTheTokenKeyWhenZendeskRejectsTheCredentials() {
        sandbox(SupportSandbox.builder());
        harness = newHarness().start(config("ticket", Map.of(OutboundHttpConfig.AUTH_BASIC_PASSWORD,
                "RotatedAwayToken")));
        assertThatThrownBy(() -> harness.pollUntil(r -> false, WAIT)).isInstanceOf(ConnectException.class)
                .hasMessageContaining("fix 'auth.basic.password'").hasMessageNotContaining("RotatedAwayToken");
    }

    @Test
    void failsNamingTheAllowListWhenTheDeskIsAnInternalAddressNotListed() {
        sandbox(SupportSandbox.builder());
        Map<String, String> p = config("ticket", Map.of());
        p.remove(OutboundHttpConfig.ALLOW_LIST);
        assertThatThrownBy(() -> newHarness().start(p)).hasMessageContaining("outbound.allow.list");
    }
}
