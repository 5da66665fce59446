package io.syncline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release check catches breaking changes: each fixture under {@code evolution/} is the released {@code Order}
 * schema ({@code evolution/released/1}, frozen with {@code schemas/freeze-release.sh}) with one change.
 */
class BreakingChangeDetectionTest {

    private static final String RELEASED_ORDER = "released/1/shop/Order.avsc (major version 1)";

    @Test
    void anUnchangedTreePasses() {
        assertThat(problems("base")).isEmpty();
    }

    @Test
    void addingAnOptionalFieldAnOpenEnumSymbolAndRemovingAnOptionalFieldPass() {
        assertThat(problems("compatible")).isEmpty();
    }

    @Test
    void removingAFieldWithoutDefaultBreaksReadersOnTheReleasedSchema() {
        assertThat(problems("field-removed")).containsExactly(
                "shop/Order.avsc is incompatible with " + RELEASED_ORDER + ": Order.customer_id: field removed although"
                        + " the released schema has no default for it [READER_FIELD_MISSING_DEFAULT_VALUE; readers on"
                        + " the released schema cannot read data written with the new schema]");
    }

    @Test
    void changingATypeIsReportedInBothDirections() {
        assertThat(problems("type-changed")).containsExactly(
                "shop/Order.avsc is incompatible with " + RELEASED_ORDER + ": Order.quantity: type changed from int to"
                        + " string [TYPE_MISMATCH; the new schema cannot read data written with the released schema]",
                "shop/Order.avsc is incompatible with " + RELEASED_ORDER + ": Order.quantity: type changed from int to"
                        + " string [TYPE_MISMATCH; readers on the released schema cannot read data written with the"
                        + " new schema]");
    }

    @Test
    void addingARequiredFieldWithoutDefaultCannotReadReleasedData() {
        assertThat(problems("required-field-added")).containsExactly(
                "shop/Order.avsc is incompatible with " + RELEASED_ORDER + ": Order.channel: field added without a"
                        + " default [READER_FIELD_MISSING_DEFAULT_VALUE; the new schema cannot read data written with"
                        + " the released schema]");
    }

    @Test
    void aChangeInsideAnOptionalSharedRecordIsReportedAtTheNestedField() {
        assertThat(problems("nested-type-changed")).containsExactly(
                "shop/Order.avsc is incompatible with " + RELEASED_ORDER + ": Order.total.amount: type changed from"
                        + " long to string [TYPE_MISMATCH; the new schema cannot read data written with the released"
                        + " schema]",
                "shop/Order.avsc is incompatible with " + RELEASED_ORDER + ": Order.total.amount: type changed from"
                        + " long to string [TYPE_MISMATCH; readers on the released schema cannot read data written"
                        + " with the new schema]");
    }

    @Test
    void addingASymbolToAClosedEnumBreaksReadersOnTheReleasedSchema() {
        assertThat(problems("closed-enum-symbol-added")).containsExactly(
                "shop/Order.avsc is incompatible with " + RELEASED_ORDER + ": Order.kind: enum symbols [EXCHANGE] were"
                        + " added but the released enum has no default symbol to read them as [MISSING_ENUM_SYMBOLS;"
                        + " readers on the released schema cannot read data written with the new schema]");
    }

    @Test
    void aBreakingChangeIsAllowedWithTheNextMajorVersion() {
        assertThat(problems("major-bumped")).isEmpty();
    }

    @Test
    void aMajorVersionMayNotSkipANumber() {
        assertThat(problems("major-skipped")).containsExactly(
                "shop/Order.avsc jumps to major version 3 but the highest released one is 1; the next major version"
                        + " is 2");
    }

    @Test
    void aReleasedCanonicalSchemaMayNotBeDeleted() {
        assertThat(problems("released-schema-deleted")).containsExactly(
                "shop/Order.avsc is missing, but released/1/shop/Order.avsc was released: subscribers of its topic"
                        + " depend on it, so a canonical schema is never deleted");
    }

    @Test
    void editingAFrozenReleaseIsCaught(@TempDir Path tmp) throws IOException {
        Path released = copyTree(fixture("released"), tmp.resolve("released"));
        Path frozenOrder = released.resolve("1/shop/Order.avsc");
        // The classic attempt to make a breaking change pass: edit the baseline too.
        Files.writeString(frozenOrder, Files.readString(frozenOrder).replace("\"int\"", "\"string\""));

        assertThat(ReleaseCheck.problems(fixture("type-changed"), released)).containsExactly(
                "released/1/shop/Order.avsc was modified after the release was frozen (its SHA-256 differs from"
                        + " SHA256SUMS); released schemas never change: make the change in the current schema"
                        + " instead");
    }

    @Test
    void strayFilesInAReleaseAreCaught(@TempDir Path tmp) throws IOException {
        Path released = copyTree(fixture("released"), tmp.resolve("released"));
        Files.writeString(released.resolve("1/shop/Extra.avsc"), "\"string\"");
        Files.createDirectories(released.resolve("next"));

        assertThat(ReleaseCheck.problems(fixture("base"), released)).containsExactlyInAnyOrder(
                "released/next is not a release: expected only folders named by release number, written by"
                        + " schemas/freeze-release.sh",
                "released/1/shop/Extra.avsc was added after the release was frozen (it is not in SHA256SUMS);"
                        + " released schemas never change");
    }

    @Test
    void theFreezeScriptWritesAReleaseTheCheckAccepts(@TempDir Path tmp) throws Exception {
        Path tree = copyTree(fixture("compatible"), tmp.resolve("schemas"));
        copyTree(fixture("released"), tree.resolve("released"));

        Result frozen = freeze(tree, "2");

        assertThat(frozen.exitCode()).as(frozen.output()).isZero();
        assertThat(frozen.output()).contains("froze 2 schemas as release 2");
        assertThat(Files.readString(tree.resolve("released/2/SHA256SUMS"))).contains("  common/Money.avsc",
                "  shop/Order.avsc");
        assertThat(tree.resolve("released/2/shop/Order.avsc")).hasSameTextualContentAs(tree.resolve("shop/Order.avsc"));
        assertThat(ReleaseCheck.problems(tree, tree.resolve("released"))).isEmpty();
    }

    @Test
    void theFreezeScriptRefusesToOverwriteOrGoBack(@TempDir Path tmp) throws Exception {
        Path tree = copyTree(fixture("base"), tmp.resolve("schemas"));
        copyTree(fixture("released"), tree.resolve("released"));

        Result again = freeze(tree, "1");
        Result zero = freeze(tree, "0");

        assertThat(again.exitCode()).isNotZero();
        assertThat(again.output()).contains("release 1 already exists").contains("released schemas are frozen");
        assertThat(zero.exitCode()).isNotZero();
        assertThat(zero.output()).contains("release must be a positive integer without leading zeros, got '0'");
        assertThat(ReleaseCheck.problems(tree, tree.resolve("released"))).isEmpty();
    }

    private static List<String> problems(String scenario) {
        return ReleaseCheck.problems(fixture(scenario), fixture("released"));
    }

    static Path fixture(String name) {
        try {
            return Path.of(BreakingChangeDetectionTest.class.getResource("/evolution/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test fixture evolution/" + name, e);
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result freeze(Path tree, String release) throws Exception {
        Path script = SchemaTree.schemasDir().resolve("freeze-release.sh");
        Process process = new ProcessBuilder("sh", script.toString(), release, tree.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("freeze-release.sh finished").isTrue();
        return new Result(process.exitValue(), output);
    }

    private static Path copyTree(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException("copying " + from + " to " + to, e);
        }
    }
}
