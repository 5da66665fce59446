package io.syncline.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What the class rules cannot see: a plugin's pom. A plugin archive bundles its compile and runtime dependencies, so
 * one that names another plugin or a role (even unused) ships it; and the worker provides Kafka's own jars, so a plugin
 * that bundles them breaks in a worker of another 4.x version.
 */
class PluginPomsTest {

    /** Kafka's jars the Connect worker provides; a plugin must not bundle them. */
    private static final List<String> WORKER_PROVIDED = List.of("kafka-clients", "connect-api", "connect-runtime",
            "connect-json", "connect-transforms");

    static Stream<Path> pluginPoms() throws IOException {
        try (Stream<Path> modules = Files.list(Repository.modules())) {
            List<Path> poms = modules.filter(m -> Modules.isPlugin(m.getFileName().toString()))
                    .map(m -> m.resolve("pom.xml")).filter(Files::isRegularFile).sorted().toList();
            assertThat(poms).as("plugin modules under modules/").isNotEmpty();
            return poms.stream();
        }
    }

    record Dep(String artifactId, String scope) {
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pluginPoms")
    void bundlesNoOtherPluginNoRoleAndNoSandbox(Path pom) throws Exception {
        String self = pom.getParent().getFileName().toString();
        List<String> wrong = new ArrayList<>();
        for (Dep d : dependencies(pom)) {
            boolean bundled = !d.scope.equals("test") && !d.scope.equals("provided");
            String a = d.artifactId;
            if (bundled && !a.equals(self) && (Modules.isPlugin(a) || Modules.isRoleOrCli(a)
                    || a.equals(Modules.SANDBOX) || a.equals(Modules.BENCH) || a.equals(Modules.TEST_SUPPORT))) {
                wrong.add(a + " (" + d.scope + ")");
            }
        }
        assertThat(wrong).as(self + " bundles modules a plugin must not").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pluginPoms")
    void leavesKafkasJarsToTheWorker(Path pom) throws Exception {
        List<String> bundled = new ArrayList<>();
        for (Dep d : dependencies(pom)) {
            if (WORKER_PROVIDED.contains(d.artifactId) && !d.scope.equals("provided") && !d.scope.equals("test")) {
                bundled.add(d.artifactId + " (" + d.scope + ")");
            }
        }
        assertThat(bundled).as(pom + ": Kafka jars must be <scope>provided</scope>").isEmpty();
    }

    /** The project's direct dependencies (not dependencyManagement, not plugins'), scope defaulting to compile. */
    static List<Dep> dependencies(Path pom) throws Exception {
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile())
                .getDocumentElement();
        List<Dep> deps = new ArrayList<>();
        Element dependencies = child(project, "dependencies");
        if (dependencies == null) {
            return deps;
        }
        for (Node n = dependencies.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("dependency")) {
                Element scope = child(e, "scope");
                deps.add(new Dep(child(e, "artifactId").getTextContent().trim(),
                        scope == null ? "compile" : scope.getTextContent().trim()));
            }
        }
        return deps;
    }

    private static Element child(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }
}
