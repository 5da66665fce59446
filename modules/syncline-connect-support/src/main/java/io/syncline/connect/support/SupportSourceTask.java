package io.syncline.connect.support;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.syncline.connect.common.OutboundHttpConfig;
import io.syncline.connect.common.source.PollingSourceTask;

/**
 * Reads the exports of the object types the connector gave this task ({@code task.objects}), each as an
 * {@link ExportStream} that resumes from its own Connect offset; {@link PollingSourceTask} takes turns over them and
 * handles stopping.
 */
public final class SupportSourceTask extends PollingSourceTask<ExportStream> {

    private ZendeskExports api;

    @Override
    protected List<ExportStream> open(Map<String, String> props) {
        SupportSourceConfig config = SupportSourceConfig.forTask(props);
        String connector = props.getOrDefault("name", "support");
        List<ZendeskObject> objects = config.taskObjects();
        api = new ZendeskExports(config, clientName(connector, objects, ZendeskObject::apiName),
                OutboundHttpConfig.retryPolicy(config));
        SupportRecords records = new SupportRecords(connector, config);
        Map<ZendeskObject, ExportOffset> restored = restoredOffsets(objects, ExportOffset::partition,
                ExportOffset::fromMap, ZendeskObject::apiName);
        long now = System.nanoTime();
        List<ExportStream> out = new ArrayList<>();
        for (ZendeskObject o : objects) {
            out.add(new ExportStream(o, restored.get(o), api, records, config, OutboundHttpConfig.retryPolicy(config),
                    Clock.systemUTC(), now));
        }
        return out;
    }

    @Override
    protected void abort() {
        if (api != null) {
            // Wakes retries and rate-limit waits and aborts requests in flight; poll() then returns.
            api.close();
        }
    }
}
