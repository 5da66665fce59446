package io.syncline.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.syncline.cli.check.ConnectorCheck;
import io.syncline.cli.check.Finding;
import io.syncline.cli.check.Placer;
import io.syncline.cli.check.SecretReferences;
import io.syncline.cli.common.CliException;
import io.syncline.cli.common.ConfigOption;
import io.syncline.cli.common.HelpOption;
import io.syncline.cli.common.MappingsDirOption;
import io.syncline.config.ConfigException;
import io.syncline.config.ConfigProblem;
import io.syncline.config.ConnectorConfig;
import io.syncline.config.Problems;
import io.syncline.config.SynclineConfig;
import io.syncline.config.SynclineConfigLoader;
import io.syncline.normalizer.mapping.MappingSet;
import io.syncline.normalizer.mapping.TargetCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code syncline validate}: checks syncline.yaml and everything it names, without starting anything. */
@Command(name = "validate", header = "Check syncline.yaml and everything it names, without starting anything.",
        description = {"Checks the whole of syncline.yaml and prints every problem, not the first, as "
                + "`file:line: key: message` on stderr: the file itself (keys, types, values); every secret "
                + "reference, read as `up` would read it (a variable that is not set or a file that cannot be read is "
                + "a problem); each source and sink through its connector's own validate(), loaded from the plugin "
                + "path as up's Connect worker loads it; and the mappings, compiled against the canonical schemas.",
            "Needs nothing running. What it cannot check from here (plugins and secrets of a Connect cluster that "
                + "cluster.connect-url points at) is a warning. Exit code 0 when everything is valid, 1 when there is "
                + "a problem or the file does not exist."})
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    ConfigOption config;

    @Mixin
    MappingsDirOption mappings;

    @Mixin
    PluginPathOption pluginPath;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Logging.off();
        if (!Files.exists(config.file())) {
            throw new CliException(config.file() + ": file not found; create it (docs/cli.md shows an example) or pass "
                    + "the file to check with --config FILE");
        }
        SynclineConfigLoader.Checked<SynclineConfig> checked = SynclineConfigLoader.check(config.file());
        List<Finding> findings = new ArrayList<>();
        checked.problems().forEach(p -> findings.add(Finding.problem(p)));
        List<String> summary = new ArrayList<>();
        SynclineConfig cfg = checked.config();
        if (cfg != null) {
            Placer placer = new Placer(config.file().toString(), checked.lines());
            findings.addAll(secrets(cfg, placer, summary));
            findings.addAll(connectors(cfg, placer, summary));
            findings.addAll(mappings(cfg, summary));
        }
        PrintWriter err = spec.commandLine().getErr();
        findings.stream().filter(Finding::warning).forEach(err::println);
        // syncline.yaml first (its problems were found first), then each mapping file; each by line.
        Map<String, List<ConfigProblem>> byFile = new LinkedHashMap<>();
        findings.stream().filter(f -> !f.warning()).map(Finding::problem)
                .forEach(p -> byFile.computeIfAbsent(p.source(), f -> new ArrayList<>()).add(p));
        List<ConfigProblem> problems = new ArrayList<>();
        byFile.values().forEach(list -> problems.addAll(SynclineConfigLoader.byLine(list)));
        problems.forEach(err::println);
        if (!problems.isEmpty()) {
            int n = problems.size();
            err.println(n + (n == 1 ? " problem" : " problems") + " in " + String.join(", ", byFile.keySet())
                    + "; fix " + (n == 1 ? "it" : "them") + " and run syncline validate again");
            err.flush();
            return SynclineCli.PROBLEMS;
        }
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        out.println(config.file() + ": valid");
        summary.forEach(line -> out.println("  " + line));
        out.flush();
        return 0;
    }

    /** Every secret reference of the typed model, read as the component that uses it will read it at start. */
    private static List<Finding> secrets(SynclineConfig cfg, Placer placer, List<String> summary) {
        List<String> checked = new ArrayList<>();
        Map<String, String> unreadable = SecretReferences.unresolvable(cfg, System.getenv(), checked);
        if (!checked.isEmpty()) {
            summary.add("secrets     " + checked.size() + " reference" + (checked.size() == 1 ? "" : "s") + " read");
        }
        return unreadable.entrySet().stream().map(e -> Finding.problem(placer.at(e.getKey(), e.getValue()))).toList();
    }

    private List<Finding> connectors(SynclineConfig cfg, Placer placer, List<String> summary) {
        if (cfg.sources().isEmpty() && cfg.sinks().isEmpty()) {
            return List.of();
        }
        String external = cfg.cluster().embeddedConnect() ? "" : cfg.cluster().connectUrl();
        ConnectorCheck check = new ConnectorCheck(pluginPath.directories(), System.getenv(), external, placer);
        List<Finding> findings = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < cfg.sources().size(); i++) {
            findings.addAll(checkOne(check, cfg.sources().get(i), false, Problems.index("sources", i), names));
        }
        for (int i = 0; i < cfg.sinks().size(); i++) {
            findings.addAll(checkOne(check, cfg.sinks().get(i), true, Problems.index("sinks", i), names));
        }
        summary.add("connectors  " + String.join(", ", names) + " checked by their connectors' validate()");
        return findings;
    }

    private static List<Finding> checkOne(ConnectorCheck check, ConnectorConfig c, boolean sink, String at,
                                          List<String> names) {
        if (c == null || c.connector().isEmpty()) {
            return List.of(); // the config model reported it
        }
        names.add(c.name().isEmpty() ? at : c.name());
        return check.check(c, sink, at);
    }

    /** The mappings up's normalizer would compile, with every problem of every file. */
    private List<Finding> mappings(SynclineConfig cfg, List<String> summary) {
        Path dir = mappings.resolve(config, cfg);
        try {
            MappingSet set = MappingSet.load(dir, TargetCatalog.canonical());
            summary.add("mappings    " + set.all().size() + " compiled from " + dir);
            return List.of();
        } catch (ConfigException e) {
            return e.problems().stream().map(Finding::problem).toList();
        }
    }
}
