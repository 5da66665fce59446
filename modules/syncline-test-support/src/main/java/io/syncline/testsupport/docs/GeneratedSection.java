package io.syncline.testsupport.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A part of a docs page generated from code, between {@code <!-- <name>:begin ... -->} and {@code <!-- <name>:end -->}
 * markers: {@link #assertUpToDate} fails when the page is stale and rewrites it when the build runs with
 * {@code -Dsyncline.docs.update=true}.
 */
public final class GeneratedSection {

    private GeneratedSection() {
    }

    /** The docs directory: {@code -Dsyncline.docs.dir}, else {@code ../../docs} from a module directory. */
    public static Path docsDir() {
        return Path.of(System.getProperty("syncline.docs.dir", "../../docs")).toAbsolutePath().normalize();
    }

    /**
     * Checks that {@code page} holds {@code generated} between its {@code name} markers.
     *
     * @param updateCommand the command that regenerates the page, shown when it is stale
     */
    public static void assertUpToDate(Path page, String name, String generated, String updateCommand) {
        String text;
        try {
            text = Files.readString(page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + page, e);
        }
        String beginPrefix = "<!-- " + name + ":begin";
        String end = "<!-- " + name + ":end -->";
        int begin = text.indexOf(beginPrefix);
        assertThat(begin).as(page + " has a '" + beginPrefix + " ... -->' marker").isNotNegative();
        int beginEnd = text.indexOf("-->", begin) + 3;
        int endAt = text.indexOf(end, beginEnd);
        assertThat(endAt).as(page + " has a '" + end + "' marker after the begin marker").isGreaterThan(begin);

        String current = text.substring(beginEnd, endAt);
        String wanted = "\n" + generated.strip() + "\n";
        if (Boolean.getBoolean("syncline.docs.update") && !current.equals(wanted)) {
            try {
                Files.writeString(page, text.substring(0, beginEnd) + wanted + text.substring(endAt), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("rewriting " + page, e);
            }
            current = wanted;
        }
        assertThat(current).withFailMessage(page.getFileName() + " is stale: its '" + name + "' part no longer matches the"
                + " code it is generated from. Regenerate it with\n  " + updateCommand + "\nand commit the result.")
                .isEqualTo(wanted);
    }
}
