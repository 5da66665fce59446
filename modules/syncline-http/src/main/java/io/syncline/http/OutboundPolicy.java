package io.syncline.http;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The SSRF guard: which schemes, hosts and addresses outbound calls may reach.
 *
 * <p>By default only https to public addresses. Refused: every range in {@link InternalAddresses} (loopback,
 * private, link-local, unique-local, CGNAT, unspecified, multicast, reserved, cloud metadata, and IPv6 forms that
 * embed such an IPv4 address) and the metadata host names. An allow-list entry is a host ({@code api.internal}),
 * a host and port ({@code api.internal:8443}, {@code [::1]:8080}) or an address block ({@code 10.20.0.0/16}).
 * Plain http needs its own entry ({@link Builder#allowPlainHttp}).
 *
 * <p>{@link #resolveAndCheck} checks EVERY address a name resolves to and returns exactly those addresses: the HTTP
 * client connects to them and does not look the name up again, so DNS rebinding cannot slip past the check.
 */
public final class OutboundPolicy {
    /** Where the default hints send the user. */
    public static final String DEFAULT_ALLOW_LIST_NAME = "the outbound allow-list in syncline.yaml";

    private final Set<String> allowedHosts;
    private final Set<String> allowedHostPorts;
    private final List<Cidr> allowedBlocks;
    private final Set<String> plainHttpHosts;
    private final Set<String> plainHttpHostPorts;
    private final HostResolver resolver;
    private final String allowListName;
    private final String plainHttpListName;

    private OutboundPolicy(Builder b) {
        this.allowedHosts = Set.copyOf(b.allowedHosts);
        this.allowedHostPorts = Set.copyOf(b.allowedHostPorts);
        this.allowedBlocks = List.copyOf(b.allowedBlocks);
        this.plainHttpHosts = Set.copyOf(b.plainHttpHosts);
        this.plainHttpHostPorts = Set.copyOf(b.plainHttpHostPorts);
        this.resolver = b.resolver;
        this.allowListName = b.allowListName;
        this.plainHttpListName = b.plainHttpListName == null ? b.allowListName : b.plainHttpListName;
    }

    /** https to public addresses only, resolved by the JVM. */
    public static OutboundPolicy defaults() {
        return builder().build();
    }

    /** A builder for a policy with allow-list entries. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks the scheme and, by name only, the host of {@code uri}; no lookup happens here.
     *
     * @throws SsrfRefusedException when the scheme is not allowed for this target
     */
    public void checkScheme(URI uri) throws SsrfRefusedException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = normalizeHost(uri.getHost() == null ? "" : uri.getHost());
        if (host.isEmpty()) {
            throw new SsrfRefusedException(uri.toString(), "the URL has no host",
                    "use an absolute https URL");
        }
        if (scheme.equals("https")) {
            return;
        }
        if (scheme.equals("http")) {
            int port = uri.getPort() < 0 ? 80 : uri.getPort();
            if (plainHttpHosts.contains(host) || plainHttpHostPorts.contains(host + ":" + port)) {
                return;
            }
            throw new SsrfRefusedException(uri.toString(), "plain http is allowed only for targets allowed plain HTTP",
                    "use https, or allow plain HTTP for " + hostPort(host, port) + " in " + plainHttpListName
                            + " if this is intended", true);
        }
        throw new SsrfRefusedException(uri.toString(), "scheme '" + scheme + "' is not supported",
                "only https (and http for targets allowed plain HTTP) can be called", true);
    }

    /**
     * Resolves {@code host} and checks every address; returns the addresses to connect to.
     *
     * @throws SsrfRefusedException when the host name or any of its addresses is refused
     * @throws UnknownHostException when the name does not resolve
     */
    public List<InetAddress> resolveAndCheck(String host, int port) throws SsrfRefusedException, UnknownHostException {
        String h = normalizeHost(host);
        String target = hostPort(h, port);
        byte[] literal = Cidr.literalBytes(h);
        boolean hostAllowed = allowedHosts.contains(h) || allowedHostPorts.contains(h + ":" + port);
        if (literal != null) {
            InetAddress address = InetAddress.getByAddress(literal);
            Optional<String> label = hostAllowed ? Optional.empty() : refusal(address);
            if (label.isPresent()) {
                throw new SsrfRefusedException(target, address.getHostAddress() + " is an internal address ("
                        + label.get() + ")", hint());
            }
            return List.of(address);
        }
        if (!hostAllowed && InternalAddresses.isMetadataHost(h)) {
            throw new SsrfRefusedException(target, h + " is a cloud metadata host name", hint());
        }
        List<InetAddress> addresses = resolver.resolve(h);
        if (addresses == null || addresses.isEmpty()) {
            throw new UnknownHostException(h);
        }
        if (!hostAllowed) {
            for (InetAddress address : addresses) {
                Optional<String> label = refusal(address);
                if (label.isPresent()) {
                    throw new SsrfRefusedException(target, "resolves to " + address.getHostAddress()
                            + " (" + label.get() + ")", hint());
                }
            }
        }
        return List.copyOf(addresses);
    }

    private Optional<String> refusal(InetAddress address) {
        for (Cidr block : allowedBlocks) {
            if (block.contains(address)) {
                return Optional.empty();
            }
        }
        return InternalAddresses.classify(address);
    }

    private String hint() {
        return "add it to " + allowListName + " if this is intended";
    }

    static String normalizeHost(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Builds an {@link OutboundPolicy}; entries are validated as they are added. */
    public static final class Builder {
        private final Set<String> allowedHosts = new LinkedHashSet<>();
        private final Set<String> allowedHostPorts = new LinkedHashSet<>();
        private final List<Cidr> allowedBlocks = new ArrayList<>();
        private final Set<String> plainHttpHosts = new LinkedHashSet<>();
        private final Set<String> plainHttpHostPorts = new LinkedHashSet<>();
        private HostResolver resolver = HostResolver.SYSTEM;
        private String allowListName = DEFAULT_ALLOW_LIST_NAME;
        private String plainHttpListName;

        private Builder() {
        }

        /**
         * Allows a target the guard would refuse: {@code host}, {@code host:port}, {@code [v6]:port}, an address,
         * or an address block ({@code 10.20.0.0/16}).
         *
         * @throws IllegalArgumentException naming the entry when it is none of these
         */
        public Builder allow(String entry) {
            Objects.requireNonNull(entry, "allow-list entry");
            String e = entry.trim();
            if (e.isEmpty()) {
                throw new IllegalArgumentException("empty outbound allow-list entry");
            }
            if (e.indexOf('/') >= 0 || Cidr.literalBytes(e) != null) {
                allowedBlocks.add(Cidr.parse(e));
                return this;
            }
            Optional<String[]> hp = splitHostPort(e);
            if (hp.isPresent()) {
                allowedHostPorts.add(hp.get()[0] + ":" + hp.get()[1]);
            } else {
                allowedHosts.add(checkHostName(e, entry));
            }
            return this;
        }

        /** Allows each entry as {@link #allow(String)} does. */
        public Builder allowAll(Iterable<String> entries) {
            entries.forEach(this::allow);
            return this;
        }

        /** Allows plain http (not just https) to {@code host} or {@code host:port}. */
        public Builder allowPlainHttp(String hostOrHostPort) {
            String e = Objects.requireNonNull(hostOrHostPort, "plain-HTTP entry").trim();
            Optional<String[]> hp = splitHostPort(e);
            if (hp.isPresent()) {
                plainHttpHostPorts.add(hp.get()[0] + ":" + hp.get()[1]);
            } else {
                plainHttpHosts.add(checkHostName(e, hostOrHostPort));
            }
            return this;
        }

        /** The resolver for host names (tests map names to addresses with it). */
        public Builder resolver(HostResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * How refusal messages name the allow-list, e.g. {@code "connector key 'http.allowed.targets'"}; default
         * {@value #DEFAULT_ALLOW_LIST_NAME}.
         */
        public Builder allowListName(String allowListName) {
            this.allowListName = Objects.requireNonNull(allowListName, "allowListName");
            return this;
        }

        /**
         * How refusal messages name the list of targets allowed plain HTTP, when it is not the allow-list itself,
         * e.g. {@code "connector key 'outbound.allow.plain.http'"}; default: the {@link #allowListName}.
         */
        public Builder plainHttpListName(String plainHttpListName) {
            this.plainHttpListName = Objects.requireNonNull(plainHttpListName, "plainHttpListName");
            return this;
        }

        /** The policy. */
        public OutboundPolicy build() {
            return new OutboundPolicy(this);
        }

        private static String checkHostName(String host, String original) {
            String h = normalizeHost(host);
            if (h.isEmpty() || !h.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '.'
                    || c == ':' || c == '_')) {
                throw new IllegalArgumentException("'" + original
                        + "' is not a host, host:port or address block (expected e.g. api.internal.example, "
                        + "api.internal.example:8443 or 10.20.0.0/16)");
            }
            return h;
        }

        private static Optional<String[]> splitHostPort(String entry) {
            String e = entry.trim();
            int colon = e.lastIndexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            String host = e.substring(0, colon);
            if (host.indexOf(':') >= 0 && !(host.startsWith("[") && host.endsWith("]"))) {
                return Optional.empty(); // a bare IPv6 literal, not host:port
            }
            String portText = e.substring(colon + 1);
            int port;
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("'" + entry + "' has an invalid port '" + portText + "'");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("'" + entry + "' has a port outside 1-65535");
            }
            return Optional.of(new String[] {checkHostName(host, entry), Integer.toString(port)});
        }
    }
}
