package io.syncline.connect.crm.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.syncline.connect.common.OutboundHttpConfig;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.junit.jupiter.api.Test;

class CrmSourceConnectorTest {

    private static Map<String, String> props(String objects) {
        Map<String, String> p = new HashMap<>();
        p.put("name", "hubspot");
        p.put(OutboundHttpConfig.AUTH_BEARER_TOKEN, "pat-na1-1");
        p.put(CrmSourceConfig.OBJECTS, objects);
        return p;
    }

    @Test
    void oneTaskPerObjectTypeUpToTasksMaxWithTheWindowSplitEvenly() {
        CrmSourceConnector connector = new CrmSourceConnector();
        connector.start(props("contact,company,deal"));

        List<Map<String, String>> three = connector.taskConfigs(10);
        assertThat(three).extracting(t -> t.get("task.objects")).containsExactly("contact", "company", "deal");
        assertThat(three).extracting(t -> t.get("outbound.task.share")).containsOnly(Double.toString(1.0 / 3));

        List<Map<String, String>> two = connector.taskConfigs(2);
        assertThat(two).extracting(t -> t.get("task.objects")).containsExactly("contact,deal", "company");
        CrmSourceConfig task = CrmSourceConfig.forTask(two.get(0));
        assertThat(task.taskObjects()).containsExactly(CrmObjectType.CONTACT, CrmObjectType.DEAL);
        assertThat(connector.taskConfigs(1)).extracting(t -> t.get("task.objects"))
                .containsExactly("contact,company,deal");
    }

    @Test
    void declaresExactlyOnceSupport() {
        assertThat(new CrmSourceConnector().exactlyOnceSupport(props("contact")))
                .isEqualTo(ExactlyOnceSupport.SUPPORTED);
    }

    @Test
    void validateReportsStaticProblemsOnTheirKeysWithoutCallingHubSpot() {
        Map<String, String> p = props("contact");
        p.put(CrmSourceConfig.PAGE_SIZE, "0");
        p.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (ConfigValue v : new CrmSourceConnector().validate(p).configValues()) {
            if (!v.errorMessages().isEmpty()) {
                errors.put(v.name(), v.errorMessages());
            }
        }
        assertThat(errors).containsOnlyKeys("page.size", "value.converter", "key.converter");
    }

    @Test
    void acceptsOffsetResetsAndOwnOffsetsAndRefusesForeignOnes() {
        CrmSourceConnector c = new CrmSourceConnector();
        Map<Map<String, ?>, Map<String, ?>> reset = new HashMap<>();
        reset.put(Map.of("object", "contact"), null);
        assertThat(c.alterOffsets(props("contact"), reset)).isTrue();
        assertThat(c.alterOffsets(props("contact"), Map.of(Map.of("object", "deal"),
                new SourceOffset.Backfill(10, "42").toMap()))).isTrue();
        assertThatThrownBy(() -> c.alterOffsets(props("contact"), Map.of(Map.of("object", "ticket"), Map.of())))
                .isInstanceOf(ConnectException.class)
                .hasMessageStartingWith("the source partition {object=ticket} is not one of this connector's");
        assertThatThrownBy(() -> c.alterOffsets(props("contact"), Map.of(Map.of("object", "contact"),
                Map.of("phase", "sideways")))).hasMessageContaining("unknown phase 'sideways'");
    }
}
