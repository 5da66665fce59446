package io.syncline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.metrics.Registries;
import io.syncline.metrics.Role;
import io.syncline.metrics.SynclineMetric;
import io.syncline.metrics.SynclineMetrics;
import io.syncline.testsupport.docs.GeneratedSection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;
import picocli.CommandLine;

/**
 * The production shape's files (docker-compose.yml, deploy/) checked offline, since no Docker engine runs where the
 * suite does: the compose files parse, every image is built here or pinned, every file they mount exists, every
 * Syncline service's command passes {@code --check} on the files it mounts with the environment it is given, Prometheus
 * scrapes every Syncline service on the port that serves its {@code /metrics}, and every Grafana panel's metric is one
 * that some role serves.
 */
class DeployFilesTest {

    private static final Path REPO = GeneratedSection.repositoryDir();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The image every Syncline service runs, built from deploy/image/Dockerfile. */
    private static final String SYNCLINE_IMAGE = "syncline/syncline";
    /** Where the image puts the distribution; the distribution's files come from these places in the repository. */
    private static final String DIST = "/opt/syncline/";
    private static final Map<String, Path> DIST_SOURCES = Map.of(
            DIST + "mappings", REPO.resolve("mappings"),
            DIST + "bin/syncline", REPO.resolve("modules/syncline-cli/src/main/dist/bin/syncline"));
    /** What the CLI module's assembly (src/main/assembly/dist.xml) writes: the directory the image copies. */
    private static final String DIST_BUILD_OUTPUT = "modules/syncline-cli/target/syncline/";

