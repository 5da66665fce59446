package io.syncline.http;

import static io.syncline.http.ScriptedServer.reply;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SSRF guard on the real client. Refused targets are refused before any connection, so these tests never send
 * a packet anywhere but loopback; host names map to addresses through a test resolver, never real DNS.
 */
class SsrfIT {
    private ScriptedServer server;
    private final ManualTimeSource time = new ManualTimeSource();

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static HostResolver names(Map<String, List<String>> table) {
        return host -> {
            List<String> addresses = table.get(host);
            if (addresses == null) {
                throw new UnknownHostException(host);
            }
            InetAddress[] out = new InetAddress[addresses.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = InetAddress.getByName(addresses.get(i)); // literals: no lookup
            }
            return List.of(out);
        };
    }

    private SynclineHttpClient client(OutboundPolicy policy) {
        return SynclineHttpClient.builder().outboundPolicy(policy).timeSource(time).build();
    }

    @Test
    void refusesLoopbackByDefault() {
        // Plain http is allowed here so that the address rule, not the scheme rule, is what refuses.
        try (SynclineHttpClient http = client(OutboundPolicy.builder().allowPlainHttp("127.0.0.1").build())) {

            HttpFailure failure = http.execute(SynclineRequest.get(server.url("/x")).build(),
                    CallContext.config("validating base URL")).failure();

            assertThat(failure.kind()).isEqualTo(FailureKind.PERMANENT_CONFIG);
            assertThat(failure.rule()).isEqualTo(FailureRule.SSRF_REFUSED);
            assertThat(failure.message()).isEqualTo("refusing GET " + server.url("/x") + " (validating base URL): "
                    + "127.0.0.1 is an internal address (loopback); add it to the outbound allow-list in syncline.yaml "
                    + "if this is intended");
            assertThat(failure.attempts()).isEqualTo(1);
            assertThat(server.requests()).isEmpty();
        }
    }

    @Test
    void refusesPlainHttpUnlessTheTargetIsAllowedIt() {
        try (SynclineHttpClient http = client(OutboundPolicy.builder().allow("127.0.0.1").build())) {

            HttpFailure failure = http.execute(SynclineRequest.get(server.url("/x")).build(),
                    CallContext.record("")).failure();

            assertThat(failure.kind()).isEqualTo(FailureKind.PERMANENT_CONFIG);
            assertThat(failure.message()).isEqualTo("refusing GET " + server.url("/x") + ": plain http is allowed "
                    + "only for targets allowed plain HTTP; use https, or allow plain HTTP for 127.0.0.1:"
                    + server.port() + " in the outbound allow-list in syncline.yaml if this is intended");
            assertThat(server.requests()).isEmpty();
        }
    }

    @Test
    void refusesANameThatResolvesToAPrivateAddress() {
        OutboundPolicy policy = OutboundPolicy.builder()
                .resolver(names(Map.of("internal.example", List.of("10.0.0.5")))).build();
        try (SynclineHttpClient http = client(policy)) {

            HttpFailure failure = http.execute(SynclineRequest.get("https://internal.example/v1/items").build(),
                    CallContext.config("")).failure();

            assertThat(failure.message()).isEqualTo("refusing GET https://internal.example/v1/items: resolves to "
                    + "10.0.0.5 (private network); add it to the outbound allow-list in syncline.yaml if this is "
                    + "intended");
        }
    }

    @Test
    void checksEveryAddressANameResolvesTo() {
        OutboundPolicy policy = OutboundPolicy.builder()
                .resolver(names(Map.of("mixed.example", List.of("203.0.113.10", "fd00::1")))).build();
        try (SynclineHttpClient http = client(policy)) {

            HttpFailure failure = http.execute(SynclineRequest.get("https://mixed.example/").build(),
                    CallContext.config("")).failure();

            assertThat(failure.rule()).isEqualTo(FailureRule.SSRF_REFUSED);
            assertThat(failure.message()).contains("resolves to fd00:0:0:0:0:0:0:1 (unique-local IPv6)");
        }
    }

    @Test
    void refusesCloudMetadataHostNamesWithoutLookingThemUp() {
        OutboundPolicy policy = OutboundPolicy.builder().resolver(host -> {
            throw new AssertionError("must not resolve " + host);
        }).build();
        try (SynclineHttpClient http = client(policy)) {

            HttpFailure failure = http.execute(
                    SynclineRequest.get("https://metadata.google.internal/computeMetadata/v1/").build(),
                    CallContext.config("")).failure();

            assertThat(failure.rule()).isEqualTo(FailureRule.SSRF_REFUSED);
            assertThat(failure.message()).contains(": metadata.google.internal is a cloud metadata host name; add it to");
        }
    }

