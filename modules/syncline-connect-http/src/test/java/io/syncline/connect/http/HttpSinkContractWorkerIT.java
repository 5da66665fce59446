package io.syncline.connect.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.syncline.delivery.testing.CustomerSinkContract;
import io.syncline.delivery.testing.FakeCustomerApi;

/**
 * The generic HTTP sink, loaded from its plugin archive into a real worker, against a loopback customer API that
 * honours idempotency keys: the shared sink contract.
 */
class HttpSinkContractWorkerIT extends CustomerSinkContract {

    private static final String TOKEN = "sk_test_generic_sink_token";

    private FakeCustomerApi api;

    @Override
    protected String connectorClass() {
        return "io.syncline.connect.http.HttpSinkConnector";
    }

    @Override
    protected void startTarget() {
        api = new FakeCustomerApi(TOKEN, Duration.ofSeconds(3));
    }

    @Override
    protected void stopTarget() {
        api.close();
    }

    @Override
    protected Map<String, String> connectorConfig(String namespace, String credential) {
        Map<String, String> c = deliveryConfig(namespace, credential, "2", api.hostPort());
        c.put("http.url", api.url() + "/v1/customers/{/metadata/source_id}");
        c.put("http.method", "PUT");
        c.put("body.mapping", "{id: /id, email: /email, name: /name, version: {epoch-millis: /metadata/source_updated_at}}");
        return c;
    }

    @Override
    protected String credentialKey() {
        return "auth.bearer.token";
    }

    @Override
    protected String validCredential() {
        return TOKEN;
    }

    @Override
    protected String rejectedCredential() {
        return "sk_test_revoked_token";
    }

    @Override
    protected List<Applied> applied(String namespace) {
        return api.applied();
    }

    @Override
    protected void injectFault(Fault fault, double ratio) {
        api.inject(fault, ratio);
    }

    @Override
    protected void clearFaults() {
        if (api != null) {
            api.clearFaults();
        }
    }

    @Override
    protected long faultsServed(Fault fault) {
        return api.served(fault);
    }

    @Override
    protected List<InvalidConfig> invalidConfigs(Map<String, String> valid) {
        Map<String, String> hostPlaceholder = new LinkedHashMap<>(valid);
        hostPlaceholder.put("http.url", "https://{email}/v1");
        Map<String, String> badMapping = new LinkedHashMap<>(valid);
        badMapping.put("body.mapping", "{email: {shout: /email}}");
        Map<String, String> badOldMapping = new LinkedHashMap<>(valid);
        badOldMapping.put("body.mapping", "email=email|shout");
        Map<String, String> batchWithPlaceholder = new LinkedHashMap<>(valid);
        batchWithPlaceholder.put("batch.max.records", "50");
        Map<String, String> tolerance = new LinkedHashMap<>(valid);
        tolerance.put("errors.tolerance", "none");
        return withSharedInvalidConfigs(valid, "http.url", "http://169.254.169.254/latest/meta-data",
                port -> "http://127.0.0.1:" + port + "/v1/customers/{/metadata/source_id}", List.of(
                new InvalidConfig("a placeholder in the host", hostPlaceholder, "http.url",
                        "placeholders are allowed in the path and query only"),
                new InvalidConfig("an unknown transform", badMapping, "body.mapping", "unknown transform {shout}"),
                new InvalidConfig("an unknown transform in the old syntax", badOldMapping, "body.mapping",
                        "unknown transform 'shout'"),
                new InvalidConfig("batching to a URL with placeholders", batchWithPlaceholder, "http.url",
                        "remove the placeholders or set batch.max.records=1"),
                new InvalidConfig("dead letters without errors.tolerance=all", tolerance, "errors.tolerance",
                        "must be 'all' when delivery.permanent.failure=dlq")));
    }
}
