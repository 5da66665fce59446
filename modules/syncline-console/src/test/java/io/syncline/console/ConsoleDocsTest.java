package io.syncline.console;

import java.lang.reflect.RecordComponent;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.syncline.config.ConsoleConfig;
import io.syncline.testsupport.docs.GeneratedSection;
import org.junit.jupiter.api.Test;

/** docs/console.md's table of the {@code console:} keys is generated from {@link ConsoleConfig}'s descriptions. */
class ConsoleDocsTest {

    @Test
    void theConsoleKeysTableIsCurrent() {
        StringBuilder table = new StringBuilder("| key | what it does |\n|---|---|\n");
        PropertyNamingStrategies.KebabCaseStrategy kebab = new PropertyNamingStrategies.KebabCaseStrategy();
        for (RecordComponent c : ConsoleConfig.class.getRecordComponents()) {
            JsonPropertyDescription d = c.getAccessor().getAnnotation(JsonPropertyDescription.class);
            table.append("| `console.").append(kebab.translate(c.getName())).append("` | ")
                    .append(d == null ? "" : d.value()).append(" |\n");
        }
        GeneratedSection.assertUpToDate(GeneratedSection.docsDir().resolve("console.md"), "console-keys",
                table.toString());
    }
}
