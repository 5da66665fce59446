package io.syncline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The build fails when a schema change breaks compatibility with a released version: every canonical schema under
 * schemas/ is checked against each frozen copy of its major version in schemas/released/.
 */
class ReleasedSchemasCompatibilityTest {

    @Test
    void everyCanonicalSchemaIsCompatibleWithEveryReleaseOfItsMajorVersion() {
        Path schemas = SchemaTree.schemasDir();

        List<String> problems = ReleaseCheck.problems(schemas, schemas.resolve("released"));

        assertThat(problems).withFailMessage(() -> "schema changes break released versions:\n  "
                + String.join("\n  ", problems) + "\nWithin a major version only add optional fields with defaults"
                + " (or enum symbols to enums with a default); a breaking change raises \"syncline.major\" and so"
                + " moves the entity to a new topic. See docs/schemas.md.").isEmpty();
    }

    @Test
    void theFirstReleaseFreezesTheTenOriginalEntities() {
        assertThat(SchemaTree.load(SchemaTree.schemasDir().resolve("released/1")).values().stream()
                .filter(SchemaTree.SchemaFile::isCanonical).map(SchemaTree.SchemaFile::path))
                .containsExactlyInAnyOrder("finance/Customer.avsc", "finance/Payment.avsc", "finance/Invoice.avsc",
                        "finance/Refund.avsc", "crm/Contact.avsc", "crm/Company.avsc", "crm/Deal.avsc",
                        "support/Ticket.avsc", "support/TicketComment.avsc", "support/SupportUser.avsc");
    }
}
