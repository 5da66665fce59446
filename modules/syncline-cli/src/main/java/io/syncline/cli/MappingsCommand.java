package io.syncline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.cli.common.CliException;
import io.syncline.cli.common.ConfigOption;
import io.syncline.cli.common.HelpOption;
import io.syncline.cli.common.MappingsDirOption;
import io.syncline.normalizer.mapping.CanonicalChange;
import io.syncline.normalizer.mapping.CompiledMapping;
import io.syncline.normalizer.mapping.MappingSet;
import io.syncline.normalizer.mapping.TargetCatalog;
import io.syncline.normalizer.stream.NormalizeFailure;
import io.syncline.normalizer.stream.RecordNormalizer;
import io.syncline.registry.client.InMemorySchemaRegistryClient;
import org.apache.kafka.common.header.internals.RecordHeaders;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code syncline mappings validate|test}: check mappings against the canonical schemas, try one on a sample. */
@Command(name = "mappings", header = "Check and try the declarative mappings.",
        description = "Compiles the mapping files against the canonical schemas (validate), or shows the canonical "
                + "record one sample produces (test). Neither needs Kafka or a registry.",
        subcommands = {MappingsCommand.Validate.class, MappingsCommand.Test.class})
final class MappingsCommand implements Runnable {

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command: mappings validate | mappings test <mapping> <sample.json>");
    }

    /** Where the mappings are: {@code --config} and {@code --mappings}. */
    static final class Source {
        @Mixin
        ConfigOption config;

        @Mixin
        MappingsDirOption mappings;

        Path dir() {
            return mappings.resolve(config, config.load());
        }

        MappingSet load() {
            return MappingSet.load(dir(), TargetCatalog.canonical());
        }
    }

    /** Runs the same checks as the normalizer's start. */
    @Command(name = "validate", header = "Compile every mapping against the canonical schemas.",
            description = "Compiles every mapping file as the normalizer does at start and prints each problem as "
                    + "`file:line: key: message` on stderr. Exit code 0 when all are valid, 1 when any is not.")
    static final class Validate implements Callable<Integer> {

        @Mixin
        HelpOption help;

        @Mixin
        Source source;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            MappingSet set = source.load();
            for (CompiledMapping m : set.all()) {
                out.println("ok  " + m.file() + "  " + m.topic() + " → " + m.target().name() + " ("
                        + m.target().topic() + ")");
            }
            out.println(set.all().size() + " mappings valid");
            out.flush();
            return 0;
        }
    }

    /** Prints the canonical record a sample produces. */
    @Command(name = "test", header = "Print the canonical record a sample raw value produces.",
            description = "Runs one mapping on a sample raw value (a bare object or an event envelope) with an "
                    + "in-memory registry and prints the key, topic, operation, event id and canonical record. "
                    + "Exit code 1 when the sample does not map (the reason is printed as the normalizer would "
                    + "dead-letter it).")
    static final class Test implements Callable<Integer> {

        private static final ObjectMapper JSON = new ObjectMapper();

        @Mixin
        HelpOption help;

        @Mixin
        Source source;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "MAPPING", description = "mapping name (stripe/charge) or file")
        String mapping;

        @Parameters(index = "1", paramLabel = "SAMPLE", description = "file with the raw JSON value")
        Path sample;

        @Option(names = {"-H", "--header"}, paramLabel = "NAME=VALUE", description = "a raw record header (repeatable),"
                + " e.g. syncline.received-at=1717171719000")
        Map<String, String> headers = new LinkedHashMap<>();

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            MappingSet all = source.load();
            CompiledMapping m = all.byName(mapping);
            if (m == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no mapping \"" + mapping
                        + "\"; mappings are " + String.join(", ", all.all().stream().map(CompiledMapping::name).toList()));
            }
            byte[] value;
            try {
                value = Files.readAllBytes(sample);
            } catch (NoSuchFileException e) {
                throw new CliException("sample " + sample + " not found; pass a file with the raw JSON value");
            }
            RecordHeaders h = new RecordHeaders();
            headers.forEach((k, v) -> h.add(k, v.getBytes(StandardCharsets.UTF_8)));
            String scope = "mappings-test-" + UUID.randomUUID();
            RecordNormalizer normalizer = new RecordNormalizer(MappingSet.of(List.of(m)), Map.of(
                    "schema.registry.url", "mock://" + scope, "auto.register.schemas", true));
            try {
                long now = System.currentTimeMillis();
                normalizer.prepare(m.topic(), 0, 0L, now, h, value, now);
                var envelope = normalizer.envelope();
                if (m.merges() && envelope.envelope().change() != null && !envelope.delete()) {
                    // A single-property change has no canonical record of its own: the normalizer merges it into the
                    // latest full version of its object, which a sample alone does not have.
                    out.println("envelope:  " + envelope.name() + " (" + envelope.type() + ")");
                    out.println("object:    " + envelope.objectId() + ", event id " + normalizer.eventId());
                    out.println(envelope.property() == null ? "no property: the full object comes with the next poll"
                            : "changes " + envelope.property() + " to " + envelope.propertyValue() + " at "
                            + java.time.Instant.ofEpochMilli(envelope.time()) + "; merged into the latest full"
                            + " version of the object (test a full object to see the canonical record)");
                    out.flush();
                    return 0;
                }
                CanonicalChange change = normalizer.map();
                normalizer.encode(change, h);
                out.println("key:       " + change.key());
                out.println("topic:     " + m.target().topic());
                out.println("operation: " + (change.delete() ? "DELETE (then a tombstone)" : "UPSERT"));
                out.println("event id:  " + (normalizer.eventId() == null ? "(none: not deduplicated)"
                        : normalizer.eventId()));
                String text = change.record().toString();
                try {
                    text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(text));
                } catch (Exception e) {
                    // GenericData's rendering is JSON for every type the canonical schemas use; keep it raw if not.
                }
                out.println(text);
                out.flush();
                return 0;
            } catch (NormalizeFailure f) {
                err.println(f.reason().header() + " error (" + f.errorClass() + "): " + f.getMessage());
                err.flush();
                return SynclineCli.PROBLEMS;
            } finally {
                InMemorySchemaRegistryClient.dropScope(scope);
            }
        }
    }
}
