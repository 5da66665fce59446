package io.syncline.connect.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import io.syncline.connect.common.OutboundHttpConfig;
import org.junit.jupiter.api.Test;

class PaymentsSourceConnectorTest {

    private static Map<String, String> props(String objects, String budget) {
        Map<String, String> p = new HashMap<>();
        p.put("name", "stripe");
        p.put(PaymentsSourceConfig.API_KEY, "sk_test_1");
        p.put(PaymentsSourceConfig.OBJECTS, objects);
        p.put(OutboundHttpConfig.RATE_PER_SECOND, budget);
        return p;
    }

    @Test
    void oneTaskPerObjectTypeUpToTasksMaxWithTheBudgetSplitEvenly() {
        PaymentsSourceConnector connector = new PaymentsSourceConnector();
        connector.start(props("customer,charge,payment_intent,invoice,refund", "20"));

        List<Map<String, String>> five = connector.taskConfigs(10);
        assertThat(five).extracting(t -> t.get("task.objects"))
                .containsExactly("customer", "charge", "payment_intent", "invoice", "refund");
        assertThat(five).extracting(t -> t.get("outbound.task.share")).containsOnly("0.2");
        assertThat(five).allMatch(t -> t.get("name").equals("stripe")
                && t.get("auth.bearer.token").equals("sk_test_1"));

        List<Map<String, String>> two = connector.taskConfigs(2);
        assertThat(two).extracting(t -> t.get("task.objects"))
                .containsExactly("customer,payment_intent,refund", "charge,invoice");
        assertThat(two).extracting(t -> t.get("outbound.task.share")).containsOnly("0.5");

        assertThat(connector.taskConfigs(1)).extracting(t -> t.get("task.objects"))
                .containsExactly("customer,charge,payment_intent,invoice,refund");
        // A task parses its config, internal keys included.
        PaymentsSourceConfig task = PaymentsSourceConfig.forTask(two.get(1));
        assertThat(task.taskObjects()).containsExactly(StripeObject.CHARGE, StripeObject.INVOICE);
        assertThat(task.getDouble(OutboundHttpConfig.TASK_SHARE) * task.getDouble(OutboundHttpConfig.RATE_PER_SECOND))
                .isEqualTo(10.0);
    }

    @Test
    void declaresExactlyOnceSupport() {
        assertThat(new PaymentsSourceConnector().exactlyOnceSupport(props("charge", "5")))
                .isEqualTo(ExactlyOnceSupport.SUPPORTED);
    }

    @Test
    void validateReportsStaticProblemsOnTheirKeysWithoutCallingTheApi() {
        Map<String, String> p = props("charge", "5");
        p.put(PaymentsSourceConfig.PAGE_SIZE, "0");
        p.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (ConfigValue v : new PaymentsSourceConnector().validate(p).configValues()) {
            if (!v.errorMessages().isEmpty()) {
                errors.put(v.name(), v.errorMessages());
            }
        }
        assertThat(errors).containsOnlyKeys("page.size", "value.converter", "key.converter");
    }

    @Test
    void acceptsOffsetResetsAndOwnOffsetsAndRefusesForeignOnes() {
        PaymentsSourceConnector c = new PaymentsSourceConnector();
        Map<Map<String, ?>, Map<String, ?>> reset = new HashMap<>();
        reset.put(Map.of("object", "charge"), null);
        assertThat(c.alterOffsets(props("charge", "5"), reset)).isTrue();
        assertThat(c.alterOffsets(props("charge", "5"), Map.of(Map.of("object", "refund"),
                new StreamOffset.Backfill(10, "re_1").toMap()))).isTrue();
        assertThatThrownBy(() -> c.alterOffsets(props("charge", "5"), Map.of(Map.of("file", "x"), Map.of())))
                .isInstanceOf(ConnectException.class)
                .hasMessageStartingWith("the source partition {file=x} is not one of this connector's");
        assertThatThrownBy(() -> c.alterOffsets(props("charge", "5"), Map.of(Map.of("object", "charge"),
                Map.of("phase", "sideways")))).hasMessageContaining("unknown phase 'sideways'");
    }
}
