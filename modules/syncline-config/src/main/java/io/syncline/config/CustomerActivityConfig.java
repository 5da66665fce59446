package io.syncline.config;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The {@code normalizer.customer-activity:} section of {@code syncline.yaml}: whether the normalizer derives
 * {@code canonical.finance.customer-activity.v1} (each payer's customer, newest payment, lifetime value and counts)
 * from the canonical customers and payments, in Kafka Streams state (docs/normalizer.md, Customer activity).
 *
 * @param enabled true (the default): run the join wherever the mappings write both {@code finance.Customer} and
 *     {@code finance.Payment}; false: never
 */
public record CustomerActivityConfig(
        @JsonPropertyDescription("Derive canonical.finance.customer-activity.v1 from the canonical customers and "
                + "payments (state in Kafka Streams, exactly-once). It runs only when the mappings write both "
                + "finance.Customer and finance.Payment; false turns it off.")
        Boolean enabled) {

    public CustomerActivityConfig {
        enabled = enabled == null || enabled;
    }

    public static CustomerActivityConfig defaults() {
        return new CustomerActivityConfig(null);
    }
}
