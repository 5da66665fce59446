package io.syncline.sandbox.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.syncline.sandbox.core.MutableClock;
import io.syncline.sandbox.testing.HttpTestClient;

class SupportPagingIT {

    private SupportSandbox zendesk;
    private HttpTestClient api;

    @BeforeEach
    void start() throws Exception {
        zendesk = Zendesk.standing(MutableClock.fixedAt(Zendesk.T0)).seed(3).build().start();
        api = Zendesk.client(zendesk);
        for (int i = 0; i < 7; i++) {
            api.postJson("/api/v2/tickets.json", "{\"ticket\":{\"subject\":\"t" + i + "\",\"comment\":{\"body\":\"c"
                    + i + "\"}}}");
        }
    }

    @AfterEach
    void stop() {
        zendesk.close();
    }

    private String path(String url) {
        return url.substring(zendesk.url().length());
    }

    @Test
    void offsetPagesFollowNextPageAndCountTheTotal() throws Exception {
        List<Long> seen = new ArrayList<>();
        String next = "/api/v2/tickets.json?per_page=3";
        int pages = 0;
        while (next != null) {
            JsonNode page = api.get(next).json();
            assertThat(page.get("count").asInt()).isEqualTo(7);
            page.get("tickets").forEach(t -> seen.add(t.get("id").asLong()));
            if (pages == 1) {
                assertThat(page.get("previous_page").asText()).contains("per_page=3").containsPattern("[?&]page=1");
            }
            next = page.get("next_page").isNull() ? null : path(page.get("next_page").asText());
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        // per_page above 100 is capped, as Zendesk does.
        assertThat(api.get("/api/v2/tickets.json?per_page=500").json().get("tickets")).hasSize(7);
    }

    @Test
    void cursorPagesFollowLinksNextUntilHasMoreIsFalse() throws Exception {
        List<Long> seen = new ArrayList<>();
        String next = "/api/v2/tickets.json?page[size]=3";
        List<Boolean> hasMore = new ArrayList<>();
        JsonNode last = null;
        while (next != null) {
            JsonNode page = api.get(next).json();
            assertThat(page.has("count")).isFalse();
            page.get("tickets").forEach(t -> seen.add(t.get("id").asLong()));
            hasMore.add(page.at("/meta/has_more").asBoolean());
            last = page;
            next = page.at("/meta/has_more").asBoolean() ? path(page.at("/links/next").asText()) : null;
        }
        assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(hasMore).containsExactly(true, true, false);
        // The last page still links onwards (as Zendesk does); that page is empty with null cursors.
        JsonNode beyond = api.get(path(last.at("/links/next").asText())).json();
        assertThat(beyond.get("tickets")).isEmpty();
        assertThat(beyond.at("/meta/has_more").asBoolean()).isFalse();
        assertThat(beyond.at("/meta/after_cursor").isNull()).isTrue();
        assertThat(beyond.at("/links/next").isNull()).isTrue();
        // page[before] walks back to the page nearest the cursor.
        JsonNode prev = api.get(path(last.at("/links/prev").asText())).json();
        assertThat(prev.get("tickets")).extracting(t -> t.get("id").asLong()).containsExactly(4L, 5L, 6L);
        assertThat(prev.at("/meta/has_more").asBoolean()).isTrue();
    }

    @Test
    void aCursorWalkSeesEveryTicketThatExistedOnceWhileNewOnesArrive() throws Exception {
        Set<Long> seen = new LinkedHashSet<>();
        String next = "/api/v2/tickets.json?page[size]=2";
        int created = 0;
        while (next != null) {
            JsonNode page = api.get(next).json();
            page.get("tickets").forEach(t -> assertThat(seen.add(t.get("id").asLong())).isTrue());
            api.postJson("/api/v2/tickets.json", "{\"ticket\":{\"subject\":\"late\",\"comment\":{\"body\":\"x\"}}}");
            created++;
            next = page.at("/meta/has_more").asBoolean() ? path(page.at("/links/next").asText()) : null;
        }
        assertThat(seen).contains(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(created).isGreaterThan(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"page[size]=0", "page[size]=101", "page[size]=x", "page[after]=bm9wZQ==",
        "per_page=0", "page=0"})
    void badPagingParametersAre400(String query) throws Exception {
        HttpTestClient.Response r = api.get("/api/v2/tickets.json?" + query);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("InvalidPaginationParameter");
        assertThat(r.json().get("description").asText()).contains(query.substring(0, query.indexOf('=')));
    }

    @Test
    void commentsUsersAndOrganizationsPageTheSameWay() throws Exception {
        for (int i = 0; i < 3; i++) {
            api.sendJson("PUT", "/api/v2/tickets/1.json", "{\"ticket\":{\"comment\":{\"body\":\"r" + i + "\"}}}",
                    java.util.Map.of());
            api.postJson("/api/v2/organizations.json", "{\"organization\":{\"name\":\"O" + i + "\"}}");
        }
        JsonNode first = api.get("/api/v2/tickets/1/comments.json?page[size]=2").json();
        assertThat(first.get("comments")).extracting(c -> c.get("body").asText()).containsExactly("c0", "r0");
        JsonNode second = api.get(path(first.at("/links/next").asText())).json();
        assertThat(second.get("comments")).extracting(c -> c.get("body").asText()).containsExactly("r1", "r2");
        assertThat(second.at("/meta/has_more").asBoolean()).isFalse();
        JsonNode orgs = api.get("/api/v2/organizations.json?per_page=2").json();
        assertThat(orgs.get("count").asInt()).isEqualTo(3);
        assertThat(orgs.get("next_page").asText()).contains("page=2");
        assertThat(api.get("/api/v2/users.json?page[size]=1&role=admin").json().get("users")).hasSize(1);
    }
}
