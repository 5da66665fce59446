package io.syncline.http;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The address ranges and host names the SSRF guard refuses unless allow-listed: the second table in
 * {@code docs/http.md}, generated from {@link #RANGES} and {@link #METADATA_HOSTS}.
 */
public final class InternalAddresses {

    /** A named group of blocks, e.g. "private network". */
    public static final class Range {
        private final String label;
        private final List<Cidr> blocks;

        Range(String label, String... blocks) {
            this.label = label;
            this.blocks = Arrays.stream(blocks).map(Cidr::parse).toList();
        }

        /** What the range is, as error messages say it. */
        public String label() {
            return label;
        }

        /** Its address blocks. */
        public List<Cidr> blocks() {
            return blocks;
        }
    }

    /** Refused ranges, most specific first (the metadata addresses sit inside link-local and CGNAT). */
    public static final List<Range> RANGES = List.of(
            new Range("cloud metadata service", "169.254.169.254/32", "169.254.170.2/32", "fd00:ec2::254/128",
                    "100.100.100.200/32", "192.0.0.192/32"),
            new Range("loopback", "127.0.0.0/8", "::1/128"),
            new Range("unspecified", "0.0.0.0/8", "::/128"),
            new Range("private network", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"),
            new Range("carrier-grade NAT", "100.64.0.0/10"),
            new Range("link-local", "169.254.0.0/16", "fe80::/10"),
            new Range("unique-local IPv6", "fc00::/7"),
            new Range("site-local IPv6", "fec0::/10"),
            new Range("multicast", "224.0.0.0/4", "ff00::/8"),
            new Range("reserved or broadcast", "240.0.0.0/4"));

    /** Host names of cloud metadata services, refused by name before any lookup. */
    public static final Set<String> METADATA_HOSTS = Set.of(
            "metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal");

    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
    private static final Cidr IPV4_COMPATIBLE = Cidr.parse("::/96");

    private InternalAddresses() {
    }

    /**
     * The label of the refused range {@code address} falls in, or empty for a public address. IPv6 forms that embed
     * an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by that address.
     */
    public static Optional<String> classify(InetAddress address) {
        return classify(address.getAddress());
    }

    static Optional<String> classify(byte[] bytes) {
        for (Range range : RANGES) {
            for (Cidr block : range.blocks) {
                if (block.contains(bytes)) {
                    return Optional.of(range.label);
                }
            }
        }
        byte[] embedded = embeddedIpv4(bytes);
        if (embedded != null) {
            return classify(embedded).map(label -> label + ", embedded in an IPv6 address");
        }
        return Optional.empty();
    }

    /** Whether {@code host} is a metadata host name (case-insensitive, trailing dot ignored). */
    public static boolean isMetadataHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return METADATA_HOSTS.contains(h);
    }

    private static byte[] embeddedIpv4(byte[] b) {
        if (b.length != 16) {
            return null;
        }
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= b[i] == 0;
        }
        mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        if (mapped || NAT64.contains(b) || IPV4_COMPATIBLE.contains(b)) {
            return Arrays.copyOfRange(b, 12, 16);
        }
        if (SIX_TO_FOUR.contains(b)) {
            return Arrays.copyOfRange(b, 2, 6);
        }
        return null;
    }

    /** The ranges table as Markdown, exactly as {@code docs/http.md} carries it. */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder("| refused as | blocks |\n|---|---|\n");
        for (Range range : RANGES) {
            out.append("| ").append(range.label).append(" | ");
            out.append(String.join(", ", range.blocks.stream().map(c -> "`" + c + "`").toList()));
            out.append(" |\n");
        }
        out.append("| cloud metadata host name | ");
        out.append(String.join(", ", METADATA_HOSTS.stream().sorted().map(h -> "`" + h + "`").toList()));
        out.append(" |\n");
        return out.toString();
    }
}
