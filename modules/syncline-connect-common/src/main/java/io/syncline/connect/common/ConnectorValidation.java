package io.syncline.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;

/** Puts cross-field and live problems on the keys they concern in a connector's {@code validate()} result. */
public final class ConnectorValidation {

    private ConnectorValidation() {
    }

    /**
     * {@code config} with each problem added to its key's value; a key the connector does not define (Connect's own
     * {@code errors.*}) gets a value of its own, which the worker reports like any other.
     */
    public static Config withProblems(Config config, Map<String, List<String>> problems) {
        List<ConfigValue> values = new ArrayList<>(config.configValues());
        for (Map.Entry<String, List<String>> p : problems.entrySet()) {
            ConfigValue value = values.stream().filter(v -> v.name().equals(p.getKey())).findFirst().orElse(null);
            if (value == null) {
                value = new ConfigValue(p.getKey());
                values.add(value);
            }
            for (String message : p.getValue()) {
                if (!value.errorMessages().contains(message)) {
                    value.addErrorMessage(message);
                }
            }
        }
        return new Config(values);
    }
}
