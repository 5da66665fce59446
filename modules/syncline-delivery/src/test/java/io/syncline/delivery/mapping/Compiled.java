package io.syncline.delivery.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.mapping.MappingContext;
import org.apache.kafka.connect.sink.SinkRecord;

/** A sink configuration's expressions compiled for a test, with the view they read records through. */
final class Compiled {

    final Map<String, List<String>> problems = new LinkedHashMap<>();
    final SinkMappings mappings = new SinkMappings(problems);
    private RecordView view;

    /** A body mapping as configured under {@code body.mapping}; no problem allowed. */
    static SinkMappings.Body body(String text, boolean omitNulls, Compiled[] out) {
        Compiled c = new Compiled();
        SinkMappings.Body body = c.mappings.object("body.mapping", text, omitNulls, true);
        assertThat(c.problems).as("problems of " + text).isEmpty();
        out[0] = c;
        return body;
    }

    MappingContext view(SinkRecord record) {
        if (view == null) {
            view = mappings.view();
        }
        return view.of(record);
    }

    /** The body for {@code record}, compiled from {@code text}. */
    static JsonNode apply(String text, boolean omitNulls, SinkRecord record) {
        Compiled[] c = new Compiled[1];
        SinkMappings.Body body = body(text, omitNulls, c);
        return body.apply(c[0].view(record));
    }
}
