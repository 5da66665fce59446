package io.syncline.architecture;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.tngtech.archunit.core.domain.JavaClass;

/**
 * Which Maven module a class comes from, read off where its class file was loaded from: {@code
 * modules/<module>/target/…} in the reactor, {@code <module>-<version>.jar} from a repository. The rules are about
 * modules, not packages, because a package may appear in two plugin archives (the CRM plugin ships a deprecated
 * alias in the HTTP sink's old package).
 *
 * <p>Classes of the rules' own fixtures say their module in their package instead:
 * {@code io.syncline.archfixture.syncline_connect_payments.X} counts as module {@code syncline-connect-payments}, so
 * the rules can be shown to fail on a deliberately wrong import without putting one in a real module.
 */
final class Modules {

    static final String CLI = "syncline-cli";
    static final String BENCH = "syncline-bench";
    static final String SANDBOX = "syncline-sandbox";
    static final String TEST_SUPPORT = "syncline-test-support";
    static final String ARCHITECTURE = "syncline-architecture";
    static final String FIXTURE_PACKAGE = "io.syncline.archfixture";

    private static final Pattern IN_REACTOR = Pattern.compile("/modules/(syncline-[a-z0-9-]+)/target/");
    private static final Pattern IN_REPOSITORY = Pattern.compile("/(syncline-[a-z0-9-]+?)-\\d[^/]*\\.jar");
    private static final Pattern FIXTURE = Pattern.compile(Pattern.quote(FIXTURE_PACKAGE) + "\\.(syncline_\\w+)\\..*");

    private Modules() {
    }

    /** The module of {@code c}, or empty for a class that is not Syncline's (the JDK, a library). */
    static Optional<String> of(JavaClass c) {
        Matcher fixture = FIXTURE.matcher(c.getName());
        if (fixture.matches()) {
            return Optional.of(fixture.group(1).replace('_', '-'));
        }
        if (!c.getPackageName().startsWith("io.syncline")) {
            return Optional.empty();
        }
        return c.getSource().map(source -> moduleAt(source.getUri()));
    }

    static String moduleAt(URI location) {
        String path = location.toString();
        Matcher m = IN_REACTOR.matcher(path);
        if (m.find()) {
            return m.group(1);
        }
        m = IN_REPOSITORY.matcher(path);
        if (m.find()) {
            return m.group(1);
        }
        throw new IllegalStateException("cannot tell which module " + path + " belongs to; expected a path under "
                + "modules/<module>/target/ or a <module>-<version>.jar");
    }

    /**
     * Connect plugins: modules that declare a connector or converter for Connect's service loader. Their archives
     * must run in any Connect 4.x worker, alone. (Not every {@code syncline-connect-*} module is one:
     * syncline-connect-common is a library the plugins bundle.)
     */
    static boolean isPlugin(String module) {
        return PLUGINS.computeIfAbsent(module, m -> {
            Path services = Repository.modules().resolve(m).resolve("src/main/resources/META-INF/services");
            return PLUGIN_SERVICES.stream().anyMatch(s -> Files.isRegularFile(services.resolve(s)));
        });
    }

    private static final List<String> PLUGIN_SERVICES = List.of("org.apache.kafka.connect.source.SourceConnector",
            "org.apache.kafka.connect.sink.SinkConnector");
    private static final Map<String, Boolean> PLUGINS = new ConcurrentHashMap<>();

    /** Modules that run a role or the CLI: plugins and libraries never import them. */
    static boolean isRoleOrCli(String module) {
        return module.equals(CLI) || module.equals("syncline-gateway") || module.equals("syncline-normalizer")
                || module.equals("syncline-console");
    }

    /** Tooling that may use anything, including the sandbox: the CLI (for `up --demo`), benchmarks, test support. */
    static boolean isTooling(String module) {
        return module.equals(CLI) || module.equals(BENCH) || module.equals(TEST_SUPPORT) || module.equals(ARCHITECTURE);
    }
}
