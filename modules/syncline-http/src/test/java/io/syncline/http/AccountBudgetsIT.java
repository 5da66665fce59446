package io.syncline.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients of one account (same target, same credential) in one process share one request window; other credentials
 * and other targets keep their own; the window is the tightest any user asked for; leaving gives it back.
 * Calls use a zero permit wait, so a spent window shows as an immediate LOCAL_RATE_LIMIT failure.
 */
class AccountBudgetsIT {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private ScriptedServer server() throws Exception {
        ScriptedServer s = new ScriptedServer();
        open.add(s);
        return s;
    }

    private SynclineHttpClient client(String name, String credentialId, int windowRequests) {
        SynclineHttpClient c = SynclineHttpClient.builder().name(name).outboundPolicy(Loopback.policy())
                .accountBudget(credentialId, windowRequests, MINUTE).build();
        open.add(c);
        return c;
    }

    private static boolean call(SynclineHttpClient client, ScriptedServer server) {
        HttpResult r = client.execute(SynclineRequest.get(server.url("/crm/v3/objects/contacts")).build(),
                CallContext.config("budget test").withRateLimitWait(Duration.ZERO));
        if (!r.isSuccess()) {
            assertThat(r.failure().rule()).as(r.failure().message()).isEqualTo(FailureRule.LOCAL_RATE_LIMIT);
        }
        return r.isSuccess();
    }

    private static int calls(SynclineHttpClient client, ScriptedServer server, int n) {
        int ok = 0;
        for (int i = 0; i < n; i++) {
            ok += call(client, server) ? 1 : 0;
        }
        return ok;
    }

    @Test
    void clientsOfOneAccountShareOneWindowAndOthersKeepTheirOwn() throws Exception {
        ScriptedServer crm = server();
        ScriptedServer other = server();
        String account = AccountBudgets.credentialId("bearer", "pat-shared-" + System.nanoTime());
        SynclineHttpClient source = client("crm-source-0", account, 5);
        SynclineHttpClient sink = client("crm-sink-1", account, 5);

        assertThat(calls(source, crm, 3)).isEqualTo(3);
        assertThat(calls(sink, crm, 3)).as("the sink has what the source left: 2 of 5").isEqualTo(2);
        assertThat(call(source, crm)).isFalse();
        assertThat(crm.requests()).hasSize(5);

        String key = SynclineHttpClient.accountTarget(java.net.URI.create(crm.url("/"))) + " " + account;
        AccountBudgets.Snapshot s = AccountBudgets.snapshot(key).orElseThrow();
        assertThat(s.maxRequests()).isEqualTo(5);
        assertThat(s.remaining()).isZero();
        assertThat(s.users()).containsExactly("crm-source-0", "crm-sink-1");
        assertThat(s.permits()).isEqualTo(5);
        assertThat(s.used()).isEqualTo(5);
        assertThat(s.waits()).as("the sink's third call and the source's fourth found the window spent")
                .isEqualTo(2);
        assertThat(s.rateLimited()).isZero();
        assertThat(s.account()).startsWith("http://127.0.0.1:" + crm.port() + " sha256:");

        SynclineHttpClient stranger = client("other-token", AccountBudgets.credentialId("bearer", "pat-other"), 5);
        assertThat(calls(stranger, crm, 5)).as("another credential is another account").isEqualTo(5);
        assertThat(calls(sink, other, 5)).as("another base URL is another account").isEqualTo(5);
        assertThat(source.accountBudgets()).extracting(AccountBudgets.Lease::account).containsExactly(key);
    }

