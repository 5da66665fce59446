package io.syncline.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.syncline.delivery.testing.TargetServer;
import io.syncline.delivery.testing.TargetServer.Request;
import io.syncline.delivery.testing.TargetServer.Response;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A sink's live validation against real HTTP servers on loopback: every problem lands on the key to fix, and nothing
 * but a GET is ever sent (an OAuth2 refresh token is never exchanged).
 */
class LiveValidationIT {

    private static final ConfigDef DEF = DeliveryConfig.define(new ConfigDef(), DeliveryConfig.Defaults.GENERIC);

    private final TargetServer target = new TargetServer();
    private final TargetServer tokens = new TargetServer();

    @AfterEach
    void close() {
        target.close();
        tokens.close();
    }

    private Map<String, String> allowed(Map<String, String> more) {
        Map<String, String> props = new HashMap<>();
        props.put("outbound.allow.list", "127.0.0.1");
        props.put("outbound.allow.plain.http", "127.0.0.1");
        props.putAll(more);
        return props;
    }

    private Map<String, List<String>> check(Map<String, String> props, String url) {
        return LiveValidation.check(new AbstractConfig(DEF, props, false),
                new LiveValidation.Probe("target.url", URI.create(url)), "live-it");
    }

    private static Response requireBearer(Request r, String token) {
        return ("Bearer " + token).equals(r.header("Authorization")) ? Response.status(404, "{}")
                : Response.status(401, "{\"message\":\"bad token\"}");
    }

    /** A credential the target refuses, the key the problem is reported on. */
    record Rejected(String what, Map<String, String> auth, Function<Request, Response> target, String key) {
        @Override
        public String toString() {
            return what;
        }
    }

    static List<Rejected> rejectedCredentials() {
        return List.of(
                new Rejected("a bearer token answered 401", Map.of("auth.type", "bearer", "auth.bearer.token", "wrong"),
                        r -> requireBearer(r, "right"), "auth.bearer.token"),
                new Rejected("basic credentials answered 403", Map.of("auth.type", "basic", "auth.basic.username",
                        "u", "auth.basic.password", "wrong"), r -> Response.status(403, "{}"), "auth.basic.password"),
                new Rejected("an API key header answered 401", Map.of("auth.type", "header", "auth.header.name",
                        "X-Api-Key", "auth.header.value", "wrong"), r -> Response.status(401, "{}"),
                        "auth.header.value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedCredentials")
    void rejectedCredentialsAreReportedOnTheirKeyWithoutTheSecret(Rejected rejected) {
        target.respond(rejected.target());

        Map<String, List<String>> problems = check(allowed(rejected.auth()), target.url() + "/v1/customers/");

        assertThat(problems).as(rejected.what()).containsOnlyKeys(rejected.key());
        assertThat(problems.get(rejected.key()).get(0))
                .startsWith(rejected.key() + ": the target rejected the credentials (GET " + target.url()
                        + "/v1/customers/ answered ")
                .doesNotContain("wrong");
        assertThat(target.requests()).extracting(Request::method).containsOnly("GET");
    }

    @Test
    void aTargetThatAnswersWithTheCredentialsAcceptedIsFineWhateverItSays() {
        target.respond(r -> requireBearer(r, "right"));
        assertThat(check(allowed(Map.of("auth.type", "bearer", "auth.bearer.token", "right")),
                target.url() + "/v1/customers/")).isEmpty();

        target.respond(r -> Response.status(503, "{}"));
        assertThat(check(allowed(Map.of()), target.url() + "/v1/customers/")).isEmpty();
    }

    @Test
    void nothingListeningIsReportedOnTheUrlKey() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertThat(check(allowed(Map.of()), "http://127.0.0.1:" + closed + "/v1/customers/")).containsExactly(
                Map.entry("target.url", List.of("target.url: cannot reach http://127.0.0.1:" + closed + " (GET "
                        + "http://127.0.0.1:" + closed + "/v1/customers/: connection refused or not established)")));
    }

    @Test
    void refusedPlainHttpIsReportedOnThePlainHttpKeyAndARefusedAddressOnTheAllowList() {
        Map<String, String> noPlainHttp = allowed(Map.of("outbound.allow.plain.http", ""));
        Map<String, String> notAllowListed = allowed(Map.of("outbound.allow.list", ""));

        assertThat(check(noPlainHttp, target.url() + "/x")).containsOnlyKeys("outbound.allow.plain.http");
        assertThat(check(noPlainHttp, target.url() + "/x").get("outbound.allow.plain.http").get(0))
                .isEqualTo("calls to " + target.url() + "/x (target.url) are refused: plain http is allowed only for "
                        + "targets allowed plain HTTP; use https, or allow plain HTTP for " + target.hostPort()
                        + " in connector key 'outbound.allow.plain.http' if this is intended");
        assertThat(check(notAllowListed, target.url() + "/x")).containsOnlyKeys("outbound.allow.list");
        assertThat(target.requests()).isEmpty();
    }

    @Test
    void clientCredentialsTheTokenEndpointRefusesAreReportedOnTheClientSecret() {
        tokens.respond(r -> Response.status(401, "{\"error\":\"invalid_client\"}"));
        Map<String, List<String>> problems = check(allowed(Map.of("auth.type", "oauth2", "oauth2.grant.type",
                "client_credentials", "oauth2.token.url", tokens.url() + "/oauth/token", "oauth2.client.id", "app",
                "oauth2.client.secret", "wrong-secret")), target.url() + "/v1/customers/");

        assertThat(problems).containsOnlyKeys("oauth2.client.secret");
        assertThat(String.join("\n", problems.get("oauth2.client.secret"))).doesNotContain("wrong-secret");
        assertThat(target.requests()).isEmpty();
    }

    @Test
    void aRefreshTokenIsNeverExchangedButTheTargetAndTheTokenEndpointAreTried() {
        tokens.respond(r -> Response.status(405, "{}"));
        target.respond(r -> Response.status(401, "{}"));
        Map<String, List<String>> problems = check(allowed(Map.of("auth.type", "oauth2", "oauth2.token.url",
                tokens.url() + "/oauth/token", "oauth2.client.id", "app", "oauth2.client.secret", "s",
                "oauth2.refresh.token", "refresh-me-not")), target.url() + "/v1/customers/");

        assertThat(problems).isEmpty();
        assertThat(tokens.requests()).extracting(Request::method).containsOnly("GET");
        assertThat(tokens.requests()).noneMatch(r -> r.body().contains("refresh-me-not"));
        assertThat(target.requests()).isNotEmpty().allMatch(r -> r.header("Authorization") == null);
    }

    @Test
    void anUnreachableTokenEndpointIsReportedOnItsKey() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Map<String, List<String>> problems = check(allowed(Map.of("auth.type", "oauth2", "oauth2.token.url",
                "http://127.0.0.1:" + closed + "/oauth/token", "oauth2.client.id", "app", "oauth2.refresh.token", "r")),
                target.url() + "/v1/customers/");

        assertThat(problems).containsOnlyKeys("oauth2.token.url");
    }
}
