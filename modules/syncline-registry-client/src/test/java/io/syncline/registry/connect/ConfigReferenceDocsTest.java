package io.syncline.registry.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference in docs/serde.md is generated from the ConfigDef and must match it. To refresh it:
 * {@code ./mvnw -pl modules/syncline-registry-client test -Dtest=ConfigReferenceDocsTest -Dsyncline.docs.update=true}.
 */
class ConfigReferenceDocsTest {

    private static final Path DOC = Path.of("../../docs/serde.md");
    private static final String BEGIN = "<!-- config-reference:begin (generated from AvroConverterConfig.configDef()) -->";
    private static final String END = "<!-- config-reference:end -->";

    @Test
    void theConfigurationReferenceInDocsIsFresh() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertThat(begin).as("docs/serde.md has the marker " + BEGIN).isNotNegative();
        assertThat(end).as("docs/serde.md has the marker " + END).isGreaterThan(begin);
        String expected = "\n" + render(AvroConverterConfig.configDef()) + "\n";
        String actual = doc.substring(begin + BEGIN.length(), end);
        if (Boolean.getBoolean("syncline.docs.update") && !expected.equals(actual)) {
            Files.writeString(DOC, doc.substring(0, begin + BEGIN.length()) + expected + doc.substring(end),
                    StandardCharsets.UTF_8);
            return;
        }
        assertThat(actual).as("docs/serde.md configuration reference is stale; rerun this test with "
                + "-Dsyncline.docs.update=true").isEqualTo(expected);
    }

    static String render(ConfigDef def) {
        Map<String, List<ConfigDef.ConfigKey>> byGroup = new LinkedHashMap<>();
        for (ConfigDef.ConfigKey key : def.configKeys().values()) {
            byGroup.computeIfAbsent(key.group == null ? "Other" : key.group, g -> new ArrayList<>()).add(key);
        }
        StringBuilder out = new StringBuilder();
        byGroup.forEach((group, keys) -> {
            out.append("\n#### ").append(group).append("\n\n");
            out.append("| key | type | default | valid values | importance | description |\n");
            out.append("|---|---|---|---|---|---|\n");
            for (ConfigDef.ConfigKey key : keys) {
                out.append("| `").append(key.name).append("` | ").append(key.type.name().toLowerCase())
                        .append(" | ").append(defaultText(key)).append(" | ")
                        .append(key.validator == null ? "" : cell(key.validator.toString()))
                        .append(" | ").append(key.importance.name().toLowerCase())
                        .append(" | ").append(cell(key.documentation)).append(" |\n");
            }
        });
        return out.toString().strip();
    }

    private static String defaultText(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        Object value = key.defaultValue;
        if (value == null) {
            return "null";
        }
        if (value instanceof Password) {
            return "[hidden]";
        }
        if (value instanceof List<?> list) {
            return list.isEmpty() ? "\"\"" : "`" + String.join(",", list.stream().map(String::valueOf).toList()) + "`";
        }
        if (value instanceof Class<?> c) {
            return "`" + c.getName() + "`";
        }
        return "`" + value + "`";
    }

    private static String cell(String text) {
        // Angle brackets would read as HTML tags in Markdown tables (<topic> would vanish).
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ");
    }
}