    @Test
    void theTightestWindowAskedForWinsAndLeavingGivesItBack() throws Exception {
        ScriptedServer crm = server();
        String account = AccountBudgets.credentialId("oauth2", "client", "refresh-" + System.nanoTime());
        SynclineHttpClient wide = client("wide", account, 10);
        SynclineHttpClient narrow = client("narrow", account, 3);
        // Joining happens on the first call to the target.
        assertThat(call(wide, crm)).isTrue();
        assertThat(call(narrow, crm)).isTrue();
        String key = SynclineHttpClient.accountTarget(java.net.URI.create(crm.url("/"))) + " " + account;
        assertThat(AccountBudgets.snapshot(key).orElseThrow().maxRequests()).isEqualTo(3);
        // The narrower window started empty when it replaced the wider one; the narrow call took 1 of its 3.
        assertThat(calls(wide, crm, 5)).isEqualTo(2);
        assertThat(call(narrow, crm)).isFalse();

        narrow.close();
        assertThat(AccountBudgets.snapshot(key).orElseThrow().maxRequests()).isEqualTo(10);
        assertThat(AccountBudgets.snapshot(key).orElseThrow().users()).containsExactly("wide");
        wide.close();
        assertThat(AccountBudgets.snapshot(key)).as("nobody uses the account any more").isEmpty();
        assertThat(AccountBudgets.snapshot()).noneMatch(s -> s.account().equals(key));
    }

    @Test
    void aCallsOwnLimiterIsWaitedOnTooSoASeparatelyLimitedEndpointKeepsItsBudget() throws Exception {
        ScriptedServer crm = server();
        SynclineHttpClient client = client("searcher", AccountBudgets.credentialId("bearer", "pat-search"), 100);
        try (AccountBudgets.Lease search = AccountBudgets.join("search " + System.nanoTime(), "searcher", 2,
                MINUTE)) {
            CallContext searching = CallContext.config("search").withLimiter(search).withRateLimitWait(Duration.ZERO);
            int ok = 0;
            for (int i = 0; i < 4; i++) {
                HttpResult r = client.execute(SynclineRequest.post(crm.url("/crm/v3/objects/contacts/search"))
                        .jsonBody("{}").build(), searching);
                ok += r.isSuccess() ? 1 : 0;
            }
            assertThat(ok).as("searches within the search budget").isEqualTo(2);
            assertThat(call(client, crm)).as("other calls only wait on the account's window").isTrue();
        }
    }

    @Test
    void aProvider429IsCountedOnTheAccountForEveryUserToSee() throws Exception {
        ScriptedServer crm = server().then(ScriptedServer.json(429, "{\"status\":\"error\"}")
                .header("Retry-After", "0"));
        String account = AccountBudgets.credentialId("bearer", "pat-429-" + System.nanoTime());
        SynclineHttpClient source = client("crm-source-0", account, 10);
        SynclineHttpClient sink = client("crm-sink-0", account, 10);
        source.execute(SynclineRequest.get(crm.url("/crm/v3/objects/contacts")).build(),
                CallContext.config("429 test").withRateLimitWait(Duration.ZERO));
        assertThat(call(sink, crm)).isTrue();

        String key = SynclineHttpClient.accountTarget(java.net.URI.create(crm.url("/"))) + " " + account;
        AccountBudgets.Snapshot s = AccountBudgets.snapshot(key).orElseThrow();
        assertThat(s.rateLimited()).isEqualTo(1);
        assertThat(s.used()).as("the 429, any retry of it, and the sink's call").isEqualTo((int) crm.requests()
                .size());
    }

    @Test
    void aCredentialFingerprintNeverShowsTheCredential() {
        String secret = "pat-na1-11111111-2222-3333-4444-555555555555";
        String id = AccountBudgets.credentialId("bearer", secret);
        assertThat(id).matches("sha256:[0-9a-f]{12}").doesNotContain(secret).doesNotContain("1111");
        assertThat(AccountBudgets.credentialId("bearer", secret)).isEqualTo(id);
        assertThat(AccountBudgets.credentialId("bearer", secret + "x")).isNotEqualTo(id);
        assertThat(AccountBudgets.credentialId("basic", secret)).as("the auth type is part of it").isNotEqualTo(id);
    }
}
