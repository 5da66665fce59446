package io.syncline.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSRF rules on literal addresses and a test resolver: no DNS, no network. */
class OutboundPolicyTest {
    private final OutboundPolicy defaults = OutboundPolicy.builder().resolver(host -> {
        throw new AssertionError("no lookup expected for " + host);
    }).build();

    @ParameterizedTest(name = "{0} is refused as {1}")
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1|loopback",
        "127.255.255.254|loopback",
        "10.1.2.3|private network",
        "172.16.0.1|private network",
        "172.31.255.255|private network",
        "192.168.1.1|private network",
        "169.254.1.1|link-local",
        "169.254.169.254|cloud metadata service",
        "100.100.100.200|cloud metadata service",
        "100.64.0.1|carrier-grade NAT",
        "100.127.255.255|carrier-grade NAT",
        "0.0.0.0|unspecified",
        "224.0.0.1|multicast",
        "255.255.255.255|reserved or broadcast",
        "::1|loopback",
        "::|unspecified",
        "fe80::1|link-local",
        "fc00::1|unique-local IPv6",
        "fd12:3456::1|unique-local IPv6",
        "fd00:ec2::254|cloud metadata service",
        "ff02::1|multicast",
        "::ffff:127.0.0.1|loopback",
        "::ffff:10.0.0.1|private network",
        "::ffff:169.254.169.254|cloud metadata service",
        "::127.0.0.1|loopback, embedded in an IPv6 address",
        "64:ff9b::a00:1|private network, embedded in an IPv6 address",
        "2002:a9fe:a9fe::1|cloud metadata service, embedded in an IPv6 address",
    })
    void refusesEveryInternalRange(String address, String label) {
        assertThatThrownBy(() -> defaults.resolveAndCheck(address, 443))
                .isInstanceOf(SsrfRefusedException.class)
                .hasMessageContaining("is an internal address (" + label + ")")
                .hasMessageEndingWith("; add it to the outbound allow-list in syncline.yaml if this is intended");
    }

    @Test
    void judgesIpv4MappedAddressesByTheirIpv4Part() {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 5;
        assertThat(InternalAddresses.classify(mapped)).contains("private network, embedded in an IPv6 address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "172.32.0.1", "100.128.0.1", "169.253.255.255", "2606:4700::1111",
        "::ffff:8.8.8.8", "203.0.113.10"})
    void letsPublicAddressesThrough(String address) throws Exception {
        assertThat(defaults.resolveAndCheck(address, 443)).containsExactly(InetAddress.getByName(address));
    }

    @ParameterizedTest
    @ValueSource(strings = {"metadata.google.internal", "METADATA.Google.Internal.", "metadata.goog",
        "instance-data.ec2.internal"})
    void refusesMetadataHostNamesBeforeResolving(String host) {
        assertThatThrownBy(() -> defaults.resolveAndCheck(host, 80))
                .isInstanceOf(SsrfRefusedException.class)
                .hasMessageContaining("is a cloud metadata host name");
    }

    @Test
    void checksEveryResolvedAddress() throws Exception {
        OutboundPolicy policy = OutboundPolicy.builder().resolver(host -> List.of(
                InetAddress.getByName("198.51.100.1"), InetAddress.getByName("192.168.0.10"))).build();

        assertThatThrownBy(() -> policy.resolveAndCheck("api.example.com", 443))
                .hasMessage("refusing api.example.com:443: resolves to 192.168.0.10 (private network); add it to "
                        + "the outbound allow-list in syncline.yaml if this is intended");
    }

    @Test
    void allowListsByHostHostAndPortAndAddressBlock() throws Exception {
        OutboundPolicy policy = OutboundPolicy.builder()
                .resolver(host -> List.of(InetAddress.getByName("10.20.0.5")))
                .allow("crm.internal").allow("billing.internal:8443").allow("192.168.7.0/24").allow("[::1]:9000")
                .allowListName("connector key 'http.allowed.targets'")
                .build();

        assertThat(policy.resolveAndCheck("CRM.internal", 443)).hasSize(1);
        assertThat(policy.resolveAndCheck("billing.internal", 8443)).hasSize(1);
        assertThat(policy.resolveAndCheck("192.168.7.9", 80)).hasSize(1);
        assertThat(policy.resolveAndCheck("::1", 9000)).hasSize(1);
        assertThatThrownBy(() -> policy.resolveAndCheck("billing.internal", 443))
                .hasMessageEndingWith("add it to connector key 'http.allowed.targets' if this is intended");
        assertThatThrownBy(() -> policy.resolveAndCheck("192.168.8.1", 80)).isInstanceOf(SsrfRefusedException.class);
        assertThatThrownBy(() -> policy.resolveAndCheck("::1", 9001)).isInstanceOf(SsrfRefusedException.class);
    }

    @Test
    void allowsHttpsAlwaysAndPlainHttpOnlyWhenListed() throws Exception {
        OutboundPolicy policy = OutboundPolicy.builder().allowPlainHttp("sandbox.local")
                .allowPlainHttp("legacy.example:8080").build();

        policy.checkScheme(URI.create("https://api.example.com/x"));
        policy.checkScheme(URI.create("http://sandbox.local/x"));
        policy.checkScheme(URI.create("http://legacy.example:8080/x"));
        assertThatThrownBy(() -> policy.checkScheme(URI.create("http://legacy.example/x")))
                .hasMessageContaining("plain http is allowed only for targets allowed plain HTTP");
        assertThatThrownBy(() -> policy.checkScheme(URI.create("ftp://api.example.com/x")))
                .hasMessageContaining("scheme 'ftp' is not supported");
    }

    @Test
    void aPlainHttpRefusalNamesThePlainHttpListNotTheAllowList() {
        OutboundPolicy policy = OutboundPolicy.builder().allow("127.0.0.1:8080")
                .allowListName("connector key 'outbound.allow.list'")
                .plainHttpListName("connector key 'outbound.allow.plain.http'").build();

        assertThatThrownBy(() -> policy.checkScheme(URI.create("http://127.0.0.1:8080/x")))
                .hasMessage("refusing http://127.0.0.1:8080/x: plain http is allowed only for targets allowed plain "
                        + "HTTP; use https, or allow plain HTTP for 127.0.0.1:8080 in connector key "
                        + "'outbound.allow.plain.http' if this is intended")
                .isInstanceOfSatisfying(SsrfRefusedException.class, e -> assertThat(e.schemeRefused()).isTrue());
        assertThatThrownBy(() -> policy.resolveAndCheck("127.0.0.2", 8080))
                .isInstanceOfSatisfying(SsrfRefusedException.class, e -> assertThat(e.schemeRefused()).isFalse());
    }

    @Test
    void rejectsMalformedAllowListEntriesNamingThem() {
        assertThatThrownBy(() -> OutboundPolicy.builder().allow("10.0.0.0/33"))
                .hasMessage("'10.0.0.0/33' has an invalid prefix length (expected 0-32)");
        assertThatThrownBy(() -> OutboundPolicy.builder().allow("bad host!"))
                .hasMessageStartingWith("'bad host!' is not a host, host:port or address block");
        assertThatThrownBy(() -> OutboundPolicy.builder().allow("api.example.com:99999"))
                .hasMessage("'api.example.com:99999' has a port outside 1-65535");
    }
}
