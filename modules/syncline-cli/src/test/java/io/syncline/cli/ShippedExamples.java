package io.syncline.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.syncline.config.ConnectorConfig;
import io.syncline.config.SynclineConfig;
import io.syncline.config.SynclineConfigLoader;
import io.syncline.testsupport.docs.GeneratedSection;

/**
 * The pipelines the project ships as examples: {@code syncline.yaml} at the root and every YAML block of README.md
 * and docs/ that declares sources or sinks. Each must load; tests check what they declare.
 */
final class ShippedExamples {

    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    private ShippedExamples() {
    }

    /** Every example as a loaded config, named by its file. */
    static List<SynclineConfig> configs() {
        Path root = GeneratedSection.repositoryDir();
        List<SynclineConfig> out = new ArrayList<>();
        out.add(SynclineConfigLoader.load(root.resolve("syncline.yaml")));
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path page : pages) {
            String text;
            try {
                text = Files.readString(page);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Matcher m = YAML_BLOCK.matcher(text);
            int n = 0;
            while (m.find()) {
                String block = m.group(1);
                if (block.contains("sources:") || block.contains("sinks:")) {
                    out.add(SynclineConfigLoader.parse(block, root.relativize(page) + " (yaml block " + ++n + ")"));
                }
            }
        }
        return out;
    }

    /** Every source and sink the examples declare. */
    static List<ConnectorConfig> connectors() {
        List<ConnectorConfig> out = new ArrayList<>();
        for (SynclineConfig c : configs()) {
            out.addAll(c.sources());
            out.addAll(c.sinks());
        }
        return out;
    }
}
