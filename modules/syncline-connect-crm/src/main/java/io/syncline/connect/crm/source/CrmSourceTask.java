package io.syncline.connect.crm.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.syncline.connect.common.OutboundHttpConfig;
import io.syncline.connect.common.TaskMetrics;
import io.syncline.connect.common.source.PollingSourceTask;
import io.syncline.http.AccountBudgetGauges;
import io.syncline.http.AccountBudgets;

/**
 * Reads the object types the connector gave this task ({@code task.objects}), each as an {@link ObjectStream} that
 * resumes from its own Connect offset; {@link PollingSourceTask} takes turns over them and handles stopping.
 *
 * <p>The task publishes the account's shared request budget as plugin metrics ({@code account-budget-*}), which
 * {@code syncline status} shows: the CRM sink of the same account in this worker draws from the same window.
 */
public final class CrmSourceTask extends PollingSourceTask<ObjectStream> {

    private HubSpotApi api;
    private TaskMetrics metrics;

    @Override
    public void start(Map<String, String> props) {
        super.start(props);
        registerMetrics();
    }

    @Override
    protected List<ObjectStream> open(Map<String, String> props) {
        CrmSourceConfig config = CrmSourceConfig.forTask(props);
        String connector = props.getOrDefault("name", "crm-source");
        List<CrmObjectType> types = config.taskObjects();
        api = new HubSpotApi(config, clientName(connector, types, CrmObjectType::singular),
                OutboundHttpConfig.retryPolicy(config));
        return streams(config, connector, types, restoredOffsets(types, SourceOffset::partition,
                SourceOffset::fromMap, CrmObjectType::singular));
    }

    /** Opens one stream per object type, each at its stored offset (or at the beginning). */
    List<ObjectStream> streams(CrmSourceConfig config, String connector, List<CrmObjectType> types,
                               Map<CrmObjectType, SourceOffset> restored) {
        RawRecords records = new RawRecords(connector, config);
        long now = System.nanoTime();
        List<ObjectStream> out = new ArrayList<>();
        for (CrmObjectType t : types) {
            out.add(new ObjectStream(t, restored.get(t), api, records, config, OutboundHttpConfig.retryPolicy(config),
                    now));
        }
        return List.copyOf(out);
    }

    @Override
    protected void abort() {
        unregisterMetrics();
        if (api != null) {
            // Wakes retries that are waiting and aborts requests in flight; poll() then returns. Leaves the account's
            // budgets.
            api.close();
        }
    }

    /** The streams of this task (for tests). */
    @Override
    protected List<ObjectStream> streams() {
        return super.streams();
    }

    // ------------------------------------------------------------------ metrics

    private void registerMetrics() {
        metrics = TaskMetrics.of(() -> context == null ? null : context.pluginMetrics(), "crm-source");
        gauge("records-objects-total", "Live objects written (backfill and changes)",
                () -> streams().stream().mapToLong(ObjectStream::objectsWritten).sum());
        gauge("records-deletes-total", "Archived objects written as deletes",
                () -> streams().stream().mapToLong(ObjectStream::deletesWritten).sum());
        gauge("records-merge-retirements-total", "Merged-away ids retired",
                () -> streams().stream().mapToLong(ObjectStream::retirementsWritten).sum());
        gauge("searches-total", "Search requests", () -> streams().stream().mapToLong(ObjectStream::searches).sum());
        AccountBudgetGauges.register(this::gauge, this::budget);
    }

    /** The account window of the HubSpot API this task calls (joined on its first call). */
    private java.util.Optional<AccountBudgets.Snapshot> budget() {
        HubSpotApi a = api;
        return a == null ? java.util.Optional.empty() : AccountBudgetGauges.of(a.http());
    }

    private <T> void gauge(String name, String description, Supplier<T> value) {
        metrics.gauge(name, description, value);
    }

    private void unregisterMetrics() {
        if (metrics != null) {
            metrics.close();
        }
    }
}
