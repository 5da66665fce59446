package io.syncline.registry.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The registry client's settings, under Confluent's key names so that a Confluent serializer configuration works
 * unchanged: URLs, basic or bearer authentication, TLS stores, timeouts, retries and the latest-version cache.
 */
public class SchemaRegistryClientConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    /** Confluent accepts the user info under this prefixed name too. */
    public static final String SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
    public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
    public static final String BEARER_AUTH_ISSUER_ENDPOINT_URL = "bearer.auth.issuer.endpoint.url";
    public static final String BEARER_AUTH_CLIENT_ID = "bearer.auth.client.id";
    public static final String BEARER_AUTH_CLIENT_SECRET = "bearer.auth.client.secret";
    public static final String BEARER_AUTH_SCOPE = "bearer.auth.scope";
    public static final String BEARER_AUTH_CACHE_EXPIRY_BUFFER_SECONDS = "bearer.auth.cache.expiry.buffer.seconds";
    public static final String BEARER_AUTH_LOGICAL_CLUSTER = "bearer.auth.logical.cluster";
    public static final String BEARER_AUTH_IDENTITY_POOL_ID = "bearer.auth.identity.pool.id";
    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String SSL_KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String SSL_KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    public static final String SSL_KEY_PASSWORD = "schema.registry.ssl.key.password";
    public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRIES_WAIT_MS = "retries.wait.ms";
    public static final String RETRIES_MAX_WAIT_MS = "retries.max.wait.ms";
    public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";

    /** Where basic credentials come from. */
    public enum BasicAuthSource { URL, USER_INFO }

    /** Where a bearer token comes from: a fixed token, or an OAuth 2 client-credentials grant. */
    public enum BearerAuthSource { STATIC_TOKEN, OAUTHBEARER }

    private static final String GROUP = "Schema registry";

    public SchemaRegistryClientConfig(Map<?, ?> props) {
        this(configDef(), props);
    }

    protected SchemaRegistryClientConfig(ConfigDef def, Map<?, ?> props) {
        // doLog=false: the serde receives the whole producer configuration and must not print it.
        super(def, props, false);
        validateAuth();
    }

    /** The client's keys alone. */
    public static ConfigDef configDef() {
        return addClientDefinitions(new ConfigDef());
    }

    /** Adds the client's keys to {@code def} (the serde and converter definitions build on them). */
    public static ConfigDef addClientDefinitions(ConfigDef def) {
        int order = 0;
        return def
                .define(SCHEMA_REGISTRY_URL, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, new UrlListValidator(), Importance.HIGH,
                        "Comma-separated registry base URLs (http or https). Calls go to the first; on a connection "
                                + "error or a 5xx the client fails over to the next. Basic credentials may be embedded "
                                + "as http://user:password@host:8081 with basic.auth.credentials.source=URL. "
                                + "mock://<scope> selects a shared in-memory registry for tests.",
                        GROUP, ++order, Width.LONG, "Registry URLs")
                .define(BASIC_AUTH_CREDENTIALS_SOURCE, Type.STRING, BasicAuthSource.URL.name(),
                        enumValidator(BasicAuthSource.values()), Importance.MEDIUM,
                        "Where HTTP basic credentials come from: URL (user info in schema.registry.url, if any) or "
                                + "USER_INFO (basic.auth.user.info).",
                        GROUP, ++order, Width.SHORT, "Basic auth source")
                .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.MEDIUM,
                        "Basic credentials as user:password, used when basic.auth.credentials.source=USER_INFO. "
                                + "Also read from schema.registry.basic.auth.user.info. Use a config provider "
                                + "(${file:...} or ${env:...}) rather than an inline value.",
                        GROUP, ++order, Width.MEDIUM, "Basic auth user info")
                .define(SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.LOW,
                        "Alias of basic.auth.user.info (Confluent accepts both).",
                        GROUP, ++order, Width.MEDIUM, "Basic auth user info (alias)")
                .define(BEARER_AUTH_CREDENTIALS_SOURCE, Type.STRING, null, enumValidatorOrNull(BearerAuthSource.values()),
                        Importance.MEDIUM,
                        "STATIC_TOKEN sends Authorization: Bearer <bearer.auth.token>; OAUTHBEARER fetches a token "
                                + "from bearer.auth.issuer.endpoint.url with the client-credentials grant and renews it "
                                + "before it expires. Cannot be combined with basic credentials.",
                        GROUP, ++order, Width.SHORT, "Bearer auth source")
                .define(BEARER_AUTH_TOKEN, Type.PASSWORD, null, Importance.MEDIUM,
                        "The bearer token for bearer.auth.credentials.source=STATIC_TOKEN.",
                        GROUP, ++order, Width.MEDIUM, "Bearer token")
                .define(BEARER_AUTH_ISSUER_ENDPOINT_URL, Type.STRING, null, Importance.MEDIUM,
                        "OAUTHBEARER: the identity provider's token endpoint (https).",
                        GROUP, ++order, Width.LONG, "Token endpoint")
                .define(BEARER_AUTH_CLIENT_ID, Type.STRING, null, Importance.MEDIUM,
                        "OAUTHBEARER: the client id, sent with the secret as HTTP basic credentials to the token "
                                + "endpoint.",
                        GROUP, ++order, Width.MEDIUM, "OAuth client id")
                .define(BEARER_AUTH_CLIENT_SECRET, Type.PASSWORD, null, Importance.MEDIUM,
                        "OAUTHBEARER: the client secret.",
                        GROUP, ++order, Width.MEDIUM, "OAuth client secret")
                .define(BEARER_AUTH_SCOPE, Type.STRING, null, Importance.LOW,
                        "OAUTHBEARER: the scope to ask for, if the identity provider needs one.",
                        GROUP, ++order, Width.MEDIUM, "OAuth scope")
                .define(BEARER_AUTH_CACHE_EXPIRY_BUFFER_SECONDS, Type.SHORT, (short) 300, ConfigDef.Range.atLeast(0),
                        Importance.LOW,
                        "OAUTHBEARER: renew the token this many seconds before it expires.",
                        GROUP, ++order, Width.SHORT, "Token renewal buffer")
                .define(BEARER_AUTH_LOGICAL_CLUSTER, Type.STRING, null, Importance.LOW,
                        "Sent as the target-sr-cluster header with bearer credentials (Confluent Cloud's schema "
                                + "registry id, lsrc-...).",
                        GROUP, ++order, Width.MEDIUM, "Logical cluster")
                .define(BEARER_AUTH_IDENTITY_POOL_ID, Type.STRING, null, Importance.LOW,
                        "Sent as the Confluent-Identity-Pool-Id header with bearer credentials.",
                        GROUP, ++order, Width.MEDIUM, "Identity pool")
                .define(SSL_TRUSTSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM,
                        "Trust store for https registry URLs; without it the JVM's default trust store is used.",
                        GROUP, ++order, Width.LONG, "Trust store")
                .define(SSL_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                        "Password of the trust store.", GROUP, ++order, Width.MEDIUM, "Trust store password")
                .define(SSL_TRUSTSTORE_TYPE, Type.STRING, "JKS", Importance.LOW,
                        "Trust store format: JKS or PKCS12.", GROUP, ++order, Width.SHORT, "Trust store type")
                .define(SSL_KEYSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM,
                        "Key store holding the client certificate for mutual TLS.",
                        GROUP, ++order, Width.LONG, "Key store")
                .define(SSL_KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                        "Password of the key store.", GROUP, ++order, Width.MEDIUM, "Key store password")
                .define(SSL_KEYSTORE_TYPE, Type.STRING, "JKS", Importance.LOW,
                        "Key store format: JKS or PKCS12.", GROUP, ++order, Width.SHORT, "Key store type")
                .define(SSL_KEY_PASSWORD, Type.PASSWORD, null, Importance.LOW,
                        "Password of the private key in the key store, when it differs from the store's.",
                        GROUP, ++order, Width.MEDIUM, "Key password")
                .define(HTTP_CONNECT_TIMEOUT_MS, Type.INT, 60_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                        "Timeout for opening a connection to the registry, in milliseconds.",
                        GROUP, ++order, Width.SHORT, "Connect timeout")
                .define(HTTP_READ_TIMEOUT_MS, Type.INT, 60_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                        "Timeout for one registry request, from sending it to the end of the response, in "
                                + "milliseconds.",
                        GROUP, ++order, Width.SHORT, "Request timeout")
                .define(MAX_RETRIES, Type.INT, 3, ConfigDef.Range.atLeast(0), Importance.LOW,
                        "Retries of a registry call after a connection error, 408, 429 or 5xx (other than 501). "
                                + "4xx answers are never retried. With several URLs each one is tried at least once.",
                        GROUP, ++order, Width.SHORT, "Retries")
                .define(RETRIES_WAIT_MS, Type.INT, 1_000, ConfigDef.Range.atLeast(0), Importance.LOW,
                        "Wait before the first retry, in milliseconds; doubles with each retry, with random jitter "
                                + "(half to all of the computed wait).",
                        GROUP, ++order, Width.SHORT, "Retry wait")
                .define(RETRIES_MAX_WAIT_MS, Type.INT, 20_000, ConfigDef.Range.atLeast(0), Importance.LOW,
                        "Upper bound of the wait between retries, in milliseconds.",
                        GROUP, ++order, Width.SHORT, "Max retry wait")
                .define(LATEST_CACHE_TTL_SEC, Type.LONG, 60L, ConfigDef.Range.atLeast(-1), Importance.LOW,
                        "How long the latest version of a subject is cached (use.latest.version), in seconds; -1 "
                                + "caches it until restart, 0 asks the registry every time. Confluent's default is -1; "
                                + "ours picks up a newly registered version within a minute.",
                        GROUP, ++order, Width.SHORT, "Latest version cache TTL");
    }

    private void validateAuth() {
        BasicAuthSource basic = BasicAuthSource.valueOf(getString(BASIC_AUTH_CREDENTIALS_SOURCE).toUpperCase(Locale.ROOT));
        String bearer = getString(BEARER_AUTH_CREDENTIALS_SOURCE);
        if (basic == BasicAuthSource.USER_INFO && basicUserInfo() == null) {
            throw new ConfigException(BASIC_AUTH_USER_INFO, "[hidden]",
                    "basic.auth.credentials.source=USER_INFO needs basic.auth.user.info (user:password)");
        }
        String userInfo = basicUserInfo();
        if (basic == BasicAuthSource.USER_INFO && userInfo != null && userInfo.indexOf(':') < 0) {
            throw new ConfigException(BASIC_AUTH_USER_INFO, "[hidden]", "expected user:password (no ':' found)");
        }
        if (bearer != null && !bearer.isBlank()) {
            if (bearerAuthSource() == BearerAuthSource.OAUTHBEARER) {
                for (String key : List.of(BEARER_AUTH_ISSUER_ENDPOINT_URL, BEARER_AUTH_CLIENT_ID)) {
                    if (getString(key) == null || getString(key).isBlank()) {
                        throw new ConfigException(key, null, "bearer.auth.credentials.source=OAUTHBEARER needs " + key);
                    }
                }
                if (getPassword(BEARER_AUTH_CLIENT_SECRET) == null) {
                    throw new ConfigException(BEARER_AUTH_CLIENT_SECRET, "[hidden]",
                            "bearer.auth.credentials.source=OAUTHBEARER needs bearer.auth.client.secret");
                }
            } else {
                Password token = getPassword(BEARER_AUTH_TOKEN);
                if (token == null || token.value().isBlank()) {
                    throw new ConfigException(BEARER_AUTH_TOKEN, "[hidden]",
                            "bearer.auth.credentials.source=STATIC_TOKEN needs bearer.auth.token");
                }
            }
            if (basic == BasicAuthSource.USER_INFO || urlsCarryUserInfo()) {
                throw new ConfigException(BEARER_AUTH_CREDENTIALS_SOURCE, bearer,
                        "bearer and basic authentication cannot both be configured; remove one of them");
            }
        }
    }

    private boolean urlsCarryUserInfo() {
        for (String url : getList(SCHEMA_REGISTRY_URL)) {
            if (url.contains("@")) {
                return true;
            }
        }
        return false;
    }

    /** The registry URLs as configured (they may carry user info; never log them as they are). */
    public List<String> urls() {
        return getList(SCHEMA_REGISTRY_URL);
    }

    public BasicAuthSource basicAuthSource() {
        return BasicAuthSource.valueOf(getString(BASIC_AUTH_CREDENTIALS_SOURCE).toUpperCase(Locale.ROOT));
    }

    /** user:password from basic.auth.user.info or its alias, or null. */
    public String basicUserInfo() {
        Password p = getPassword(BASIC_AUTH_USER_INFO);
        if (p == null || p.value().isBlank()) {
            p = getPassword(SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO);
        }
        return p == null || p.value().isBlank() ? null : p.value();
    }

    /** The bearer source, or null when bearer authentication is off. */
    public BearerAuthSource bearerAuthSource() {
        String source = getString(BEARER_AUTH_CREDENTIALS_SOURCE);
        return source == null || source.isBlank() ? null : BearerAuthSource.valueOf(source.trim().toUpperCase(Locale.ROOT));
    }

    /** The static bearer token, or null when bearer authentication is off or comes from OAuth. */
    public String bearerToken() {
        Password token = getPassword(BEARER_AUTH_TOKEN);
        return bearerAuthSource() != BearerAuthSource.STATIC_TOKEN || token == null ? null : token.value();
    }

    private static ConfigDef.Validator enumValidator(Enum<?>[] values) {
        String[] names = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            names[i] = values[i].name();
        }
        return ConfigDef.CaseInsensitiveValidString.in(names);
    }

    private static ConfigDef.Validator enumValidatorOrNull(Enum<?>[] values) {
        ConfigDef.Validator inner = enumValidator(values);
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value != null && !value.toString().isBlank()) {
                    inner.ensureValid(name, value);
                }
            }

            @Override
            public String toString() {
                return inner.toString();
            }
        };
    }

    /** Every URL must be absolute http/https (or mock://scope) with a host; messages never echo user info. */
    static final class UrlListValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            @SuppressWarnings("unchecked")
            List<String> urls = value instanceof List<?> ? (List<String>) value : List.of(String.valueOf(value));
            if (urls.isEmpty()) {
                throw new ConfigException(name, "", "at least one registry URL is required, e.g. http://localhost:8081");
            }
            List<String> bad = new ArrayList<>();
            for (String url : urls) {
                try {
                    URI uri = new URI(url.trim());
                    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                    boolean ok = scheme.equals("mock")
                            || ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null);
                    if (!ok) {
                        bad.add(RegistryUrls.redact(url));
                    }
                } catch (URISyntaxException e) {
                    bad.add(RegistryUrls.redact(url));
                }
            }
            if (!bad.isEmpty()) {
                throw new ConfigException(name, String.join(",", bad),
                        "expected absolute http:// or https:// URLs with a host (or mock://<scope>)");
            }
        }

        @Override
        public String toString() {
            return "http(s)://host:port[,...]";
        }
    }
}
