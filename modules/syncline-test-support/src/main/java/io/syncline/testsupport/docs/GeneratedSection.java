package io.syncline.testsupport.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one freshness check for everything generated from code into the repository (docs pages, deploy files): every
 * generated-docs test calls it, so every generated part has the same markers and the same write switch.
 *
 * <p>A generated part of a page sits between {@code <!-- NAME:begin ... -->} (the rest of the comment is free text,
 * say what it is generated from) and {@code <!-- NAME:end -->}; a generated file is generated whole. A test fails
 * when the part or file is stale, and rewrites it instead when the build runs with {@code -Dsyncline.docs.write=true}
 * ({@code ./mvnw test -Dsyncline.docs.write=true} refreshes every one; the failure message names the single test).
 */
public final class GeneratedSection {

    /** The system property that makes the checks rewrite stale parts instead of failing. */
    public static final String WRITE = "syncline.docs.write";

    private GeneratedSection() {
    }

    /** The docs directory: {@code -Dsyncline.docs.dir}, else {@code ../../docs} from a module directory. */
    public static Path docsDir() {
        return Path.of(System.getProperty("syncline.docs.dir", "../../docs")).toAbsolutePath().normalize();
    }

    /** The repository root, as seen from a module directory (where the build runs a module's tests). */
    public static Path repositoryDir() {
        return docsDir().getParent();
    }

    /** Checks that {@code page} holds {@code generated} between its {@code name} markers (or rewrites it). */
    public static void assertUpToDate(Path page, String name, String generated) {
        String text = read(page);
        String beginPrefix = "<!-- " + name + ":begin";
        String end = "<!-- " + name + ":end -->";
        int begin = text.indexOf(beginPrefix);
        assertThat(begin).as(page + " has a '" + beginPrefix + " ... -->' marker").isNotNegative();
        int beginEnd = text.indexOf("-->", begin) + 3;
        int endAt = text.indexOf(end, beginEnd);
        assertThat(endAt).as(page + " has a '" + end + "' marker after the begin marker").isGreaterThan(begin);

        String current = text.substring(beginEnd, endAt);
        String wanted = "\n" + generated.strip() + "\n";
        if (Boolean.getBoolean(WRITE) && !current.equals(wanted)) {
            write(page, text.substring(0, beginEnd) + wanted + text.substring(endAt));
            current = wanted;
        }
        assertThat(current).withFailMessage(page.getFileName() + " is stale: its '" + name + "' part no longer matches the"
                + " code it is generated from. Regenerate it with\n  " + regenerateCommand() + "\nand commit the result.")
                .isEqualTo(wanted);
    }

    /**
     * Deprecated form that named its own command; the command is now derived from the calling test.
     *
     * @deprecated use {@link #assertUpToDate(Path, String, String)}; kept so branches written against it still build
     */
    @Deprecated
    public static void assertUpToDate(Path page, String name, String generated, String ignoredCommand) {
        assertUpToDate(page, name, generated);
    }

    /** Checks that {@code file} is exactly {@code generated} (or writes it): for files generated whole. */
    public static void assertFileUpToDate(Path file, String generated) {
        String current = Files.exists(file) ? read(file) : "";
        if (Boolean.getBoolean(WRITE) && !current.equals(generated)) {
            write(file, generated);
            current = generated;
        }
        assertThat(current).withFailMessage(file.getFileName() + " is stale: it no longer matches the code it is "
                + "generated from. Regenerate it with\n  " + regenerateCommand() + "\nand commit the result.")
                .isEqualTo(generated);
    }

    /** {@code ./mvnw -pl modules/<this module> test -Dtest=<calling test> -Dsyncline.docs.write=true}. */
    static String regenerateCommand() {
        String test = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.map(StackWalker.StackFrame::getDeclaringClass)
                        .filter(c -> c != GeneratedSection.class).findFirst())
                .map(Class::getSimpleName).orElse("<the test>");
        Path module = Path.of("").toAbsolutePath().getFileName();
        return "./mvnw -pl modules/" + module + " test -Dtest=" + test + " -D" + WRITE + "=true";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("rewriting " + file, e);
        }
    }
}
