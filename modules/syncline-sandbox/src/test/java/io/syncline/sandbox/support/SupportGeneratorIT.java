package io.syncline.sandbox.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.syncline.sandbox.core.MutableClock;

class SupportGeneratorIT {

    private static List<JsonNode> snapshot(SupportSandbox s) {
        return s.objectIds("tickets").stream().map(id -> s.ticket(Long.parseLong(id))).toList();
    }

    @Test
    void theSameSeedGivesTheSameDesk() {
        try (SupportSandbox a = Zendesk.standing(MutableClock.fixedAt(Zendesk.T0)).seed(99).build().start();
             SupportSandbox b = Zendesk.standing(MutableClock.fixedAt(Zendesk.T0)).seed(99).build().start();
             SupportSandbox c = Zendesk.standing(MutableClock.fixedAt(Zendesk.T0)).seed(100).build().start()) {
            assertThat(a.generator().runSteps(300)).isEqualTo(b.generator().runSteps(300));
            c.generator().runSteps(300);
            assertThat(a.objectIds()).isEqualTo(b.objectIds());
            assertThat(snapshot(a).toString().replace(a.url(), ""))
                    .isEqualTo(snapshot(b).toString().replace(b.url(), ""));
            assertThat(snapshot(a).toString().replace(a.url(), ""))
                    .isNotEqualTo(snapshot(c).toString().replace(c.url(), ""));
        }
    }

    @Test
    void generatedActivityCoversTheTicketLifecycle() {
        MutableClock clock = MutableClock.fixedAt(Zendesk.T0);
        try (SupportSandbox s = Zendesk.standing(clock).seed(5).build().start()) {
            for (int i = 0; i < 600; i++) {
                s.generator().runSteps(1);
                clock.advance(Duration.ofSeconds(7));
            }
            Set<String> statuses = new HashSet<>();
            int withReplies = 0;
            for (JsonNode t : snapshot(s)) {
                statuses.add(t.get("status").asText());
                if (s.comments(t.get("id").asLong()).size() > 1) {
                    withReplies++;
                }
            }
            assertThat(statuses).contains("new", "open", "pending", "solved", "closed");
            assertThat(withReplies).isGreaterThan(10);
            assertThat(s.objectIds("organizations")).isNotEmpty();
            assertThat(s.objectIds("users").size()).isGreaterThan(20);
            assertThat(s.writes()).isEmpty();
        }
    }

    @Test
    void inTheBackgroundItRunsAtTheRateAndStops() {
        try (SupportSandbox s = SupportSandbox.builder().seed(8).generatorRate(200).startGenerator(true).build()
                .start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> s.generator().units() >= 100);
            s.generator().stop();
            long units = s.generator().units();
            assertThat(s.generator().running()).isFalse();
            assertThat(s.objectIds("tickets")).isNotEmpty();
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> s.generator().units() == units);
        }
    }
}
