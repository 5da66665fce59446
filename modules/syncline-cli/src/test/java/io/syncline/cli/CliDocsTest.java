package io.syncline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** docs/cli.md carries the current --help of every command; run with -Dsyncline.docs.update=true to rewrite it. */
class CliDocsTest {

    @Test
    void theCommandReferenceInDocsMatchesTheHelpOfEveryCommand() throws Exception {
        Path file = Path.of(System.getProperty("syncline.docs.dir", "../../docs")).resolve("cli.md");
        String text = Files.readString(file);
        int begin = text.indexOf(CliDocs.BEGIN);
        int end = text.indexOf(CliDocs.END);
        assertThat(begin).as("%s has the marker %s", file, CliDocs.BEGIN).isNotNegative();
        assertThat(end).as("%s has the marker %s", file, CliDocs.END).isGreaterThan(begin);
        String current = text.substring(begin, end + CliDocs.END.length() + 1);
        String expected = CliDocs.reference();
        if (Boolean.getBoolean("syncline.docs.update") && !current.equals(expected)) {
            Files.writeString(file, text.substring(0, begin) + expected + text.substring(end + CliDocs.END.length() + 1));
            return;
        }
        assertThat(current).as("%s is stale: rerun with -Dsyncline.docs.update=true to regenerate it", file)
                .isEqualTo(expected);
    }
}
