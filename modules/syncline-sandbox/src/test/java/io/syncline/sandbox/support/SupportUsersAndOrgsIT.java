package io.syncline.sandbox.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.syncline.sandbox.core.MutableClock;
import io.syncline.sandbox.core.WriteRecord;
import io.syncline.sandbox.testing.HttpTestClient;

class SupportUsersAndOrgsIT {

    private MutableClock clock;
    private SupportSandbox zendesk;
    private HttpTestClient api;

    @BeforeEach
    void start() {
        clock = MutableClock.fixedAt(Zendesk.T0);
        zendesk = Zendesk.standing(clock).seed(7).accessTokenTtl(Duration.ofMinutes(5)).build().start();
        api = Zendesk.client(zendesk);
    }

    @AfterEach
    void stop() {
        zendesk.close();
    }

    @Test
    void meIsTheAgentTheTokenActsAs() throws Exception {
        HttpTestClient.Response me = api.get("/api/v2/users/me.json");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.header("Content-Type")).startsWith("application/json");
        assertThat(me.header("X-Request-Id")).isNotBlank();
        JsonNode user = me.json().get("user");
        assertThat(user.get("email").asText()).isEqualTo(zendesk.agentEmail());
        assertThat(user.get("role").asText()).isEqualTo("admin");
        assertThat(user.get("id").asLong()).isEqualTo(zendesk.adminUserId());
        assertThat(user.get("url").asText()).isEqualTo(zendesk.url() + "/api/v2/users/" + zendesk.adminUserId()
                + ".json");
        // Paths without .json work as well, as they do on Zendesk.
        assertThat(api.get("/api/v2/users/me").json().get("user").get("id").asLong()).isEqualTo(zendesk.adminUserId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "wrongToken", "password", "endUserEmail", "notBase64", "unknownBearer"})
    void badCredentialsAre401(String kind) throws Exception {
        api.postJson("/api/v2/users.json", "{\"user\":{\"name\":\"End User\",\"email\":\"end@example.com\"}}");
        String header = switch (kind) {
            case "none" -> null;
            case "wrongToken" -> Zendesk.basic(zendesk.agentEmail(), "nope");
            case "password" -> "Basic " + Base64.getEncoder().encodeToString((zendesk.agentEmail() + ":"
                    + zendesk.apiToken()).getBytes());
            case "endUserEmail" -> Zendesk.basic("end@example.com", zendesk.apiToken());
            case "notBase64" -> "Basic %%%";
            default -> "Bearer not-a-token";
        };
        HttpTestClient client = new HttpTestClient(zendesk.url());
        if (header != null) {
            client.header("Authorization", header);
        }
        HttpTestClient.Response r = client.get("/api/v2/users/me.json");
        assertThat(r.status()).isEqualTo(401);
        if (kind.equals("unknownBearer")) {
            assertThat(r.json().get("error").asText()).isEqualTo("invalid_token");
        } else {
            assertThat(r.raw()).isEqualTo("{\"error\":\"Couldn't authenticate you\"}");
        }
    }

    @Test
    void oauthTokensFromTheTokenEndpointWorkUntilTheyExpire() throws Exception {
        HttpTestClient anonymous = new HttpTestClient(zendesk.url());
        HttpTestClient.Response grant = anonymous.postJson("/oauth/tokens", "{\"grant_type\":\"client_credentials\","
                + "\"client_id\":\"" + zendesk.clientId() + "\",\"client_secret\":\"" + zendesk.clientSecret()
                + "\",\"scope\":\"read write\"}");
        assertThat(grant.status()).isEqualTo(200);
        assertThat(grant.json().get("token_type").asText()).isEqualTo("bearer");
        assertThat(grant.json().get("expires_in").asLong()).isEqualTo(300);
        String token = grant.json().get("access_token").asText();
        HttpTestClient bearer = new HttpTestClient(zendesk.url()).bearer(token);
        assertThat(bearer.get("/api/v2/users/me.json").json().get("user").get("id").asLong())
                .isEqualTo(zendesk.adminUserId());

        HttpTestClient.Response badClient = anonymous.postForm("/oauth/tokens", "grant_type", "client_credentials",
                "client_id", zendesk.clientId(), "client_secret", "wrong");
        assertThat(badClient.status()).isEqualTo(401);
        assertThat(badClient.json().get("error").asText()).isEqualTo("invalid_client");

        clock.advance(Duration.ofMinutes(6));
        HttpTestClient.Response expired = bearer.get("/api/v2/users/me.json");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().get("error").asText()).isEqualTo("invalid_token");
    }

    @Test
    void createOrUpdateMatchesByEmailAndAnswers201Then200() throws Exception {
        HttpTestClient.Response created = api.postJson("/api/v2/users/create_or_update.json",
                "{\"user\":{\"name\":\"Roger Wilco\",\"email\":\"Roger@Example.com\",\"external_id\":\"cus_1\"}}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode user = created.json().get("user");
        long id = user.get("id").asLong();
        assertThat(user.get("email").asText()).isEqualTo("roger@example.com");
        assertThat(user.get("role").asText()).isEqualTo("end-user");
        assertThat(user.get("created_at").asText()).isEqualTo("2024-05-01T12:00:00Z");

        clock.advance(Duration.ofSeconds(30));
        HttpTestClient.Response updated = api.postJson("/api/v2/users/create_or_update.json",
                "{\"user\":{\"name\":\"Roger W.\",\"email\":\"roger@example.com\",\"phone\":\"+15550001\"}}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("user").get("id").asLong()).isEqualTo(id);
        assertThat(updated.json().get("user").get("name").asText()).isEqualTo("Roger W.");
        assertThat(updated.json().get("user").get("updated_at").asText()).isEqualTo("2024-05-01T12:00:30Z");

        // By external_id when no e-mail matches.
        HttpTestClient.Response byExternal = api.postJson("/api/v2/users/create_or_update.json",
                "{\"user\":{\"external_id\":\"cus_1\",\"details\":\"VIP\"}}");
        assertThat(byExternal.status()).isEqualTo(200);
        assertThat(byExternal.json().get("user").get("id").asLong()).isEqualTo(id);

        assertThat(zendesk.writes()).extracting(WriteRecord::operation).containsExactly("CREATE", "UPDATE",
                "UPDATE");
        assertThat(zendesk.writes()).allSatisfy(w -> assertThat(w.objectId()).isEqualTo(Long.toString(id)));
    }

    @Test
    void validationErrorsAre422RecordInvalidWithDetails() throws Exception {
        api.postJson("/api/v2/users.json", "{\"user\":{\"name\":\"A\",\"email\":\"taken@example.com\"}}");
        HttpTestClient.Response dup = api.postJson("/api/v2/users.json",
                "{\"user\":{\"name\":\"B\",\"email\":\"TAKEN@example.com\",\"role\":\"boss\"}}");
        assertThat(dup.status()).isEqualTo(422);
        JsonNode body = dup.json();
        assertThat(body.get("error").asText()).isEqualTo("RecordInvalid");
        assertThat(body.get("description").asText()).isEqualTo("Record validation errors");
        assertThat(body.at("/details/email/0/error").asText()).isEqualTo("DuplicateValue");
        assertThat(body.at("/details/email/0/description").asText())
                .isEqualTo("Email: TAKEN@example.com is already being used by another user");
        assertThat(body.at("/details/role/0/error").asText()).isEqualTo("InvalidValue");

        HttpTestClient.Response noRoot = api.postJson("/api/v2/users.json", "{\"name\":\"x\"}");
        assertThat(noRoot.status()).isEqualTo(400);
        assertThat(noRoot.json().get("description").asText()).contains("'user'");
        HttpTestClient.Response notJson = api.postJson("/api/v2/users.json", "{user");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(zendesk.writes()).hasSize(1);
    }

    @Test
    void missingRecordsAndRoutesAre404InZendesksWords() throws Exception {
        HttpTestClient.Response missing = api.get("/api/v2/users/1.json");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.raw()).isEqualTo("{\"error\":\"RecordNotFound\",\"description\":\"Not found\"}");
        HttpTestClient.Response route = api.get("/api/v2/nothing.json");
        assertThat(route.status()).isEqualTo(404);
        assertThat(route.json().get("error").asText()).isEqualTo("InvalidEndpoint");
    }

    @Test
    void identitiesShowManyAndExternalIdSearch() throws Exception {
        long id = api.postJson("/api/v2/users.json", "{\"user\":{\"name\":\"Ida\",\"email\":\"ida@example.com\","
                + "\"external_id\":\"ext-ida\"}}").json().get("user").get("id").asLong();
        long other = api.postJson("/api/v2/users.json", "{\"user\":{\"name\":\"Otto\",\"email\":\"otto@example.com\"}}")
                .json().get("user").get("id").asLong();
        HttpTestClient.Response added = api.postJson("/api/v2/users/" + id + "/identities.json",
                "{\"identity\":{\"type\":\"email\",\"value\":\"ida@work.example\"}}");
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.json().at("/identity/primary").asBoolean()).isFalse();
        JsonNode identities = api.get("/api/v2/users/" + id + "/identities.json").json().get("identities");
        assertThat(identities).extracting(n -> n.get("value").asText())
                .containsExactly("ida@example.com", "ida@work.example");
        // The secondary address finds the same user.
        assertThat(api.postJson("/api/v2/users/create_or_update.json",
                "{\"user\":{\"email\":\"ida@work.example\",\"name\":\"Ida B\"}}").json().at("/user/id").asLong())
                .isEqualTo(id);

        JsonNode many = api.get("/api/v2/users/show_many.json?ids=" + id + "," + other + ",42").json();
        assertThat(many.get("users")).extracting(n -> n.get("id").asLong()).containsExactly(id, other);
        JsonNode byExt = api.get("/api/v2/users/show_many.json?external_ids=ext-ida").json();
        assertThat(byExt.get("users")).extracting(n -> n.get("id").asLong()).containsExactly(id);
        JsonNode search = api.get("/api/v2/users/search.json?external_id=ext-ida").json();
        assertThat(search.get("users")).extracting(n -> n.get("id").asLong()).containsExactly(id);
        assertThat(api.get("/api/v2/users/show_many.json").status()).isEqualTo(400);
    }

    @Test
    void deletedUsersStayReadableAsInactive() throws Exception {
        long id = api.postJson("/api/v2/users.json", "{\"user\":{\"name\":\"Del\",\"email\":\"del@example.com\"}}")
                .json().get("user").get("id").asLong();
        HttpTestClient.Response deleted = api.delete("/api/v2/users/" + id + ".json");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().at("/user/active").asBoolean()).isFalse();
        assertThat(api.get("/api/v2/users/" + id + ".json").json().at("/user/active").asBoolean()).isFalse();
        assertThat(api.get("/api/v2/users.json").json().get("users")).extracting(n -> n.get("id").asLong())
                .doesNotContain(id);
    }

    @Test
    void organizationsHaveUniqueNamesCreateOrUpdateByExternalIdAndHardDelete() throws Exception {
        HttpTestClient.Response created = api.postJson("/api/v2/organizations.json",
                "{\"organization\":{\"name\":\"Acme\",\"external_id\":\"org-1\",\"domain_names\":[\"acme.example\"]}}");
        assertThat(created.status()).isEqualTo(201);
        long id = created.json().at("/organization/id").asLong();
        HttpTestClient.Response dup = api.postJson("/api/v2/organizations.json",
                "{\"organization\":{\"name\":\"ACME\"}}");
        assertThat(dup.status()).isEqualTo(422);
        assertThat(dup.json().at("/details/name/0/description").asText()).isEqualTo("Name: has already been taken");
        HttpTestClient.Response upsert = api.postJson("/api/v2/organizations/create_or_update.json",
                "{\"organization\":{\"external_id\":\"org-1\",\"notes\":\"key account\"}}");
        assertThat(upsert.status()).isEqualTo(200);
        assertThat(upsert.json().at("/organization/id").asLong()).isEqualTo(id);
        assertThat(upsert.json().at("/organization/notes").asText()).isEqualTo("key account");

        long member = api.postJson("/api/v2/users.json", "{\"user\":{\"name\":\"M\",\"email\":\"m@acme.example\","
                + "\"organization_id\":" + id + "}}").json().at("/user/id").asLong();
        assertThat(api.get("/api/v2/organizations/" + id + "/users.json").json().get("users"))
                .extracting(n -> n.get("id").asLong()).containsExactly(member);
        assertThat(api.get("/api/v2/organizations/show_many.json?ids=" + id).json().get("organizations"))
                .hasSize(1);

        assertThat(api.delete("/api/v2/organizations/" + id + ".json").status()).isEqualTo(204);
        assertThat(api.get("/api/v2/organizations/" + id + ".json").status()).isEqualTo(404);
        assertThat(api.get("/api/v2/users/" + member + ".json").json().at("/user/organization_id").isNull()).isTrue();
        assertThat(api.sendJson("PUT", "/api/v2/organizations/" + id + ".json", "{\"organization\":{\"notes\":\"x\"}}",
                Map.of()).status()).isEqualTo(404);
    }
}
