package io.syncline.connect.payments;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.syncline.connect.common.source.PollingSourceTask;

/**
 * Polls the object types the connector gave this task ({@code task.objects}), each as an {@link ObjectStream} that
 * resumes from its own Connect offset; {@link PollingSourceTask} takes turns over them and handles stopping.
 */
public final class PaymentsSourceTask extends PollingSourceTask<ObjectStream> {

    private StripeApi api;

    @Override
    protected List<ObjectStream> open(Map<String, String> props) {
        PaymentsSourceConfig config = PaymentsSourceConfig.forTask(props);
        String connector = props.getOrDefault("name", "payments");
        List<StripeObject> objects = config.taskObjects();
        api = new StripeApi(config, clientName(connector, objects, StripeObject::apiName),
                StripeApi.retryPolicy(config));
        return streams(config, connector, objects, restoredOffsets(objects, StreamOffset::partition,
                StreamOffset::fromMap, StripeObject::apiName));
    }

    /** Opens one stream per object type, each at its stored offset (or at the beginning). */
    List<ObjectStream> streams(PaymentsSourceConfig config, String connector, List<StripeObject> objects,
                               Map<StripeObject, StreamOffset> restored) {
        RawRecords records = new RawRecords(connector, config);
        long now = System.nanoTime();
        List<ObjectStream> out = new ArrayList<>();
        for (StripeObject o : objects) {
            out.add(new ObjectStream(o, restored.get(o), api, records, config, StripeApi.retryPolicy(config),
                    Clock.systemUTC(), now));
        }
        return List.copyOf(out);
    }

    @Override
    protected void abort() {
        if (api != null) {
            // Wakes retries that are waiting and aborts requests in flight; poll() then returns.
            api.close();
        }
    }
}
