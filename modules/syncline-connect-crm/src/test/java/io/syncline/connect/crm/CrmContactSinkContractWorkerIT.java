package io.syncline.connect.crm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.syncline.delivery.testing.Canonical;
import io.syncline.delivery.testing.CanonicalTopics;
import io.syncline.delivery.testing.CustomerSinkContract;
import io.syncline.schemas.finance.Customer;
import io.syncline.sandbox.core.WriteRecord;
import io.syncline.sandbox.crm.CrmSandbox;

/**
 * The CRM contact sink, loaded from its plugin archive into a real worker, against the HubSpot CRM sandbox over HTTP:
 * the shared sink contract (every change delivered once and in order per key through 5xx, 429, timeouts and
 * connection resets; rejected contacts in the dead-letter topic; nothing lost across a worker restart; a rejected
 * credential fails the task naming its key).
 *
 * <p>The sink reads customer-activity records, so the contract's customer changes are written as the activity of
 * customers without payments (revision = version).
 *
 * <p>The contract counts a change as applied the first time the target sees its idempotency key, so this test sends
 * one contact per request ({@code batch.max.records=1}): each request then carries its change's own key, which the
 * sandbox honours as HubSpot-style APIs do. Batched delivery is covered by {@link CrmContactSinkWorkerIT}. The
 * contract's event id and version travel in two spare contact properties (jobtitle, website) so the sandbox's write
 * log can show which change each write applied.
 */
class CrmContactSinkContractWorkerIT extends CustomerSinkContract {

    private CrmSandbox crm;

    @Override
    protected String connectorClass() {
        return "io.syncline.connect.crm.CrmContactSinkConnector";
    }

    @Override
    protected void startTarget() {
        crm = CrmSandbox.builder().port(0).build().start();
    }

    @Override
    protected void stopTarget() {
        if (crm != null) {
            crm.close();
        }
    }

    @Override
    protected Map<String, String> connectorConfig(String namespace, String credential) {
        Map<String, String> c = deliveryConfig(namespace, credential, "1", "127.0.0.1:" + crm.port());
        c.put("crm.url", crm.url());
        c.put("crm.customer.properties", "firstname=name|given_name,lastname=name|family_name,"
                + "syncline_customer_id=$key,jobtitle=metadata.event_id,website=metadata.source_updated_at|epoch_millis");
        c.put("batch.max.records", "1");
        c.put("rate.limit.window.requests", "0");
        return c;
    }

    @Override
    protected String credentialKey() {
        return "auth.bearer.token";
    }

    @Override
    protected String validCredential() {
        return CrmSandbox.DEFAULT_PRIVATE_APP_TOKEN; // what the sandbox accepts; known before it starts
    }

    @Override
    protected String rejectedCredential() {
        return "pat-na1-11111111-1111-4111-8111-111111111111";
    }

    @Override
    protected List<Applied> applied(String namespace) {
        List<Applied> out = new ArrayList<>();
        for (WriteRecord w : crm.writes()) {
            Map<String, String> p = w.properties();
            if ("contacts".equals(w.objectType()) && p.get("jobtitle") != null && p.get("website") != null) {
                out.add(new Applied(p.get("syncline_customer_id"), p.get("jobtitle"), Long.parseLong(p.get("website"))));
            }
        }
        return out;
    }

    /**
     * The contract's customer changes as the normalizer's join would write them for customers without payments: one
     * customer-activity record per change, its revision the change's version (rising per key).
     */
    @Override
    protected void produce(String namespace, List<Change> changes) {
        CanonicalTopics.create(bootstrapServers(), topic(namespace), 3);
        CanonicalTopics.produce(bootstrapServers(), new Canonical(registry.url()), topic(namespace), changes.stream()
                .map(c -> {
                    String sourceId = c.key().substring("stripe:".length());
                    String email = c.rejectable() ? "not-an-email" : sourceId + "@example.com";
                    Customer customer = Canonical.customer(sourceId, email, "Customer " + sourceId, c.eventId(),
                            Instant.ofEpochMilli(c.version()));
                    return Map.entry(c.key(), Activities.of(c.key(), c.version(), customer, null, 0, email));
                }).toList());
    }

    @Override
    protected void injectFault(Fault fault, double ratio) {
        switch (fault) {
            case SERVER_ERROR -> crm.faults().serverErrorRatio(ratio);
            case RATE_LIMITED -> crm.faults().rateLimitRatio(ratio);
            case TIMEOUT -> crm.faults().timeoutRatio(ratio).timeoutMs(3_000);
            case CONNECTION_RESET -> crm.faults().connectionResetRatio(ratio);
            default -> throw new IllegalArgumentException("unknown fault " + fault);
        }
    }

    @Override
    protected void clearFaults() {
        if (crm != null) {
            crm.faults().reset();
        }
    }

    @Override
    protected long faultsServed(Fault fault) {
        String name = switch (fault) {
            case SERVER_ERROR -> "server_error";
            case RATE_LIMITED -> "rate_limit";
            case TIMEOUT -> "timeout";
            case CONNECTION_RESET -> "connection_reset";
        };
        return crm.requestLog().records(r -> name.equals(r.fault())).size();
    }

    @Override
    protected List<InvalidConfig> invalidConfigs(Map<String, String> valid) {
        Map<String, String> badMapping = new LinkedHashMap<>(valid);
        badMapping.put("crm.payment.properties", "syncline_last_payment_amount=amount|shout");
        Map<String, String> badPointer = new LinkedHashMap<>(valid);
        badPointer.put("crm.customer.properties", "{firstname: /name~2}");
        Map<String, String> tooBig = new LinkedHashMap<>(valid);
        tooBig.put("batch.max.records", "500");
        return withSharedInvalidConfigs(valid, "crm.url", "http://169.254.169.254", port -> "http://127.0.0.1:" + port,
                List.of(
                        new InvalidConfig("an unknown transform", badMapping, "crm.payment.properties",
                                "unknown transform 'shout'"),
                        new InvalidConfig("a malformed JSON Pointer", badPointer, "crm.customer.properties",
                                "invalid escape in JSON Pointer \"/name~2\""),
                        new InvalidConfig("more contacts per batch than HubSpot takes", tooBig, "batch.max.records",
                                "Value must be no more than 100")));
    }
}
