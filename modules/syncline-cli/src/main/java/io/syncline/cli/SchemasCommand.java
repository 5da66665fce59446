package io.syncline.cli;

import java.util.List;
import java.util.concurrent.Callable;

import io.syncline.cli.cluster.Probes;
import io.syncline.cli.cluster.RegistryRest;
import io.syncline.cli.up.Health;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code syncline schemas}: the registry's subjects with their latest version. */
@Command(name = "schemas", mixinStandardHelpOptions = true,
        description = "Lists the schema registry's subjects with the latest version, its schema id and type.")
final class SchemasCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Logging.off();
        String url = cluster.resolve().registryUrl();
        Health health = Probes.registry(url);
        if (!health.up()) {
            throw new CliException("the schema registry at " + url + " does not answer (" + health.detail() + "); "
                    + ClusterOptions.notRunningHint("schema registry", "--registry-url"));
        }
        RegistryRest registry = new RegistryRest(url);
        spec.commandLine().getOut().print(table(registry, registry.subjects()).render());
        spec.commandLine().getOut().flush();
        return 0;
    }

    static Table table(RegistryRest registry, List<String> subjects) {
        Table table = Table.of("SUBJECT", "VERSION", "ID", "TYPE");
        for (String subject : subjects) {
            RegistryRest.SubjectVersion v = registry.latest(subject);
            table.row(subject, v.version(), v.id(), v.schemaType());
        }
        return table;
    }
}
