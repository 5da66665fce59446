package io.syncline.connect.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.syncline.http.SsrfRefusedException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OutboundHttpConfigTest {

    private static final ConfigDef SINK = OutboundHttpConfig.configDef(OutboundHttpConfig.Defaults.SINK);

    private static AbstractConfig parse(ConfigDef def, Map<String, String> props) {
        return new AbstractConfig(def, props, false);
    }

    @Test
    void aConnectorDefinesOnlyTheAuthKeysOfTheTypesItOffers() {
        ConfigDef bearerOnly = OutboundHttpConfig.configDef(OutboundHttpConfig.Defaults.SINK.withAuth(
                EnumSet.of(OutboundHttpConfig.AuthType.BEARER), OutboundHttpConfig.AuthType.BEARER, null));

        assertThat(bearerOnly.names()).contains("auth.type", "auth.bearer.token")
                .doesNotContain("auth.basic.password", "auth.header.value", "oauth2.token.url");
        assertThatThrownBy(() -> parse(bearerOnly, Map.of("auth.type", "oauth2")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value oauth2 for configuration auth.type: expected bearer");
        assertThat(SINK.names()).contains("auth.basic.password", "auth.header.value", "oauth2.refresh.token");
    }

    @Test
    void theAuthTypeDocListsEveryTypeFromTheEnum() {
        String doc = SINK.configKeys().get("auth.type").documentation;
        for (OutboundHttpConfig.AuthType type : OutboundHttpConfig.AuthType.values()) {
            assertThat(doc).contains("'" + EnumValues.name(type) + "' (" + type.description() + ")");
        }
        assertThat(SINK.configKeys().get("auth.type").validator).hasToString("none, bearer, basic, header, oauth2");
    }

    /** A configuration the outbound rules refuse, the key the problem is on and the message. */
    record Refused(String what, Map<String, String> props, String key, String message) {
        @Override
        public String toString() {
            return what;
        }
    }

    static List<Refused> refused() {
        return List.of(
                new Refused("bearer without a token", Map.of("auth.type", "bearer"), "auth.bearer.token",
                        "auth.bearer.token is required when auth.type=bearer (reference the secret as ${env:NAME} or "
                                + "${file:/path:key})"),
                new Refused("basic without a user", Map.of("auth.type", "basic", "auth.basic.password", "pw"),
                        "auth.basic.username", "auth.basic.username is required when auth.type=basic"),
                new Refused("oauth2 refresh grant without a refresh token", Map.of("auth.type", "oauth2",
                        "oauth2.token.url", "https://auth.example/token", "oauth2.client.id", "id",
                        "oauth2.client.secret", "s"), "oauth2.refresh.token",
                        "oauth2.refresh.token is required when oauth2.grant.type=refresh_token (reference the secret "
                                + "as ${env:NAME} or ${file:/path:key})"),
                new Refused("a backoff cap below the first backoff", Map.of("retry.backoff.initial.ms", "2000",
                        "retry.backoff.max.ms", "1000"), "retry.backoff.max.ms",
                        "retry.backoff.max.ms (1000) must not be below retry.backoff.initial.ms (2000)"),
                new Refused("plain http to a host not listed for it", Map.of("outbound.allow.plain.http", ""),
                        "target.url", "refusing target.url http://127.0.0.1:8080/x: plain http is allowed only for "
                                + "targets allowed plain HTTP; use https, or allow plain HTTP for 127.0.0.1:8080 in "
                                + "connector key 'outbound.allow.plain.http' if this is intended"),
                new Refused("a loopback target not allow-listed", Map.of("outbound.allow.list", ""),
                        "target.url", "refusing target.url http://127.0.0.1:8080/x: 127.0.0.1 is an internal address "
                                + "(loopback); add it to connector key 'outbound.allow.list' (allow-list in "
                                + "syncline.yaml) if this is intended"),
                new Refused("a token URL at the metadata address", Map.of("auth.type", "oauth2", "oauth2.token.url",
                        "https://169.254.169.254/token", "oauth2.client.id", "id", "oauth2.refresh.token", "r"),
                        "oauth2.token.url", "refusing oauth2.token.url https://169.254.169.254/token: 169.254.169.254 "
                                + "is an internal address (cloud metadata service); add it to connector key "
                                + "'outbound.allow.list' (allow-list in syncline.yaml) if this is intended"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void eachRefusalIsOnItsKeyWithTheExactMessage(Refused r) {
        // The target is allowed unless a case takes that away.
        Map<String, String> props = new HashMap<>(Map.of("outbound.allow.list", "127.0.0.1",
                "outbound.allow.plain.http", "127.0.0.1"));
        props.putAll(r.props());
        Map<String, List<String>> problems = OutboundHttpConfig.problems(parse(SINK, props),
                Map.of("target.url", URI.create("http://127.0.0.1:8080/x")));
        assertThat(problems).as(r.what()).containsExactly(Map.entry(r.key(), List.of(r.message())));
    }

    @Test
    void aRefusedSchemeIsFixedInThePlainHttpListAndARefusedAddressInTheAllowList() throws Exception {
        var policy = OutboundHttpConfig.outboundPolicy(parse(SINK, Map.of()));
        SsrfRefusedException scheme = catchRefusal(() -> policy.checkScheme(URI.create("http://api.example.com/")));
        SsrfRefusedException address = catchRefusal(() -> policy.resolveAndCheck("10.0.0.1", 443));

        assertThat(OutboundHttpConfig.keyFor(scheme)).isEqualTo("outbound.allow.plain.http");
        assertThat(OutboundHttpConfig.keyFor(address)).isEqualTo("outbound.allow.list");
    }

    private interface Check {
        void run() throws Exception;
    }

    private static SsrfRefusedException catchRefusal(Check check) throws Exception {
        try {
            check.run();
        } catch (SsrfRefusedException e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    @Test
    void eachTaskGetsItsShareOfTheConnectorsRateLimits() {
        Map<String, String> props = new HashMap<>(Map.of("rate.limit.per.second", "20", "rate.limit.burst", "10",
                "rate.limit.window.requests", "90"));
        Map<String, String> task = OutboundHttpConfig.withTaskShare(props, 4);

        assertThat(task).containsEntry("outbound.task.share", "0.25").containsAllEntriesOf(props);
        AbstractConfig c = parse(SINK, task);
        assertThat(c.getDouble("outbound.task.share") * c.getDouble("rate.limit.per.second")).isEqualTo(5.0);
        assertThat(OutboundHttpConfig.withTaskShare(props, 1)).containsEntry("outbound.task.share", "1.0");
    }

    @Test
    void theRetryKeysMakeTheRetryPolicyWithZeroAttemptsMeaningNoLimit() {
        var unlimited = OutboundHttpConfig.retryPolicy(parse(SINK, Map.of("retry.max.elapsed.ms", "60000",
                "retry.backoff.initial.ms", "100", "retry.backoff.max.ms", "900")));
        assertThat(unlimited.maxAttempts()).isEqualTo(Integer.MAX_VALUE);
        assertThat(unlimited.maxElapsed()).isEqualTo(Duration.ofMinutes(1));
        assertThat(unlimited.baseDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(unlimited.maxDelay()).isEqualTo(Duration.ofMillis(900));
        assertThat(OutboundHttpConfig.retryPolicy(parse(SINK, Map.of("retry.max.attempts", "6"))).maxAttempts())
                .isEqualTo(6);
    }

    @Test
    void anUnresolvedSecretReferenceIsNamedAndAValueNeverIs() {
        assertThatThrownBy(() -> parse(SINK, Map.of("auth.bearer.token", "${env:TYPO}")))
                .hasMessage("auth.bearer.token: the reference ${env:TYPO} did not resolve; check that the environment "
                        + "variable or file exists on every Connect worker and that the worker has the env and file "
                        + "config providers");
        assertThat(parse(SINK, Map.of("auth.bearer.token", "tok_secret")).getPassword("auth.bearer.token"))
                .hasToString("[hidden]");
    }
}
