package io.syncline.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.syncline.cli.common.CliException;
import io.syncline.cli.common.HelpOption;
import io.syncline.ops.Health;
import io.syncline.ops.Probes;
import io.syncline.ops.Registry;
import io.syncline.registry.client.SchemaMetadata;
import io.syncline.registry.client.SchemaRegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code syncline schemas}: the registry's subjects with their latest version. */
@Command(name = "schemas", header = "List schema subjects with their latest version.",
        description = "Lists the schema registry's subjects with the latest version, its schema id and type.")
final class SchemasCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    ConnectionOptions connection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Logging.off();
        String url = connection.resolve().registryUrl();
        Health health = Probes.registry(url);
        if (!health.up()) {
            throw new CliException("the schema registry at " + url + " does not answer (" + health.detail() + "); "
                    + ConnectionOptions.notRunningHint("schema registry", "--registry-url"));
        }
        try (SchemaRegistryClient registry = Registry.client(url)) {
            spec.commandLine().getOut().print(table(registry).render());
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** Every subject with its latest version, sorted by subject. */
    static Table table(SchemaRegistryClient registry) {
        Table table = Table.of("SUBJECT", "VERSION", "ID", "TYPE");
        List<String> subjects = new ArrayList<>(registry.getAllSubjects());
        subjects.sort(null);
        for (String subject : subjects) {
            SchemaMetadata v = registry.getLatestSchemaMetadata(subject);
            table.row(subject, v.version(), v.id(), v.schemaType());
        }
        return table;
    }
}
