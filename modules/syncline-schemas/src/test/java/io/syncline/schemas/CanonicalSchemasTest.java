package io.syncline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Collectors;

import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

import io.syncline.schemas.common.Address;
import io.syncline.schemas.common.ChangeMetadata;
import io.syncline.schemas.common.Money;
import io.syncline.schemas.common.Operation;
import io.syncline.schemas.crm.LifecycleStage;
import io.syncline.schemas.finance.Invoice;
import io.syncline.schemas.finance.InvoiceLine;
import io.syncline.schemas.finance.InvoiceStatus;
import io.syncline.schemas.finance.Payment;
import io.syncline.schemas.support.TicketComment;

/** The catalogue: entity names, classes, topics and lookups that the normalizer and sinks rely on. */
class CanonicalSchemasTest {

    @Test
    void listsTheCanonicalEntitiesWithTheirTopics() {
        Map<String, String> topics = CanonicalSchemas.entities().stream()
                .collect(Collectors.toMap(CanonicalEntity::name, CanonicalEntity::topic, (a, b) -> a,
                        java.util.LinkedHashMap::new));

        assertThat(topics).containsExactly(
                Map.entry("finance.Customer", "canonical.finance.customer.v1"),
                Map.entry("finance.Payment", "canonical.finance.payment.v1"),
                Map.entry("finance.Invoice", "canonical.finance.invoice.v1"),
                Map.entry("finance.Refund", "canonical.finance.refund.v1"),
                Map.entry("finance.Order", "canonical.finance.order.v1"),
                Map.entry("finance.CustomerActivity", "canonical.finance.customer-activity.v1"),
                Map.entry("crm.Contact", "canonical.crm.contact.v1"),
                Map.entry("crm.Company", "canonical.crm.company.v1"),
                Map.entry("crm.Deal", "canonical.crm.deal.v1"),
                Map.entry("support.Ticket", "canonical.support.ticket.v1"),
                Map.entry("support.TicketComment", "canonical.support.ticket-comment.v1"),
                Map.entry("support.SupportUser", "canonical.support.support-user.v1"),
                Map.entry("identity.Person", "canonical.identity.person.v1"),
                Map.entry("identity.PersonLink", "canonical.identity.person-link.v1"));
    }

    @Test
    void everyTopicFollowsTheNamingConventionAndCarriesTheMajorVersion() {
        for (CanonicalEntity entity : CanonicalSchemas.entities()) {
            assertThat(entity.topic()).as(entity.name())
                    .matches("canonical\\.[a-z]+\\.[a-z]+(-[a-z]+)*\\.v[1-9][0-9]*")
                    .startsWith("canonical." + entity.domain() + ".")
                    .endsWith(".v" + entity.majorVersion());
            assertThat(entity.valueSubject()).isEqualTo(entity.topic() + "-value");
            assertThat(entity.majorVersion())
                    .isEqualTo(entity.schema().getObjectProp(CanonicalSchemas.MAJOR_PROPERTY));
        }
        assertThat(CanonicalSchemas.entities().stream().map(CanonicalEntity::topic)).doesNotHaveDuplicates();
    }

    @Test
    void theCatalogueCoversExactlyTheCanonicalSchemaFiles() {
        Map<String, SchemaTree.SchemaFile> files = SchemaTree.load(SchemaTree.schemasDir());
        Map<String, SchemaTree.SchemaFile> canonicalFiles = files.values().stream()
                .filter(SchemaTree.SchemaFile::isCanonical)
                .collect(Collectors.toMap(f -> f.domain() + "." + f.baseName(), f -> f));

        assertThat(CanonicalSchemas.entities().stream().map(CanonicalEntity::name))
                .as("CanonicalSchemas.RECORD_CLASSES must list every schema with \"syncline.major\"")
                .containsExactlyInAnyOrderElementsOf(canonicalFiles.keySet());
        for (CanonicalEntity entity : CanonicalSchemas.entities()) {
            // The generated schema adds "avro.java.string" properties; the parsing form ignores those and docs.
            assertThat(SchemaNormalization.parsingFingerprint64(entity.schema()))
                    .as("generated class of " + entity.name() + " matches its file")
                    .isEqualTo(SchemaNormalization.parsingFingerprint64(canonicalFiles.get(entity.name()).schema()));
        }
    }

    @Test
    void looksEntitiesUpByNameClassAndTopic() {
        CanonicalEntity payment = CanonicalSchemas.entity("finance.Payment");

        assertThat(payment.recordClass()).isEqualTo(Payment.class);
        assertThat(payment.domain()).isEqualTo("finance");
        assertThat(payment.recordName()).isEqualTo("Payment");
        assertThat(payment.schema()).isEqualTo(Payment.getClassSchema());
        assertThat(CanonicalSchemas.entity(Payment.class)).isEqualTo(payment);
        assertThat(CanonicalSchemas.findByTopic("canonical.finance.payment.v1")).contains(payment);
        assertThat(CanonicalSchemas.topic("support.TicketComment")).isEqualTo("canonical.support.ticket-comment.v1");
        assertThat(CanonicalSchemas.schema("finance.Invoice")).isEqualTo(Invoice.getClassSchema());
        assertThat(CanonicalSchemas.entity(TicketComment.class).name()).isEqualTo("support.TicketComment");
        assertThat(CanonicalSchemas.findEntity("finance.payment")).isEmpty();
        assertThat(CanonicalSchemas.findByTopic("canonical.finance.payment.v2")).isEmpty();
    }

    @Test
    void unknownNamesAndClassesAreRejectedWithTheKnownOnes() {
        assertThatThrownBy(() -> CanonicalSchemas.entity("finance.Charge"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown canonical entity 'finance.Charge'; expected one of [finance.Customer,"
                        + " finance.Payment,");
        assertThatThrownBy(() -> CanonicalSchemas.entity(Money.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("io.syncline.schemas.common.Money is not a canonical record class");
    }

    @Test
    void listsEveryGeneratedClassSoThatAvroTrustsThem() {
        assertThat(CanonicalSchemas.generatedClasses())
                .contains(Payment.class, ChangeMetadata.class, Operation.class, Money.class, Address.class,
                        InvoiceLine.class, InvoiceStatus.class, LifecycleStage.class)
                // CustomerActivity adds only itself: its parts are Customer, Payment and Money; identity adds Person,
                // PersonMember, PersonEvent, PersonEventKind, LinkReason and PersonLink; orders add Order and
                // OrderStatus.
                .hasSize(34);
    }

    @Test
    void buildsCanonicalIdsFromSystemAndSourceId() {
        assertThat(CanonicalSchemas.canonicalId("stripe", "ch_3MmlLrLkdIwHu7ix0snN0B15"))
                .isEqualTo("stripe:ch_3MmlLrLkdIwHu7ix0snN0B15");
        assertThat(CanonicalSchemas.canonicalId("postgres-billing", "42:7")).isEqualTo("postgres-billing:42:7");
        assertThatThrownBy(() -> CanonicalSchemas.canonicalId("Stripe", "ch_1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("source system must match [a-z][a-z0-9-]* (e.g. stripe, hubspot, zendesk), got 'Stripe'");
        assertThatThrownBy(() -> CanonicalSchemas.canonicalId("stripe", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("source id of a stripe object must not be empty");
    }
}
