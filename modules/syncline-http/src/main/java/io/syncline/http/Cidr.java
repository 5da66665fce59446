package io.syncline.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/** An IPv4 or IPv6 address block such as {@code 10.0.0.0/8} or {@code fc00::/7}. */
public final class Cidr {
    private final byte[] network;
    private final int prefix;
    private final String text;

    private Cidr(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /**
     * Parses {@code address/prefix} (or a bare address as a single-address block); only IP literals, never DNS.
     *
     * @throws IllegalArgumentException naming the value when it is not a valid block
     */
    public static Cidr parse(String value) {
        String v = value.trim();
        int slash = v.indexOf('/');
        String addressPart = slash < 0 ? v : v.substring(0, slash);
        byte[] bytes = literalBytes(addressPart);
        if (bytes == null) {
            throw new IllegalArgumentException("'" + value + "' is not an IP address block (expected e.g. 10.0.0.0/8 or fd00::/8)");
        }
        int max = bytes.length * 8;
        int prefix;
        if (slash < 0) {
            prefix = max;
        } else {
            try {
                prefix = Integer.parseInt(v.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("'" + value + "' has an invalid prefix length (expected 0-" + max + ")");
            }
        }
        return new Cidr(mask(bytes, prefix), prefix, v);
    }

    /** Whether {@code address} lies in this block (an IPv4 address never matches an IPv6 block, and vice versa). */
    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    boolean contains(byte[] bytes) {
        return bytes.length == network.length && Arrays.equals(mask(bytes, prefix), network);
    }

    /**
     * The bytes of an IP literal, or null if {@code text} is not one. Strips IPv6 brackets and zone ids. IPv4-mapped
     * IPv6 literals come back as 4 bytes, as Java's own parser returns them.
     */
    static byte[] literalBytes(String text) {
        String t = text.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        int zone = t.indexOf('%');
        if (zone >= 0) {
            t = t.substring(0, zone);
        }
        if (t.isEmpty()) {
            return null;
        }
        boolean ipv6 = t.indexOf(':') >= 0;
        boolean ipv4 = !ipv6 && t.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))
                && t.chars().filter(c -> c == '.').count() == 3;
        if (!ipv4 && !(ipv6 && t.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0))) {
            return null;
        }
        try {
            // A literal: getByName parses it without a lookup.
            return InetAddress.getByName(ipv6 ? "[" + t + "]" : t).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - bits)));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr && ((Cidr) o).prefix == prefix && Arrays.equals(((Cidr) o).network, network);
    }

    @Override
    public int hashCode() {
        return Objects.hash(prefix, Arrays.hashCode(network));
    }

    @Override
    public String toString() {
        return text;
    }
}
