package io.syncline.sandbox.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.syncline.sandbox.core.MutableClock;
import io.syncline.sandbox.testing.HttpTestClient;

/** The seeded CRM activity: deterministic by seed, lifecycle coverage, background rate. */
class CrmGeneratorIT {

    private static CrmSandbox sandbox(long seed) {
        return CrmSandbox.builder().seed(seed).tenSecondlyLimit(0)
                .clock(MutableClock.fixedAt(Instant.parse("2026-04-01T10:00:00Z"))).build();
    }

    private static void assertSameData(CrmSandbox a, CrmSandbox b) {
        Map<String, List<String>> ids = a.objectIds();
        assertThat(b.objectIds()).isEqualTo(ids);
        ids.forEach((type, list) -> list.forEach(id -> assertThat(b.object(type, id)).isEqualTo(a.object(type, id))));
    }

    @Test
    void theSameSeedGeneratesTheSameObjects() throws Exception {
        try (CrmSandbox a = sandbox(5).start(); CrmSandbox b = sandbox(5).start(); CrmSandbox c = sandbox(6).start()) {
            a.generator().runSteps(300);
            assertThat(new HttpTestClient(b.url()).postJson("/_sandbox/generator/steps", "{\"steps\":300}").status())
                    .isEqualTo(200);
            c.generator().runSteps(300);
            assertSameData(a, b);
            assertThat(c.objectIds()).isNotEqualTo(a.objectIds());
            JsonNode listed = new HttpTestClient(a.url()).bearer(a.privateAppToken())
                    .get("/crm/v3/objects/deals?limit=100").json();
            assertThat(listed.get("results").size()).isPositive();
        }
    }

    @Test
    void generatedActivityCoversLifecycles() {
        try (CrmSandbox crm = sandbox(8)) {
            crm.generator().runSteps(800);
            List<JsonNode> contacts = crm.objectIds("contacts").stream().map(id -> crm.object("contacts", id)).toList();
            List<JsonNode> deals = crm.objectIds("deals").stream().map(id -> crm.object("deals", id)).toList();
            assertThat(contacts).anyMatch(c -> c.get("archived").asBoolean());
            assertThat(contacts).anyMatch(c -> "customer".equals(c.get("properties").path("lifecyclestage").asText()));
            assertThat(deals).anyMatch(d -> "closedwon".equals(d.get("properties").path("dealstage").asText()));
            assertThat(deals).anyMatch(d -> "closedlost".equals(d.get("properties").path("dealstage").asText()));
            assertThat(crm.objectIds("companies")).isNotEmpty();
            assertThat(crm.writes()).isEmpty();
        }
    }

    @Test
    void runsInTheBackgroundUntilStopped() {
        try (CrmSandbox crm = CrmSandbox.builder().seed(2).generatorRate(200).startGenerator(true).build().start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> crm.generator().units() >= 100);
            crm.generator().stop();
            long units = crm.generator().units();
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> crm.generator().units() == units);
        }
    }
}
