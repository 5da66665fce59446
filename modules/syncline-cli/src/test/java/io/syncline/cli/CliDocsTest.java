package io.syncline.cli;

import io.syncline.testsupport.docs.GeneratedSection;
import org.junit.jupiter.api.Test;

/** docs/cli.md carries the current --help of every command, nested ones included. */
class CliDocsTest {

    @Test
    void theCommandReferenceInDocsMatchesTheHelpOfEveryCommand() {
        GeneratedSection.assertUpToDate(GeneratedSection.docsDir().resolve("cli.md"), "cli-reference",
                CliDocs.reference());
    }
}
