package io.syncline.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stats file {@code status} reads: account budgets come from the tasks' plugin metrics in JMX, as the worker
 * registers them ({@code kafka.connect:type=plugins,connector=…,task=…}), one entry per account however many tasks
 * share it.
 */
class PipelineStatsTest {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final List<ObjectName> registered = new ArrayList<>();

    @AfterEach
    void unregister() throws Exception {
        for (ObjectName n : registered) {
            server.unregisterMBean(n);
        }
    }

    /** A task's plugin metrics as the worker's JMX reporter shows them: one attribute per metric name. */
    private void pluginMetrics(String connector, int task, Map<String, Object> attributes) throws Exception {
        ObjectName name = new ObjectName("kafka.connect:type=plugins,connector=" + connector + ",task=" + task);
        server.registerMBean(new DynamicMBean() {
            @Override
            public Object getAttribute(String attribute) throws AttributeNotFoundException {
                if (!attributes.containsKey(attribute)) {
                    throw new AttributeNotFoundException(attribute);
                }
                return attributes.get(attribute);
            }

            @Override
            public void setAttribute(Attribute attribute) {
                throw new UnsupportedOperationException();
            }

            @Override
            public AttributeList getAttributes(String[] names) {
                AttributeList list = new AttributeList();
                for (String n : names) {
                    list.add(new Attribute(n, attributes.get(n)));
                }
                return list;
            }

            @Override
            public AttributeList setAttributes(AttributeList list) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Object invoke(String action, Object[] params, String[] signature) {
                throw new UnsupportedOperationException();
            }

            @Override
            public MBeanInfo getMBeanInfo() {
                MBeanAttributeInfo[] infos = attributes.entrySet().stream().map(e -> new MBeanAttributeInfo(
                        e.getKey(), e.getValue().getClass().getName(), e.getKey(), true, false, false))
                        .toArray(MBeanAttributeInfo[]::new);
                return new MBeanInfo(getClass().getName(), "plugin metrics", infos, null, null, null);
            }
        }, name);
        registered.add(name);
    }

    private static Map<String, Object> budget(String account, long used, long waits, long rateLimited, String users) {
        return Map.of("account-budget-account", account, "account-budget-window-requests", 90L,
                "account-budget-window-ms", 10_000L, "account-budget-used", used, "account-budget-waits-total", waits,
                "account-budget-rate-limited-total", rateLimited, "account-budget-users", users);
    }

    @Test
    void eachAccountBudgetIsWrittenOnceWithItsUsersMergedAndReadBackForStatus(@TempDir Path dataDir)
            throws Exception {
        String shared = "http://localhost:12112 sha256:0123456789ab";
        pluginMetrics("stats-test-source", 0, budget(shared, 37, 4, 1, "stats-test-source-contact"));
        pluginMetrics("stats-test-sink", 0, budget(shared, 37, 4, 1, "stats-test-source-contact,stats-test-sink-1"));
        pluginMetrics("stats-test-sink", 1, budget(shared, 37, 4, 1, "stats-test-sink-2"));
        // A task that has not made its first call has no account yet: it is no budget.
        pluginMetrics("stats-test-idle", 0, budget("", -1, 0, 0, ""));

        // The file is written every two seconds; status reads whatever was written last.
        try (PipelineStats stats = PipelineStats.start(dataDir)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(PipelineStats.accountBudgets(
                    dataDir).orElse(List.of())).filteredOn(b -> b.account().equals(shared))
                    .containsExactly(new PipelineStats.AccountBudgetStats(shared, 90, 10_000, 37, 4, 1,
                            List.of("stats-test-sink-1", "stats-test-sink-2", "stats-test-source-contact"))));
            assertThat(PipelineStats.accountBudgets(dataDir).orElseThrow()).noneMatch(b -> b.account().isEmpty());
        }
    }
}
