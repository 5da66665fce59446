package io.syncline.testsupport.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one freshness check: fails on a stale part naming the command that regenerates it, rewrites it on request. */
class GeneratedSectionTest {

    private static final String PAGE = """
            # Page

            <!-- table:begin (generated from Something by a test; do not edit) -->
            | old |
            <!-- table:end -->

            Hand-written text stays.
            """;

    @TempDir
    Path dir;

    private String writeSwitch;

    /** These tests set the switch themselves; a build run with it (to refresh the docs) must not change them. */
    @BeforeEach
    void writeSwitchOff() {
        writeSwitch = System.clearProperty(GeneratedSection.WRITE);
    }

    @AfterEach
    void writeSwitchAsTheBuildSetIt() {
        if (writeSwitch == null) {
            System.clearProperty(GeneratedSection.WRITE);
        } else {
            System.setProperty(GeneratedSection.WRITE, writeSwitch);
        }
    }

    @Test
    void aStalePartFailsAndSaysHowToRegenerateIt() throws Exception {
        Path page = Files.writeString(dir.resolve("page.md"), PAGE);
        assertThatThrownBy(() -> GeneratedSection.assertUpToDate(page, "table", "| new |"))
                .hasMessageContaining("page.md is stale: its 'table' part no longer matches the code it is generated from")
                .hasMessageContaining("./mvnw -pl modules/syncline-test-support test -Dtest=GeneratedSectionTest "
                        + "-Dsyncline.docs.write=true");
        assertThat(Files.readString(page)).isEqualTo(PAGE);
    }

    @Test
    void theWriteSwitchRewritesOnlyTheGeneratedPart() throws Exception {
        Path page = Files.writeString(dir.resolve("page.md"), PAGE);
        System.setProperty(GeneratedSection.WRITE, "true");
        GeneratedSection.assertUpToDate(page, "table", "| new |\n");
        assertThat(Files.readString(page)).isEqualTo(PAGE.replace("| old |", "| new |"));
        System.clearProperty(GeneratedSection.WRITE);
        GeneratedSection.assertUpToDate(page, "table", "| new |");
    }

    @Test
    void aPageWithoutTheMarkersFails() throws Exception {
        Path page = Files.writeString(dir.resolve("page.md"), "# Page\n<!-- table:start -->\n");
        assertThatThrownBy(() -> GeneratedSection.assertUpToDate(page, "table", "x"))
                .hasMessageContaining("has a '<!-- table:begin ... -->' marker");
    }

    @Test
    void aWholeGeneratedFileIsCheckedAndWrittenTheSameWay() throws Exception {
        Path file = dir.resolve("worker.properties");
        assertThatThrownBy(() -> GeneratedSection.assertFileUpToDate(file, "a=1\n"))
                .hasMessageContaining("worker.properties is stale");
        System.setProperty(GeneratedSection.WRITE, "true");
        GeneratedSection.assertFileUpToDate(file, "a=1\n");
        assertThat(Files.readString(file)).isEqualTo("a=1\n");
    }
}
