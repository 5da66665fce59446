package io.syncline.normalizer.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.config.ConfigException;
import io.syncline.config.SynclineConfig;
import io.syncline.normalizer.mapping.CanonicalChange;
import io.syncline.normalizer.mapping.CompiledMapping;
import io.syncline.normalizer.mapping.MappingSet;
import io.syncline.normalizer.mapping.TargetCatalog;
import io.syncline.normalizer.stream.NormalizeFailure;
import io.syncline.normalizer.stream.RecordNormalizer;
import io.syncline.registry.client.InMemorySchemaRegistryClient;
import org.apache.kafka.common.header.internals.RecordHeaders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code syncline mappings validate|test}: check mappings against the canonical schemas, try one on a sample. */
@Command(name = "mappings", mixinStandardHelpOptions = true, description = "Check and try the declarative mappings.",
        subcommands = {MappingsCommand.Validate.class, MappingsCommand.Test.class})
public final class MappingsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("use: mappings validate | mappings test <mapping> <sample.json>");
        return 2;
    }

    /** Runs the same checks as the normalizer's start. */
    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Compile every mapping against the canonical schemas; print each problem with file and line.")
    public static final class Validate implements Callable<Integer> {

        @Mixin
        ConnectionOptions connection;

        @Override
        public Integer call() {
            return run(connection, System.out);
        }

        static int run(ConnectionOptions connection, PrintStream out) {
            try {
                SynclineConfig config = connection.loadConfig();
                Path dir = connection.mappingsDir(config);
                MappingSet set = MappingSet.load(dir, TargetCatalog.canonical());
                for (CompiledMapping m : set.all()) {
                    out.println("ok  " + m.file() + "  " + m.topic() + " → " + m.target().name() + " ("
                            + m.target().topic() + ")");
                }
                out.println(set.all().size() + " mappings valid");
                return 0;
            } catch (ConfigException e) {
                return ConnectionOptions.fail(e);
            }
        }
    }

    /** Prints the canonical record a sample produces. */
    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Print the canonical record that a sample raw value (bare object or event envelope) produces.")
    public static final class Test implements Callable<Integer> {

        private static final ObjectMapper JSON = new ObjectMapper();

        @Mixin
        ConnectionOptions connection;

        @Parameters(index = "0", paramLabel = "MAPPING", description = "mapping name (stripe/charge) or file")
        String mapping;

        @Parameters(index = "1", paramLabel = "SAMPLE", description = "file with the raw JSON value")
        Path sample;

        @Option(names = {"-H", "--header"}, paramLabel = "NAME=VALUE", description = "a raw record header (repeatable),"
                + " e.g. syncline.received-at=1717171719000")
        Map<String, String> headers = new LinkedHashMap<>();

        @Override
        public Integer call() throws Exception {
            return run(System.out, System.err);
        }

        int run(PrintStream out, PrintStream err) throws Exception {
            MappingSet all;
            try {
                all = MappingSet.load(connection.mappingsDir(connection.loadConfig()), TargetCatalog.canonical());
            } catch (ConfigException e) {
                return ConnectionOptions.fail(e);
            }
            CompiledMapping m = all.byName(mapping);
            if (m == null) {
                err.println("no mapping \"" + mapping + "\"; mappings are "
                        + String.join(", ", all.all().stream().map(CompiledMapping::name).toList()));
                return 2;
            }
            byte[] value = Files.readAllBytes(sample);
            RecordHeaders h = new RecordHeaders();
            headers.forEach((k, v) -> h.add(k, v.getBytes(StandardCharsets.UTF_8)));
            String scope = "mappings-test-" + UUID.randomUUID();
            RecordNormalizer normalizer = new RecordNormalizer(MappingSet.of(List.of(m)), Map.of(
                    "schema.registry.url", "mock://" + scope, "auto.register.schemas", true));
            try {
                long now = System.currentTimeMillis();
                normalizer.prepare(m.topic(), 0, 0L, now, h, value, now);
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
                return 0;
            } catch (NormalizeFailure f) {
                err.println(f.reason().header() + " error (" + f.errorClass() + "): " + f.getMessage());
                return 1;
            } finally {
                InMemorySchemaRegistryClient.dropScope(scope);
            }
        }
    }
}
