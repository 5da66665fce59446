package io.syncline.sandbox.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.syncline.sandbox.core.MutableClock;
import io.syncline.sandbox.testing.HttpTestClient;
import io.syncline.sandbox.testing.HttpTestClient.Response;

/** {@code POST /crm/v3/objects/{type}/search}: operators, groups, sorting, paging and HubSpot's limits. */
class CrmSearchIT {

    private static final Instant T0 = Instant.parse("2026-02-01T09:00:00Z");
    private static final MutableClock CLOCK = MutableClock.fixedAt(T0);
    private static CrmSandbox crm;
    private static HttpTestClient api;
    private static final List<String> DEALS = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        crm = CrmSandbox.builder().seed(13).clock(CLOCK).tenSecondlyLimit(0).searchRequestsPerSecond(0).build()
                .start();
        api = new HttpTestClient(crm.url()).bearer(crm.privateAppToken());
        // Five deals, one minute apart, amounts 100..500; the third without a closedate.
        for (int i = 1; i <= 5; i++) {
            String closedate = i == 3 ? "" : ",\"closedate\":\"2026-03-0" + i + "\"";
            Response r = api.postJson("/crm/v3/objects/deals", "{\"properties\":{\"dealname\":\"Deal " + i
                    + "\",\"amount\":\"" + (i * 100) + "\",\"dealstage\":\"" + (i % 2 == 0 ? "closedwon"
                    : "appointmentscheduled") + "\"" + closedate + "}}");
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
            DEALS.add(r.json().get("id").asText());
            CLOCK.advance(Duration.ofMinutes(1));
        }
    }

    @AfterAll
    static void stop() {
        crm.close();
    }

    private static List<String> ids(String type, String body) throws Exception {
        Response r = api.postJson("/crm/v3/objects/" + type + "/search", body);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        r.json().get("results").forEach(o -> ids.add(o.get("id").asText()));
        return ids;
    }

    private static String filter(String property, String operator, String valueJson) {
        return "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"" + property + "\",\"operator\":\"" + operator
                + "\"" + valueJson + "}]}],\"limit\":100}";
    }

    private static List<String> deals(int... oneBased) {
        List<String> out = new ArrayList<>();
        for (int i : oneBased) {
            out.add(DEALS.get(i - 1));
        }
        return out;
    }

    @Test
    void comparisonOperatorsOnNumbersDatesAndText() throws Exception {
        long t2 = T0.plus(Duration.ofMinutes(1)).toEpochMilli();
        assertThat(ids("deals", filter("amount", "GT", ",\"value\":\"250\""))).isEqualTo(deals(3, 4, 5));
        assertThat(ids("deals", filter("amount", "LTE", ",\"value\":\"200\""))).isEqualTo(deals(1, 2));
        assertThat(ids("deals", filter("amount", "BETWEEN", ",\"value\":\"200\",\"highValue\":\"400\"")))
                .isEqualTo(deals(2, 3, 4));
        assertThat(ids("deals", filter("hs_lastmodifieddate", "GTE", ",\"value\":\"" + t2 + "\"")))
                .isEqualTo(deals(2, 3, 4, 5));
        assertThat(ids("deals", filter("hs_lastmodifieddate", "LT", ",\"value\":\"" + T0.plus(Duration.ofMinutes(2))
                + "\""))).isEqualTo(deals(1, 2));
        assertThat(ids("deals", filter("dealname", "EQ", ",\"value\":\"deal 4\""))).isEqualTo(deals(4));
        assertThat(ids("deals", filter("dealstage", "NEQ", ",\"value\":\"closedwon\""))).isEqualTo(deals(1, 3, 5));
        assertThat(ids("deals", filter("dealstage", "IN", ",\"values\":[\"closedwon\",\"closedlost\"]")))
                .isEqualTo(deals(2, 4));
        assertThat(ids("deals", filter("closedate", "NOT_HAS_PROPERTY", ""))).isEqualTo(deals(3));
        assertThat(ids("deals", filter("closedate", "HAS_PROPERTY", ""))).isEqualTo(deals(1, 2, 4, 5));
    }

    @Test
    void filterGroupsAreOredFiltersAndedAndSortsOrderWithIdTieBreak() throws Exception {
        String body = "{\"filterGroups\":["
                + "{\"filters\":[{\"propertyName\":\"amount\",\"operator\":\"GTE\",\"value\":\"400\"},"
                + "{\"propertyName\":\"dealstage\",\"operator\":\"EQ\",\"value\":\"closedwon\"}]},"
                + "{\"filters\":[{\"propertyName\":\"amount\",\"operator\":\"EQ\",\"value\":\"100\"}]}],"
                + "\"sorts\":[{\"propertyName\":\"amount\",\"direction\":\"DESCENDING\"}],\"limit\":10}";
        assertThat(ids("deals", body)).isEqualTo(deals(4, 1));
        String sortedByModified = "{\"sorts\":[{\"propertyName\":\"hs_lastmodifieddate\",\"direction\":\"DESCENDING\"}],"
                + "\"limit\":3,\"properties\":[\"dealname\"]}";
        Response page = api.postJson("/crm/v3/objects/deals/search", sortedByModified);
        JsonNode json = page.json();
        assertThat(json.get("total").asInt()).isEqualTo(5);
        assertThat(json.get("paging").get("next").get("after").asText()).isEqualTo("3");
        assertThat(json.get("results").get(0).get("properties").get("dealname").asText()).isEqualTo("Deal 5");
        assertThat(json.get("results").get(0).get("properties").has("amount")).isFalse();
        List<String> rest = ids("deals", sortedByModified.replace("\"limit\":3", "\"limit\":3,\"after\":\"3\""));
        assertThat(rest).isEqualTo(deals(2, 1));
    }

    @Test
    void incrementalReadersFindContactsChangedSinceACursor() throws Exception {
        Instant mark = CLOCK.instant();
        CLOCK.advance(Duration.ofSeconds(1));
        String a = api.postJson("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"new1@example.com\"}}")
                .json().get("id").asText();
        String b = api.postJson("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"new2@example.com\"}}")
                .json().get("id").asText();
        String body = "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"lastmodifieddate\",\"operator\":\"GT\","
                + "\"value\":\"" + mark.toEpochMilli() + "\"}]}],\"sorts\":[{\"propertyName\":\"lastmodifieddate\","
                + "\"direction\":\"ASCENDING\"}],\"limit\":100,\"query\":\"new\"}";
        assertThat(ids("contacts", body)).isEqualTo(List.of(a, b));
    }

    @Test
    void hubSpotLimitsAreEnforcedWith400s() throws Exception {
        assertThat(api.postJson("/crm/v3/objects/deals/search", "{\"limit\":201}").status()).isEqualTo(400);
        StringBuilder groups = new StringBuilder("{\"filterGroups\":[");
        for (int i = 0; i < 6; i++) {
            groups.append(i == 0 ? "" : ",").append("{\"filters\":[{\"propertyName\":\"amount\",\"operator\":"
                    + "\"HAS_PROPERTY\"}]}");
        }
        Response tooManyGroups = api.postJson("/crm/v3/objects/deals/search", groups + "]}");
        assertThat(tooManyGroups.status()).isEqualTo(400);
        assertThat(tooManyGroups.json().get("message").asText()).contains("filter groups");
        StringBuilder filters = new StringBuilder("{\"filterGroups\":[");
        for (int g = 0; g < 5; g++) {
            filters.append(g == 0 ? "" : ",").append("{\"filters\":[");
            for (int f = 0; f < 6; f++) {
                filters.append(f == 0 ? "" : ",").append("{\"propertyName\":\"amount\",\"operator\":\"HAS_PROPERTY\"}");
            }
            filters.append("]}");
        }
        assertThat(api.postJson("/crm/v3/objects/deals/search", filters + "]}").json().get("message").asText())
                .contains("Too many filters: 30");
        assertThat(api.postJson("/crm/v3/objects/deals/search", filter("colour", "EQ", ",\"value\":\"x\""))
                .status()).isEqualTo(400);
        assertThat(api.postJson("/crm/v3/objects/deals/search", filter("amount", "ROUGHLY", ",\"value\":\"1\""))
                .status()).isEqualTo(400);
        assertThat(api.postJson("/crm/v3/objects/deals/search", filter("amount", "EQ", "")).status()).isEqualTo(400);
        Response beyond = api.postJson("/crm/v3/objects/deals/search", "{\"after\":\"10000\"}");
        assertThat(beyond.status()).isEqualTo(400);
        assertThat(beyond.json().get("message").asText()).contains("10000");
    }

    @Test
    void aLoweredResultCapStopsPagingThereSoTestsCanOutgrowIt() throws Exception {
        try (CrmSandbox small = CrmSandbox.builder().seed(15).tenSecondlyLimit(0).searchRequestsPerSecond(0)
                .searchResultCap(30).build().start()) {
            HttpTestClient client = new HttpTestClient(small.url()).bearer(small.privateAppToken());
            StringBuilder body = new StringBuilder("{\"inputs\":[");
            for (int i = 0; i < 40; i++) {
                body.append(i == 0 ? "" : ",").append("{\"properties\":{\"firstname\":\"Q").append(i).append("\"}}");
            }
            assertThat(client.postJson("/crm/v3/objects/contacts/batch/create", body + "]}").status()).isEqualTo(201);
            Response page = client.postJson("/crm/v3/objects/contacts/search", "{\"limit\":20,\"after\":\"0\"}");
            assertThat(page.json().get("total").asInt()).isEqualTo(40);
            assertThat(page.json().get("paging").get("next").get("after").asText()).isEqualTo("20");
            assertThat(client.postJson("/crm/v3/objects/contacts/search", "{\"limit\":20,\"after\":\"29\"}")
                    .status()).isEqualTo(200);
            Response beyond = client.postJson("/crm/v3/objects/contacts/search", "{\"limit\":20,\"after\":\"30\"}");
            assertThat(beyond.status()).isEqualTo(400);
            assertThat(beyond.json().get("message").asText()).contains("limited to 30");
        }
    }

    @Test
    void pagingStopsAtTenThousandResultsLikeHubSpot() throws Exception {
        try (CrmSandbox big = CrmSandbox.builder().seed(14).tenSecondlyLimit(0).searchRequestsPerSecond(0).build()
                .start()) {
            HttpTestClient client = new HttpTestClient(big.url()).bearer(big.privateAppToken());
            for (int batch = 0; batch < 101; batch++) {
                StringBuilder body = new StringBuilder("{\"inputs\":[");
                for (int i = 0; i < 100; i++) {
                    body.append(i == 0 ? "" : ",").append("{\"properties\":{\"firstname\":\"P").append(batch)
                            .append('-').append(i).append("\"}}");
                }
                Response r = client.postJson("/crm/v3/objects/contacts/batch/create", body + "]}");
                assertThat(r.status()).as(r.raw()).isEqualTo(201);
            }
            Response last = client.postJson("/crm/v3/objects/contacts/search", "{\"limit\":200,\"after\":\"9800\"}");
            assertThat(last.status()).isEqualTo(200);
            assertThat(last.json().get("total").asInt()).isEqualTo(10_100);
            assertThat(last.json().get("results")).hasSize(200);
            String next = last.json().get("paging").get("next").get("after").asText();
            assertThat(next).isEqualTo("10000");
            Response beyond = client.postJson("/crm/v3/objects/contacts/search", "{\"limit\":200,\"after\":\"" + next
                    + "\"}");
            assertThat(beyond.status()).isEqualTo(400);
            assertThat(beyond.json().get("category").asText()).isEqualTo("VALIDATION_ERROR");
        }
    }
}