    @Test
    void refusesTheMetadataAddressAndItsIpv6Forms() {
        try (SynclineHttpClient http = client(OutboundPolicy.defaults())) {
            for (String url : List.of("https://169.254.169.254/latest/meta-data/", "https://[::ffff:169.254.169.254]/",
                    "https://[fd00:ec2::254]/")) {
                HttpFailure failure = http.execute(SynclineRequest.get(url).build(), CallContext.config("")).failure();
                assertThat(failure.message()).as(url).contains("(cloud metadata service)");
            }
        }
    }

    @Test
    void reachesAnAllowListedHostAndSendsItsNameAsHost() {
        server.otherwise(seen -> reply(200, "hello"));
        OutboundPolicy policy = OutboundPolicy.builder()
                .resolver(names(Map.of("api.partner.test", List.of("127.0.0.1"))))
                .allow("api.partner.test").allowPlainHttp("api.partner.test").build();
        try (SynclineHttpClient http = client(policy)) {

            SynclineResponse response = http.execute(
                    SynclineRequest.get("http://api.partner.test:" + server.port() + "/v1/ping").build(),
                    CallContext.config("")).orThrow();

            assertThat(response.bodyAsString()).isEqualTo("hello");
            assertThat(server.requests().get(0).header("Host")).isEqualTo("api.partner.test:" + server.port());
        }
    }

    @Test
    void allowsByAddressBlockAndByHostAndPort() {
        server.otherwise(seen -> reply(200, "ok"));
        OutboundPolicy byBlock = OutboundPolicy.builder().allow("127.0.0.0/8")
                .allowPlainHttp("127.0.0.1:" + server.port()).build();
        OutboundPolicy byOtherPort = OutboundPolicy.builder().allow("127.0.0.1:1")
                .allowPlainHttp("127.0.0.1").build();
        try (SynclineHttpClient allowed = client(byBlock); SynclineHttpClient refused = client(byOtherPort)) {

            assertThat(allowed.execute(SynclineRequest.get(server.url("/")).build(), CallContext.config(""))
                    .isSuccess()).isTrue();
            assertThat(refused.execute(SynclineRequest.get(server.url("/")).build(), CallContext.config(""))
                    .failure().rule()).isEqualTo(FailureRule.SSRF_REFUSED);
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void connectsToTheCheckedAddressWithoutASecondLookup() {
        server.otherwise(seen -> reply(200, "ok"));
        AtomicInteger lookups = new AtomicInteger();
        // A rebinding name: public-looking (allow-listed loopback here) on the first lookup, private afterwards.
        HostResolver rebinding = host -> List.of(InetAddress.getByName(
                lookups.incrementAndGet() == 1 ? "127.0.0.1" : "10.0.0.5"));
        OutboundPolicy policy = OutboundPolicy.builder().resolver(rebinding).allow("127.0.0.1/32")
                .allowPlainHttp("rebind.test").build();
        try (SynclineHttpClient http = client(policy)) {

            HttpResult result = http.execute(
                    SynclineRequest.get("http://rebind.test:" + server.port() + "/").build(), CallContext.config(""));

            assertThat(result.isSuccess()).as("%s", result).isTrue();
            assertThat(lookups).hasValue(1);
        }
    }

    @Test
    void doesNotFollowRedirects() {
        server.then(reply(302, "").header("Location", server.url("/elsewhere")));
        try (SynclineHttpClient http = client(Loopback.policy())) {

            HttpFailure failure = http.execute(SynclineRequest.get(server.url("/old")).build(),
                    CallContext.record("reading contact 7")).failure();

            assertThat(failure.kind()).isEqualTo(FailureKind.PERMANENT_CONFIG);
            assertThat(failure.rule()).isEqualTo(FailureRule.REDIRECT);
            assertThat(failure.message()).isEqualTo("GET " + server.url("/old") + " (reading contact 7): 302 Found to "
                    + server.url("/elsewhere") + " (redirects are not followed; configure the final URL instead)");
            assertThat(server.count("/elsewhere")).isZero();
        }
    }

    @Test
    void guardsTheOAuth2TokenEndpointToo() {
        try (SynclineHttpClient http = SynclineHttpClient.builder().outboundPolicy(Loopback.policy())
                .oauth2(OAuth2Settings.clientCredentials("https://10.0.0.7/oauth/token", "id", "secret-value")
                        .build())
                .timeSource(time).build()) {

            HttpFailure failure = http.execute(SynclineRequest.get(server.url("/x")).build(),
                    CallContext.config("")).failure();

            assertThat(failure.kind()).isEqualTo(FailureKind.PERMANENT_CONFIG);
            assertThat(failure.rule()).isEqualTo(FailureRule.SSRF_REFUSED);
            assertThat(failure.message()).contains("OAuth2 token request to https://10.0.0.7/oauth/token: refusing "
                    + "10.0.0.7:443: 10.0.0.7 is an internal address (private network)");
            assertThat(server.requests()).isEmpty();
        }
    }
}
