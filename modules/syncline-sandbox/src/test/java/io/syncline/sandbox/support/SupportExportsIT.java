package io.syncline.sandbox.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.syncline.sandbox.core.MutableClock;
import io.syncline.sandbox.testing.HttpTestClient;

class SupportExportsIT {

    private static final long START = Zendesk.T0.getEpochSecond() - 3600;

    private MutableClock clock;
    private SupportSandbox zendesk;
    private HttpTestClient api;

    @BeforeEach
    void start() {
        clock = MutableClock.fixedAt(Zendesk.T0);
        zendesk = Zendesk.standing(clock).seed(5).build().start();
        api = Zendesk.client(zendesk);
    }

    @AfterEach
    void stop() {
        zendesk.close();
    }

    private String path(String url) {
        return url.substring(zendesk.url().length());
    }

    /** Creates {@code n} tickets, {@code perSecond} of them in each second of the sandbox clock. */
    private void tickets(int n, int perSecond) throws Exception {
        for (int i = 0; i < n; i++) {
            if (i > 0 && i % perSecond == 0) {
                clock.advance(Duration.ofSeconds(1));
            }
            HttpTestClient.Response r = api.postJson("/api/v2/tickets.json", "{\"ticket\":{\"subject\":\"t" + i
                    + "\",\"comment\":{\"body\":\"b\"}}}");
            assertThat(r.status()).isEqualTo(201);
        }
    }

    @Test
    void timeBasedPagesHoldAThousandAndRepeatTheItemsOfTheEdgeSecond() throws Exception {
        tickets(2500, 7);
        clock.advance(Duration.ofMinutes(2));
        Map<Long, Integer> seen = new HashMap<>();
        List<Integer> sizes = new ArrayList<>();
        String next = "/api/v2/incremental/tickets.json?start_time=" + START;
        long previousEnd = -1;
        int repeatedAtEdges = 0;
        while (true) {
            JsonNode page = api.get(next).json();
            sizes.add(page.get("count").asInt());
            long endTime = page.get("end_time").asLong();
            for (JsonNode t : page.get("tickets")) {
                if (seen.merge(t.get("id").asLong(), 1, Integer::sum) > 1) {
                    repeatedAtEdges++;
                    assertThat(t.get("generated_timestamp").asLong()).isEqualTo(previousEnd);
                }
            }
            JsonNode lastTicket = page.get("tickets").get(page.get("tickets").size() - 1);
            assertThat(endTime).isEqualTo(lastTicket.get("generated_timestamp").asLong());
            assertThat(page.get("next_page").asText()).endsWith("start_time=" + endTime);
            if (page.get("end_of_stream").asBoolean()) {
                break;
            }
            previousEnd = endTime;
            next = path(page.get("next_page").asText());
        }
        assertThat(seen).hasSize(2500);
        assertThat(sizes.subList(0, 2)).containsOnly(1000);
        assertThat(sizes.get(sizes.size() - 1)).isLessThan(1000);
        // 1000 = 142 * 7 + 6: the edge second of each full page comes again on the next page.
        assertThat(repeatedAtEdges).isEqualTo(2 * 6);
    }

    @Test
    void aFullPageWithinOneSecondTakesTheWholeSecondSoTheNextPageMovesOn() throws Exception {
        tickets(1200, 1200);
        clock.advance(Duration.ofSeconds(1));
        tickets(3, 3);
        clock.advance(Duration.ofMinutes(2));
        JsonNode first = api.get("/api/v2/incremental/tickets.json?start_time=" + START).json();
        assertThat(first.get("count").asInt()).isEqualTo(1200);
        assertThat(first.get("end_of_stream").asBoolean()).isFalse();
        assertThat(first.get("end_time").asLong()).isEqualTo(Zendesk.T0.getEpochSecond() + 1);
        JsonNode second = api.get(path(first.get("next_page").asText())).json();
        assertThat(second.get("tickets")).extracting(t -> t.get("id").asLong()).containsExactly(1201L, 1202L, 1203L);
        assertThat(second.get("end_of_stream").asBoolean()).isTrue();
    }