    @Test
    void theComposeFilesParseAndEveryImageIsBuiltHereOrPinned() throws IOException {
        for (String file : List.of("docker-compose.yml", "deploy/compose/confluent-registry.yml")) {
            services(file).forEach((name, service) -> {
                String image = (String) service.get("image");
                assertThat(image).as(file + ": services." + name + ".image").isNotBlank();
                if (image.startsWith(SYNCLINE_IMAGE + ":")) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> build = (Map<String, Object>) service.get("build");
                    assertThat(build).as(file + ": services." + name + " runs " + image + " so it builds it").isNotNull();
                    assertThat(REPO.resolve((String) build.get("context")).resolve((String) build.get("dockerfile")))
                            .as(file + ": services." + name + ".build.dockerfile").isRegularFile();
                } else {
                    assertThat(image).as(file + ": services." + name + ".image is pinned to a version")
                            .matches("[a-z0-9./-]+:v?[0-9][0-9A-Za-z._-]*");
                    assertThat(service.get("build")).as(file + ": services." + name + " pulls " + image
                            + ", so it must not build the Syncline image under that name").isNull();
                }
            });
        }
    }

    @Test
    void theImageCopiesTheDistributionTheBuildAssemblesAndRunsItsLauncher() throws IOException {
        List<String> lines = Files.readAllLines(REPO.resolve("deploy/image/Dockerfile"));
        List<String> from = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
        assertThat(from).singleElement().satisfies(f -> assertThat(f).matches("FROM [a-z0-9./-]+:[0-9][0-9A-Za-z._-]*"));
        List<String> copies = lines.stream().filter(l -> l.startsWith("COPY ")).toList();
        assertThat(copies).containsExactly("COPY " + DIST_BUILD_OUTPUT + " " + DIST);
        // The assembly writes the distribution into that directory (the ITs run it from there too).
        assertThat(Files.readString(REPO.resolve("modules/syncline-cli/pom.xml")))
                .contains("<syncline.dist>${project.build.directory}/syncline</syncline.dist>");
        assertThat(lines).contains("ENTRYPOINT [\"" + DIST + "bin/syncline\"]");
        assertThat(DIST_SOURCES.get(DIST + "bin/syncline")).isRegularFile();
    }

    /** Every Connect plugin module of the repository: the ones that package themselves with plugin-assembly.xml. */
    static Stream<String> pluginModules() throws IOException {
        try (Stream<Path> modules = Files.list(REPO.resolve("modules"))) {
            return modules.filter(m -> {
                try {
                    return Files.isRegularFile(m.resolve("pom.xml"))
                            && Files.readString(m.resolve("pom.xml")).contains("build/plugin-assembly.xml");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(m -> m.getFileName().toString()).sorted().toList().stream();
        }
    }

    /**
     * The Connect workers of the compose file run the image, whose plugins/ is the distribution's: every plugin module
     * (support and CDC with Debezium's Postgres connector included) must be assembled into it, and built before it.
     */
    @ParameterizedTest
    @MethodSource("pluginModules")
    void theImageCarriesEveryConnectPluginOfTheRepository(String module) throws IOException {
        assertThat(pluginModules()).as("plugin modules").contains("syncline-connect-support", "syncline-connect-cdc");
        assertThat(Files.readString(REPO.resolve("modules/syncline-cli/src/main/assembly/dist.xml")))
                .as("dist.xml copies the plugin directory of " + module)
                .contains("<directory>${project.basedir}/../" + module + "/target/plugin</directory>");
        assertThat(Files.readString(REPO.resolve("modules/syncline-cli/pom.xml")))
                .as("the CLI module depends on " + module + " (provided) so that it is built first")
                .containsPattern("<artifactId>" + module + "</artifactId>\\s*<scope>provided</scope>");
        if (module.equals("syncline-connect-cdc")) {
            assertThat(Files.readString(REPO.resolve("modules/" + module + "/pom.xml")))
                    .as("the CDC plugin carries Debezium's Postgres connector")
                    .contains("<artifactId>debezium-connector-postgres</artifactId>");
        }
    }

    @Test
    void everyFileTheComposeFilesMountExistsAndEveryNamedVolumeIsDeclared() throws IOException {
        Map<String, Object> compose = load(REPO.resolve("docker-compose.yml"));
        Set<String> declared = ((Map<?, ?>) compose.get("volumes")).keySet().stream().map(Object::toString)
                .collect(java.util.stream.Collectors.toSet());
        List<String> checked = new ArrayList<>();
        services("docker-compose.yml").forEach((name, service) -> {
            for (String volume : volumes(service)) {
                String source = volume.split(":")[0];
                if (source.startsWith(".")) {
                    assertThat(REPO.resolve(source).normalize()).as("services." + name + ".volumes: " + volume)
                            .exists();
                    checked.add(source);
                } else {
                    assertThat(declared).as("services." + name + ".volumes: " + volume + " names a volume")
                            .contains(source);
                }
            }
        });
        assertThat(checked).contains("./deploy/compose/syncline.yaml", "./deploy/prometheus/prometheus.yml",
                "./deploy/grafana/provisioning", "./deploy/grafana/dashboards");
    }

    static Stream<String> synclineServices() throws IOException {
        return services("docker-compose.yml").entrySet().stream()
                .filter(e -> e.getValue().get("image").toString().startsWith(SYNCLINE_IMAGE + ":"))
                .map(Map.Entry::getKey);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("synclineServices")
    void everySynclineServicesCommandPassesCheckOnTheFilesItMountsWithTheEnvironmentItGets(String name,
                                                                                          @TempDir Path tmp)
            throws IOException {
        Map<String, Object> service = services("docker-compose.yml").get(name);
        Map<String, Path> mounts = hostPaths(service, tmp);
        List<String> args = new ArrayList<>();
        for (Object arg : (List<?>) service.get("command")) {
            args.add(mounts.containsKey(arg.toString()) ? mounts.get(arg.toString()).toString() : arg.toString());
        }
        args.add("--check");
        var cli = SynclineCli.commandLine();
        CommandLine role = cli.getSubcommands().get(args.get(0));
        assertThat(role).as("services." + name + ".command: no command " + args.get(0)).isNotNull();
        if (role.getCommand() instanceof GatewayCommand gateway) {
            gateway.environment = environment(service);
        }
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        int code = cli.execute(args.toArray(String[]::new));
        assertThat(code).as("services." + name + ": syncline " + String.join(" ", args) + "\n" + err).isZero();
        assertThat(out.toString()).contains(args.get(0) + ": settings OK");
    }

    @Test
    void prometheusScrapesEverySynclineServiceOnThePortThatServesItsMetrics() throws IOException {
        Map<String, Map<String, Object>> services = services("docker-compose.yml");
        Map<String, Object> syncline = load(REPO.resolve("deploy/compose/syncline.yaml"));
        Set<String> scraped = new TreeSet<>();
        for (Object job : (List<?>) load(REPO.resolve("deploy/prometheus/prometheus.yml")).get("scrape_configs")) {
            Map<?, ?> j = (Map<?, ?>) job;
            String jobName = j.get("job_name").toString();
            for (Object sc : (List<?>) j.get("static_configs")) {
                for (Object target : (List<?>) ((Map<?, ?>) sc).get("targets")) {
                    String[] hostPort = target.toString().split(":");
                    Map<String, Object> service = services.get(hostPort[0]);
                    assertThat(service).as("job " + jobName + ": target " + target + " is no compose service")
                            .isNotNull();
                    List<?> command = (List<?>) service.get("command");
                    assertThat(command).as("job " + jobName + ": " + target + " runs a Syncline command").isNotNull();
                    String role = command.get(0).toString();
                    assertThat(jobName).as(target + " runs " + role).isEqualTo("syncline-" + role.replace("-worker", ""));
                    assertThat(hostPort[1]).as("job " + jobName + ": the port " + hostPort[0] + " serves /metrics on")
                            .isEqualTo(metricsPort(role, command, syncline));
                    scraped.add(hostPort[0]);
                }
            }
        }
        assertThat(scraped).as("every Syncline service is scraped")
                .containsExactlyInAnyOrderElementsOf(synclineServices().toList());
    }

    @Test
    void everyGrafanaPanelShowsMetricsARoleServesFromTheProvisionedDatasource() throws IOException {
        Map<String, Object> datasources = load(REPO.resolve("deploy/grafana/provisioning/datasources/prometheus.yml"));
        String uid = ((Map<?, ?>) ((List<?>) datasources.get("datasources")).get(0)).get("uid").toString();
        Map<?, ?> provider = (Map<?, ?>) ((List<?>) load(REPO.resolve(
                "deploy/grafana/provisioning/dashboards/syncline.yml")).get("providers")).get(0);
        String dashboardsPath = ((Map<?, ?>) provider.get("options")).get("path").toString();
        assertThat(volumes(services("docker-compose.yml").get("grafana")))
                .contains("./deploy/grafana/dashboards:" + dashboardsPath + ":ro");

        Set<String> catalogue = new TreeSet<>();
        SynclineMetrics.all().forEach(m -> catalogue.add(m.name()));
        // Every role's registry also carries Micrometer's JVM and process meters (Registries.prometheus()).
        String jvmScrape = Registries.prometheus().scrape();
        Pattern metric = Pattern.compile("\\b((?:syncline|jvm|process)_[a-z0-9_]+)");
        Set<Role> shown = new java.util.HashSet<>();
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(REPO.resolve("deploy/grafana/dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode dashboard = JSON.readTree(file.toFile());
                for (JsonNode panel : dashboard.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        String where = file.getFileName() + ": panel \"" + panel.path("title").asText() + "\"";
                        if (!uid.equals(target.path("datasource").path("uid").asText(
                                panel.path("datasource").path("uid").asText()))) {
                            problems.add(where + " does not use the datasource " + uid);
                        }
                        Matcher m = metric.matcher(target.path("expr").asText());
                        boolean any = false;
                        while (m.find()) {
                            any = true;
                            String name = m.group(1).replaceAll("_(bucket|count|sum)$", "");
                            if (catalogue.contains(name)) {
                                shown.add(SynclineMetrics.named(name).role());
                            } else if (!Pattern.compile("(?m)^" + Pattern.quote(m.group(1)) + "[{ ]")
                                    .matcher(jvmScrape).find()) {
                                problems.add(where + " shows " + m.group(1) + ", which no role serves "
                                        + "(docs/metrics.md)");
                            }
                        }
                        if (!any) {
                            problems.add(where + " has a query without a metric: " + target.path("expr").asText());
                        }
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(shown).as("the dashboards show every stage").containsExactlyInAnyOrder(Role.values());
    }

    /** The port a role serves {@code /metrics} on, from its command line or syncline.yaml. */
    private static String metricsPort(String role, List<?> command, Map<String, Object> syncline) {
        String flag = switch (role) {
            case "gateway", "registry" -> "--port";
            case "normalizer", "connect-worker" -> "--metrics-port";
            default -> throw new AssertionError("no metrics port known for the role " + role);
        };
        int i = command.indexOf(flag);
        if (i >= 0) {
            return command.get(i + 1).toString();
        }
        Object fromConfig = switch (role) {
            case "gateway" -> ((Map<?, ?>) syncline.get("gateway")).get("port");
            case "normalizer" -> ((Map<?, ?>) syncline.get("normalizer")).get("metrics-port");
            default -> null;
        };
        assertThat(fromConfig).as(role + " is given no " + flag + " and syncline.yaml sets none").isNotNull();
        return fromConfig.toString();
    }

    /**
     * The host paths of a service's container paths: its bind mounts, the distribution's files in the image, a temporary
     * directory for its named volumes; a mounted syncline.yaml is rewritten to name host paths, as the container sees
     * them.
     */
    private static Map<String, Path> hostPaths(Map<String, Object> service, Path tmp) throws IOException {
        Map<String, Path> paths = new LinkedHashMap<>(DIST_SOURCES);
        List<String> configs = new ArrayList<>();
        for (String volume : volumes(service)) {
            String[] parts = volume.split(":");
            if (parts[0].startsWith(".")) {
                paths.put(parts[1], REPO.resolve(parts[0]).normalize());
                if (parts[1].endsWith(".yaml")) {
                    configs.add(parts[1]);
                }
            } else {
                paths.put(parts[1], Files.createDirectories(tmp.resolve(parts[0])));
            }
        }
        // The image's own writable directory (deploy/image/Dockerfile), for services without a volume there.
        paths.putIfAbsent("/var/lib/syncline/normalizer", Files.createDirectories(tmp.resolve("state")));
        for (String config : configs) {
            String text = Files.readString(paths.get(config));
            for (Map.Entry<String, Path> e : paths.entrySet()) {
                text = text.replace(": " + e.getKey() + "\n", ": " + e.getValue() + "\n");
            }
            paths.put(config, Files.writeString(tmp.resolve("syncline.yaml"), text));
        }
        return paths;
    }

    /** A service's environment as compose gives it: {@code ${NAME...}} from the host stands for a value set there. */
    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new HashMap<>();
        Object e = service.get("environment");
        if (e instanceof Map<?, ?> map) {
            map.forEach((k, v) -> env.put(k.toString(), v == null ? "" : v.toString()
                    .replaceAll("\\$\\{([A-Z0-9_]+)[^}]*}", "value-of-$1")));
        }
        return env;
    }

    private static List<String> volumes(Map<String, Object> service) {
        Object v = service.get("volumes");
        return v == null ? List.of() : ((List<?>) v).stream().map(Object::toString).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services(String file) throws IOException {
        Map<String, Object> compose = load(REPO.resolve(file));
        assertThat(compose).as(file).containsKey("services");
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    /** A YAML file with merge keys resolved; compose's {@code !reset} tag reads as null. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(Path file) throws IOException {
        SafeConstructor constructor = new SafeConstructor(new LoaderOptions()) {
            {
                yamlConstructors.put(new Tag("!reset"), new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        return null;
                    }
                });
            }
        };
        try (var reader = Files.newBufferedReader(file)) {
            Object doc = new Yaml(constructor).load(reader);
            assertThat(doc).as(file + " is a YAML mapping").isInstanceOf(Map.class);
            return (Map<String, Object>) doc;
        }
    }
}
