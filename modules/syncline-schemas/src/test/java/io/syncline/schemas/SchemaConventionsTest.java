package io.syncline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Every schema under schemas/ follows the rules in docs/schemas.md, and the rule check itself catches violations. */
class SchemaConventionsTest {

    @Test
    void everySchemaFollowsTheConventions() {
        List<String> violations = SchemaConventions.violations(SchemaTree.load(SchemaTree.schemasDir()));

        assertThat(violations).as("schema convention violations (see docs/schemas.md)").isEmpty();
    }

    @Test
    void theDomainsAreTheOnesTheArchitectureNames() {
        assertThat(SchemaTree.load(SchemaTree.schemasDir()).values().stream().map(SchemaTree.SchemaFile::domain)
                .distinct()).containsExactlyInAnyOrder("common", "finance", "crm", "support", "identity");
    }

    @Test
    void missingDocsAndOtherViolationsAreReportedByFileAndField() throws URISyntaxException {
        Path bad = Path.of(getClass().getResource("/conventions/bad").toURI());

        List<String> violations = SchemaConventions.violations(SchemaTree.load(bad));

        assertThat(violations).containsExactlyInAnyOrder(
                "finance/Bad.avsc: a canonical record's second field is metadata: io.syncline.schemas.common.ChangeMetadata",
                "finance/Bad.avsc: Bad.status needs a default: a DELETE carries only id and metadata, and a new field"
                        + " without default breaks readers",
                "finance/Bad.avsc: io.syncline.schemas.finance.Bad has no doc",
                "finance/Bad.avsc: io.syncline.schemas.finance.BadStatus needs \"default\": \"UNKNOWN\" so that new"
                        + " source values never break readers (or \"syncline.closed\": true if adding a symbol must be"
                        + " a new major version)",
                "finance/Bad.avsc: Bad.total: money is io.syncline.schemas.common.Money (minor units and currency),"
                        + " not long",
                "finance/Bad.avsc: Bad.created_at: *_at fields are timestamp-millis",
                "finance/Bad.avsc: Bad.amountDue: field names are lower snake_case",
                "finance/Bad.avsc: Bad.note: an optional field is [\"null\", T]; other unions are not used",
                "finance/Bad.avsc: Bad.undocumented has no doc",
                "finance/Wrong.avsc: defines Other but a file is named after its type: Other.avsc");
    }
}