    @Test
    void cursorExportsRepeatNothingAndTheLastCursorCatchesLaterChanges() throws Exception {
        tickets(2300, 10);
        clock.advance(Duration.ofMinutes(2));
        List<Long> seen = new ArrayList<>();
        JsonNode page = api.get("/api/v2/incremental/tickets/cursor.json?start_time=" + START).json();
        int pages = 1;
        while (true) {
            page.get("tickets").forEach(t -> seen.add(t.get("id").asLong()));
            assertThat(page.get("after_url").asText()).contains("cursor=" + page.get("after_cursor").asText());
            if (page.get("end_of_stream").asBoolean()) {
                break;
            }
            page = api.get("/api/v2/incremental/tickets/cursor.json?cursor=" + page.get("after_cursor").asText())
                    .json();
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(2300).doesNotHaveDuplicates();
        String resume = page.get("after_cursor").asText();

        // Later: one ticket changes, one is new. Both come after the stored cursor once a minute old.
        api.sendJson("PUT", "/api/v2/tickets/5.json", "{\"ticket\":{\"status\":\"open\"}}", Map.of());
        api.postJson("/api/v2/tickets.json", "{\"ticket\":{\"subject\":\"new\",\"comment\":{\"body\":\"b\"}}}");
        JsonNode tooSoon = api.get("/api/v2/incremental/tickets/cursor.json?cursor=" + resume).json();
        assertThat(tooSoon.get("tickets")).isEmpty();
        assertThat(tooSoon.get("end_of_stream").asBoolean()).isTrue();
        clock.advance(Duration.ofSeconds(61));
        JsonNode later = api.get("/api/v2/incremental/tickets/cursor.json?cursor=" + tooSoon.get("after_cursor")
                .asText()).json();
        assertThat(later.get("tickets")).extracting(t -> t.get("id").asLong()).containsExactly(5L, 2301L);
        assertThat(later.get("tickets").get(0).get("status").asText()).isEqualTo("open");
        assertThat(api.get("/api/v2/incremental/tickets/cursor.json?start_time=" + START + "&per_page=2").json()
                .get("tickets")).hasSize(2);
    }

    @Test
    void usersOrganizationsAndTicketEventsExport() throws Exception {
        long org = api.postJson("/api/v2/organizations.json", "{\"organization\":{\"name\":\"Gone Inc\"}}").json()
                .at("/organization/id").asLong();
        long user = api.postJson("/api/v2/users.json", "{\"user\":{\"name\":\"U\",\"email\":\"u@example.com\"}}")
                .json().at("/user/id").asLong();
        long ticket = api.postJson("/api/v2/tickets.json", "{\"ticket\":{\"subject\":\"s\",\"comment\":{\"body\":"
                + "\"first\"},\"requester_id\":" + user + "}}").json().at("/ticket/id").asLong();
        clock.advance(Duration.ofSeconds(10));
        api.sendJson("PUT", "/api/v2/tickets/" + ticket + ".json", "{\"ticket\":{\"status\":\"pending\","
                + "\"comment\":{\"body\":\"reply\"}}}", Map.of());
        api.delete("/api/v2/organizations/" + org + ".json");
        clock.advance(Duration.ofMinutes(2));

        JsonNode users = api.get("/api/v2/incremental/users/cursor.json?start_time=" + START).json();
        assertThat(users.get("users")).extracting(u -> u.get("id").asLong()).containsExactly(zendesk.adminUserId(),
                user);
        JsonNode usersByTime = api.get("/api/v2/incremental/users.json?start_time=" + START).json();
        assertThat(usersByTime.get("count").asInt()).isEqualTo(2);
        JsonNode orgs = api.get("/api/v2/incremental/organizations.json?start_time=" + START).json();
        assertThat(orgs.at("/organizations/0/deleted_at").asText()).isEqualTo("2024-05-01T12:00:10Z");

        JsonNode events = api.get("/api/v2/incremental/ticket_events.json?start_time=" + START
                + "&include=comment_events").json();
        assertThat(events.get("ticket_events")).hasSize(2);
        JsonNode change = events.get("ticket_events").get(1);
        assertThat(change.get("ticket_id").asLong()).isEqualTo(ticket);
        assertThat(change.get("event_type").asText()).isEqualTo("Audit");
        assertThat(change.get("child_events").findValuesAsText("event_type")).containsExactly("Comment", "Change");
        assertThat(change.get("child_events").get(1).get("status").asText()).isEqualTo("pending");
        assertThat(change.get("child_events").get(1).get("previous_value").asText()).isEqualTo("new");
        JsonNode withoutComments = api.get("/api/v2/incremental/ticket_events.json?start_time=" + START).json();
        assertThat(withoutComments.at("/ticket_events/1/child_events").findValuesAsText("event_type"))
                .containsExactly("Change");
        assertThat(api.get("/api/v2/incremental/tickets/sample.json?start_time=" + START).json().get("count")
                .asInt()).isEqualTo(1);
    }

    @Test
    void theLastMinuteIsLeftOutAndATooRecentStartIsRefused() throws Exception {
        tickets(3, 3);
        JsonNode now = api.get("/api/v2/incremental/tickets.json?start_time=" + START).json();
        assertThat(now.get("count").asInt()).isZero();
        assertThat(now.get("end_time").asLong()).isEqualTo(Zendesk.T0.getEpochSecond() - 60);
        assertThat(now.get("end_of_stream").asBoolean()).isTrue();
        HttpTestClient.Response recent = api.get("/api/v2/incremental/tickets.json?start_time="
                + Zendesk.T0.getEpochSecond());
        assertThat(recent.status()).isEqualTo(422);
        assertThat(recent.json().get("description").asText()).startsWith("Too recent start_time");
        assertThat(api.get("/api/v2/incremental/tickets.json").status()).isEqualTo(400);
        assertThat(api.get("/api/v2/incremental/tickets/cursor.json?cursor=garbage").status()).isEqualTo(400);
        clock.advance(Duration.ofSeconds(60));
        assertThat(api.get(path(now.get("next_page").asText())).json().get("count").asInt()).isEqualTo(3);
    }

    @Test
    void exportsHaveTheirOwnTenPerMinuteLimit() throws Exception {
        zendesk.close();
        zendesk = SupportSandbox.builder().clock(clock).seed(5).build().start();
        api = Zendesk.client(zendesk);
        String url = "/api/v2/incremental/tickets/cursor.json?start_time=" + START;
        for (int i = 0; i < 10; i++) {
            assertThat(api.get(url).status()).isEqualTo(200);
        }
        HttpTestClient.Response limited = api.get(url);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(limited.header("Content-Type")).startsWith("text/plain");
        assertThat(limited.raw()).isEqualTo("Number of allowed API requests per minute exceeded");
        // The rest of the API is not held back by the export limit.
        assertThat(api.get("/api/v2/tickets.json").status()).isEqualTo(200);
        assertThat(zendesk.requestLog().records(r -> "rate_limited".equals(r.fault()))).hasSize(1);
    }
}
