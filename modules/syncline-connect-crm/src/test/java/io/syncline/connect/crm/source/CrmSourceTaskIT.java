package io.syncline.connect.crm.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.connect.common.OutboundHttpConfig;
import io.syncline.raw.RawHeader;
import io.syncline.sandbox.core.MutableClock;
import io.syncline.sandbox.crm.CrmSandbox;
import io.syncline.testsupport.connect.SourceTaskHarness;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CrmSourceTask} against the real CRM sandbox over HTTP, driven as a worker drives it
 * ({@link SourceTaskHarness}): backfill then search, associations, archived objects as deletes, merged ids retired,
 * a burst of changes in one millisecond beyond a page, a backlog beyond search's result cap, search's own rate
 * limit, a restart mid-backfill, faults, OAuth2 with rotating refresh tokens, and the failures that must stop the
 * task. Every check is by id, against what the sandbox's own API says.
 */
class CrmSourceTaskIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private CrmSandbox sandbox;
    private MutableClock clock;
    private SourceTaskHarness<CrmSourceTask> harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    /**
     * A sandbox whose first {@code steps} of activity happened an hour ago: the backfill sees them, the incremental
     * reading (from t0, the server clock minus ten seconds) does not need to. Afterwards the sandbox clock runs with
     * the real one, which the server's Date header shows.
     */
    private CrmSandbox sandboxWithHistory(long seed, int steps, CrmSandbox.Builder builder) {
        clock = MutableClock.system();
        clock.advance(Duration.ofHours(-1));
        sandbox = builder.port(0).seed(seed).clock(clock).tenSecondlyLimit(0).searchRequestsPerSecond(0).build()
                .start();
        sandbox.generator().runSteps(steps);
        clock.advance(Duration.ofHours(1));
        return sandbox;
    }

    private Map<String, String> config(String objects, Map<String, String> overrides) {
        Map<String, String> p = new HashMap<>();
        p.put("name", "crm-task-it");
        p.put(CrmSourceConfig.BASE_URL, sandbox.url());
        p.put(OutboundHttpConfig.AUTH_BEARER_TOKEN, sandbox.privateAppToken());
        p.put(OutboundHttpConfig.ALLOW_LIST, "127.0.0.1");
        p.put(OutboundHttpConfig.ALLOW_PLAIN_HTTP, "127.0.0.1");
        p.put(CrmSourceConfig.POLL_INTERVAL_MS, "200");
        p.put(CrmSourceConfig.ARCHIVED_POLL_INTERVAL_MS, "500");
        p.put(CrmSourceConfig.SEARCH_LAG_MS, "100");
        p.put(CrmSourceConfig.PAGE_SIZE, "7");
        p.put(CrmSourceConfig.SEARCH_PAGE_SIZE, "20");
        p.put(CrmSourceConfig.SEARCH_RATE_PER_SECOND, "100");
        p.put(OutboundHttpConfig.RATE_WINDOW_REQUESTS, "0");
        p.put(OutboundHttpConfig.RATE_PER_SECOND, "1000");
        p.put(OutboundHttpConfig.RATE_BURST, "1000");
        p.put(OutboundHttpConfig.RETRY_BACKOFF_INITIAL_MS, "20");
        p.put(OutboundHttpConfig.RETRY_BACKOFF_MAX_MS, "200");
        p.put(CrmSourceConfig.OBJECTS, objects);
        p.put(CrmSourceConfig.TASK_OBJECTS, objects);
        p.putAll(overrides);
        return p;
    }

    private SourceTaskHarness<CrmSourceTask> start(Map<String, String> config) {
        harness = new SourceTaskHarness<>(CrmSourceTask::new).start(config);
        return harness;
    }

    // ------------------------------------------------------------------ record helpers

    private static String header(SourceRecord r, String name) {
        return (String) r.headers().lastWithName(name).value();
    }

    private static String eventId(SourceRecord r) {
        return header(r, RawHeader.EVENT_ID.key());
    }

    private static JsonNode json(SourceRecord r) {
        try {
            return JSON.readTree((byte[]) r.value());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String((byte[]) r.value()), e);
        }
    }

    private static String phase(SourceRecord r) {
        return String.valueOf(r.sourceOffset().get("phase"));
    }

    private static List<SourceRecord> topic(List<SourceRecord> records, CrmObjectType type) {
        return records.stream().filter(r -> r.topic().equals("raw.hubspot." + type.singular())).toList();
    }

    /** The last record of each key in a topic. */
    private static Map<String, SourceRecord> latest(List<SourceRecord> records, CrmObjectType type) {
        Map<String, SourceRecord> out = new LinkedHashMap<>();
        topic(records, type).forEach(r -> out.put((String) r.key(), r));
        return out;
    }

    /**
     * Whether every live object of {@code type} is delivered in the version the sandbox holds now (read through the
     * sandbox's Java API, which no fault touches).
     */
    private Predicate<List<SourceRecord>> current(CrmObjectType type) {
        return records -> {
            Map<String, SourceRecord> latest = latest(records, type);
            Map<String, String> merged = sandbox.mergedIds(type.path());
            for (String id : sandbox.objectIds(type.path())) {
                JsonNode o = sandbox.object(type.path(), id);
                if (o.get("archived").asBoolean() || merged.containsKey(id)) {
                    continue;
                }
                SourceRecord r = latest.get(id);
                if (r == null || !json(r).get("updatedAt").asText().equals(o.get("updatedAt").asText())) {
                    return false;
                }
            }
            return true;
        };
    }

    /** Polls until every stream of the task reads changes (the backfill is done). */
    private void awaitIncremental() throws InterruptedException {
        harness.pollUntil(rs -> harness.task().streams().stream()
                .allMatch(s -> s.position() instanceof SourceOffset.Incremental), WAIT);
    }

    /** Event ids delivered more than once by the incremental reading (backfill overlap aside). */
    private static Map<String, Long> incrementalRepeats(List<SourceRecord> records) {
        return records.stream().filter(r -> phase(r).equals("incremental"))
                .collect(Collectors.groupingBy(r -> r.topic() + "/" + eventId(r), TreeMap::new,
                        Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private void postJson(String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(sandbox.url() + path))
                .header("Authorization", "Bearer " + sandbox.privateAppToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isBetween(200, 299);
    }

    /** Creates {@code n} contacts through batch/create, 100 at a time. */
    private void createContacts(int n, String prefix) throws Exception {
        for (int from = 0; from < n; from += 100) {
            StringBuilder body = new StringBuilder("{\"inputs\":[");
            for (int i = from; i < Math.min(n, from + 100); i++) {
                body.append(i == from ? "" : ",").append("{\"properties\":{\"email\":\"").append(prefix).append(i)
                        .append("@burst.example\",\"firstname\":\"B").append(i).append("\"}}");
            }
            postJson("/crm/v3/objects/contacts/batch/create", body + "]}");
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void backfillsThenFollowsChangesWithAssociationsDeletesAndMerges() throws Exception {
        sandboxWithHistory(7, 250, CrmSandbox.builder());
        start(config("contact,company,deal", Map.of()));
        harness.pollUntil(current(CrmObjectType.CONTACT).and(current(CrmObjectType.COMPANY))
                .and(current(CrmObjectType.DEAL)), WAIT);
        assertThat(harness.delivered()).as("the backfill wrote the history").allMatch(r -> phase(r).equals("backfill")
                || phase(r).equals("incremental"));

        // Activity now: the incremental reading follows it (new objects, changes, associations, archives, merges).
        Instant changesFrom = clock.instant();
        sandbox.generator().runSteps(300);
        harness.pollUntil(current(CrmObjectType.CONTACT).and(current(CrmObjectType.COMPANY))
                .and(current(CrmObjectType.DEAL)), WAIT);
        List<SourceRecord> records = harness.delivered();

        // Associations: every contact's companies and every deal's contacts and companies as the API lists them.
        for (CrmObjectType type : List.of(CrmObjectType.CONTACT, CrmObjectType.DEAL)) {
            List<CrmObjectType> to = type == CrmObjectType.CONTACT ? List.of(CrmObjectType.COMPANY)
                    : List.of(CrmObjectType.CONTACT, CrmObjectType.COMPANY);
            Map<String, JsonNode> expected = CrmSandboxReader.objects(sandbox, type, List.of("hs_object_id"), to,
                    false);
            Map<String, SourceRecord> latest = latest(records, type);
            for (JsonNode o : expected.values()) {
                JsonNode written = json(latest.get(o.get("id").asText()));
                for (CrmObjectType t : to) {
                    assertThat(CrmSandboxReader.associatedIds(written, t)).as(type.singular() + " "
                            + o.get("id").asText() + " associations to " + t.path())
                            .isEqualTo(CrmSandboxReader.associatedIds(o, t));
                }
            }
            assertThat(latest.values()).as("some " + type.path() + " have associations")
                    .anyMatch(r -> json(r).has("associations"));
        }
        // The primary company first, as HubSpot lists it (the mapping reads results/0).
        Map<String, JsonNode> withCompany = CrmSandboxReader.objects(sandbox, CrmObjectType.CONTACT,
                List.of("associatedcompanyid"), List.of(CrmObjectType.COMPANY), false);
        for (JsonNode o : withCompany.values()) {
            if (!o.get("properties").path("associatedcompanyid").isNull()) {
                JsonNode written = json(latest(records, CrmObjectType.CONTACT).get(o.get("id").asText()));
                assertThat(written.at("/associations/companies/results/0/id").asText())
                        .isEqualTo(o.get("properties").get("associatedcompanyid").asText());
                assertThat(written.at("/associations/companies/results/0/type").asText())
                        .isEqualTo("contact_to_company");
            }
        }

        // Deletes: every object archived since the changes began, as an archived record.
        for (CrmObjectType type : CrmObjectType.values()) {
            Map<String, JsonNode> archived = CrmSandboxReader.objects(sandbox, type, List.of("hs_object_id"),
                    List.of(), true);
            List<String> since = archived.values().stream()
                    .filter(o -> Instant.parse(o.get("archivedAt").asText()).isAfter(changesFrom))
                    .map(o -> o.get("id").asText()).toList();
            harness.pollUntil(rs -> since.stream().allMatch(id -> latest(rs, type).containsKey(id)
                    && json(latest(rs, type).get(id)).get("archived").asBoolean()), WAIT);
            for (String id : since) {
                assertThat(eventId(latest(harness.delivered(), type).get(id))).startsWith(id + "@archived:");
            }
        }
        assertThat(CrmSandboxReader.objects(sandbox, CrmObjectType.CONTACT, List.of("hs_object_id"), List.of(), true))
                .as("the activity archived contacts").isNotEmpty();

        // Merges: every merged-away contact id retired, naming the contact it became.
        Map<String, String> merged = sandbox.mergedIds("contacts");
        assertThat(merged).as("the activity merged contacts").isNotEmpty();
        Map<String, JsonNode> live = CrmSandboxReader.objects(sandbox, CrmObjectType.CONTACT, List.of("hs_object_id"),
                List.of(), false);
        harness.pollUntil(rs -> merged.entrySet().stream().filter(e -> live.containsKey(e.getValue()))
                .allMatch(e -> latest(rs, CrmObjectType.CONTACT).containsKey(e.getKey())), WAIT);
        merged.forEach((losing, survivor) -> {
            if (live.containsKey(survivor)) {
                SourceRecord r = latest(harness.delivered(), CrmObjectType.CONTACT).get(losing);
                assertThat(json(r).get("archived").asBoolean()).isTrue();
                assertThat(eventId(r)).startsWith(losing + "@merged-into:");
                assertThat(json(r).get("mergedIntoObjectId").asText()).isNotEqualTo(losing);
            }
        });

        assertThat(incrementalRepeats(harness.delivered())).as("versions written twice by the incremental reading")
                .isEmpty();
        assertThat(harness.delivered()).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(json(r).get("id").asText());
            for (RawHeader h : RawHeader.onEveryRecordHeaders()) {
                assertThat(r.headers().lastWithName(h.key())).as(h.key()).isNotNull();
            }
            assertThat(header(r, RawHeader.SOURCE.key())).isEqualTo("hubspot-api:crm-task-it");
        });
    }

    @Test
    void aBurstInOneMillisecondBeyondAPageIsReadOnceEach() throws Exception {
        sandboxWithHistory(11, 20, CrmSandbox.builder());
        start(config("contact", Map.of()));
        awaitIncremental();
        int before = harness.delivered().size();

        // 130 contacts created in the same millisecond: more than six search pages at one time.
        clock.set(Instant.now().minusSeconds(2));
        createContacts(130, "tie");
        clock.tick();
        harness.pollUntil(current(CrmObjectType.CONTACT), WAIT);

        List<SourceRecord> burst = harness.delivered().subList(before, harness.delivered().size()).stream()
                .filter(r -> json(r).at("/properties/email").asText("").startsWith("tie")).toList();
        assertThat(burst).hasSize(130);
        assertThat(burst.stream().map(r -> json(r).get("updatedAt").asText()).distinct()).hasSize(1);
        assertThat(burst.stream().map(SourceRecord::key).distinct()).hasSize(130);
        assertThat(incrementalRepeats(harness.delivered())).isEmpty();
    }

    @Test
    void aBacklogLargerThanSearchsResultCapIsReadCompletely() throws Exception {
        sandboxWithHistory(12, 10, CrmSandbox.builder().searchResultCap(50));
        start(config("contact", Map.of()));
        awaitIncremental();

        // 400 changes, eight times the cap, while the task is busy elsewhere (not polled): one backlog.
        createContacts(400, "backlog");
        harness.pollUntil(current(CrmObjectType.CONTACT), WAIT);
        assertThat(harness.delivered().stream().filter(r -> json(r).at("/properties/email").asText("")
                .startsWith("backlog")).map(SourceRecord::key).distinct()).hasSize(400);
        assertThat(sandbox.requestLog().records(r -> r.status() == 400)).as("no search paged past the cap")
                .isEmpty();
    }

    @Test
    void searchesStayWithinSearchsOwnRateLimit() throws Exception {
        clock = MutableClock.system();
        sandbox = CrmSandbox.builder().port(0).seed(13).clock(clock).tenSecondlyLimit(0).searchRequestsPerSecond(3)
                .build().start();
        start(config("contact", Map.of(CrmSourceConfig.SEARCH_RATE_PER_SECOND, "2",
                CrmSourceConfig.SEARCH_PAGE_SIZE, "10", CrmSourceConfig.POLL_INTERVAL_MS, "100")));
        awaitIncremental();
        createContacts(120, "rate");
        long searchesBefore = sandbox.requestLog().records(r -> r.path().endsWith("/search")).size();
        harness.pollUntil(current(CrmObjectType.CONTACT), WAIT);
        assertThat(sandbox.requestLog().records(r -> r.path().endsWith("/search")).size() - searchesBefore)
                .as("the backlog took many searches").isGreaterThan(12);
        assertThat(sandbox.requestLog().records(r -> r.status() == 429)).as("searches refused by HubSpot's "
                + "secondly limit").isEmpty();
    }

    @Test
    void aRestartMidBackfillResumesFromTheCommittedCursor() throws Exception {
        sandboxWithHistory(14, 200, CrmSandbox.builder());
        start(config("contact", Map.of(CrmSourceConfig.PAGE_SIZE, "5")));
        harness.pollUntil(rs -> rs.size() >= 20, WAIT);
        Map<String, ?> committed = harness.committed(SourceOffset.partition(CrmObjectType.CONTACT));
        assertThat(committed.get("phase")).isEqualTo("backfill");
        assertThat(committed.get("after")).isNotNull();
        int before = sandbox.requestLog().records(r -> r.query() != null && r.query().contains("after="
                + committed.get("after"))).size();

        harness.restart();
        harness.pollUntil(current(CrmObjectType.CONTACT), WAIT);
        assertThat(sandbox.requestLog().records(r -> r.query() != null && r.query().contains("after="
                + committed.get("after"))).size()).as("the restarted task went on from the committed cursor")
                .isGreaterThan(before);
        Map<String, Long> counts = harness.delivered().stream().filter(r -> phase(r).equals("backfill")
                || eventId(r).contains("@")).collect(Collectors.groupingBy(CrmSourceTaskIT::eventId,
                Collectors.counting()));
        assertThat(counts.entrySet().stream().filter(e -> e.getValue() > 1).toList())
                .as("with offsets committed per poll, nothing is written twice").isEmpty();
    }

    @Test
    void keepsReadingThroughRateLimitsServerErrorsAndMalformedBodies() throws Exception {
        sandboxWithHistory(15, 120, CrmSandbox.builder());
        sandbox.faults().rateLimitRatio(0.2).serverErrorRatio(0.15).malformedRatio(0.1);
        start(config("contact,company,deal", Map.of(CrmSourceConfig.PAGE_SIZE, "10")));
        sandbox.generator().runSteps(100);
        harness.pollUntil(current(CrmObjectType.CONTACT).and(current(CrmObjectType.COMPANY))
                .and(current(CrmObjectType.DEAL)), WAIT);
        assertThat(sandbox.requestLog().records(r -> r.fault() != null)).as("faults served").isNotEmpty();
    }

    @Test
    void readsWithOAuth2AcrossExpiringAccessTokensAndRotatingRefreshTokens() throws Exception {
        // The test reads the sandbox with its private-app token; the connector uses OAuth2 alone.
        sandboxWithHistory(16, 80, CrmSandbox.builder().accessTokenTtl(Duration.ofSeconds(1))
                .rotateRefreshTokens(true));
        String refresh = sandbox.oauth().issueRefreshToken();
        Map<String, String> config = new HashMap<>(config("contact", Map.of()));
        config.remove(OutboundHttpConfig.AUTH_BEARER_TOKEN);
        config.put(OutboundHttpConfig.AUTH_TYPE, "oauth2");
        config.put(OutboundHttpConfig.OAUTH2_TOKEN_URL, sandbox.url() + "/oauth/v1/token");
        config.put(OutboundHttpConfig.OAUTH2_CLIENT_ID, sandbox.clientId());
        config.put(OutboundHttpConfig.OAUTH2_CLIENT_SECRET, sandbox.clientSecret());
        config.put(OutboundHttpConfig.OAUTH2_REFRESH_TOKEN, refresh);
        start(config);
        harness.pollUntil(current(CrmObjectType.CONTACT), WAIT);
        awaitIncremental();
        // Access tokens live a second, but a fast machine reads the whole backfill within it: expire them
        // explicitly so that reading the changes needs a refresh, with the rotated refresh token.
        int refreshesBefore = sandbox.requestLog().records(r -> r.path().equals("/oauth/v1/token")).size();
        sandbox.oauth().expireAccessTokens();
        sandbox.generator().runSteps(60);
        harness.pollUntil(current(CrmObjectType.CONTACT), WAIT);
        assertThat(sandbox.requestLog().records(r -> r.path().equals("/oauth/v1/token")).size())
                .as("token refreshes after the access tokens expired").isGreaterThan(refreshesBefore);
    }

    @Test
    void aRejectedTokenFailsTheTaskNamingItsKeyWithoutTheToken() throws Exception {
        sandboxWithHistory(17, 10, CrmSandbox.builder());
        String wrong = "pat-na1-99999999-9999-4999-8999-999999999999";
        start(config("contact", Map.of(OutboundHttpConfig.AUTH_BEARER_TOKEN, wrong)));
        assertThatThrownBy(() -> harness.pollUntil(rs -> false, WAIT)).isInstanceOf(ConnectException.class)
                .hasMessageContaining("auth.bearer.token").hasMessageNotContaining(wrong);
    }

    @Test
    void aBaseUrlThatIsNotHubSpotFailsTheTaskSayingRetryingCannotHelp() throws Exception {
        sandboxWithHistory(18, 10, CrmSandbox.builder());
        start(config("contact", Map.of(CrmSourceConfig.BASE_URL, sandbox.url() + "/nothing-here")));
        assertThatThrownBy(() -> harness.pollUntil(rs -> false, WAIT)).isInstanceOf(ConnectException.class)
                .hasMessageContaining("retrying cannot help").hasMessageContaining("/nothing-here/crm/v3/objects");
    }

    @Test
    void anOffsetItDidNotWriteFailsTheTaskNamingTheType() throws Exception {
        sandboxWithHistory(19, 10, CrmSandbox.builder());
        harness = new SourceTaskHarness<>(CrmSourceTask::new);
        harness.commit(SourceOffset.partition(CrmObjectType.DEAL), Map.of("phase", "sideways"));
        assertThatThrownBy(() -> harness.start(config("deal", Map.of()))).isInstanceOf(ConnectException.class)
                .hasMessageContaining("offset of deal").hasMessageContaining("unknown phase 'sideways'");
    }
}
