package io.syncline.connect.support.it;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.syncline.sandbox.support.SupportSandbox;
import io.syncline.testsupport.connect.SourceConnectorContract;

/**
 * The shared source-connector contract, run against the support source loaded from its packaged plugin archive
 * (target/plugin) by a real Connect worker, reading the support sandbox's exports over HTTP.
 *
 * <p>This class and its package never touch the connector's classes: the failsafe execution that runs it keeps them
 * off the classpath, so only the archive can provide them.
 */
class SupportSourceContractWorkerIT extends SourceConnectorContract {

    private SupportSandbox sandbox;

    @Override
    protected Path pluginPath() {
        return SupportSourcePlugin.pluginPath();
    }

    @Override
    protected String connectorClass() {
        return SupportSourcePlugin.CONNECTOR_CLASS;
    }

    @Override
    protected void startProvider() {
        sandbox = SupportSourcePlugin.sandbox(namespace().hashCode());
        // A desk with some history, and agents, before the connector's first start.
        sandbox.generator().runSteps(40);
    }

    @Override
    protected void stopProvider() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Override
    protected Map<String, String> connectorConfig(String namespace, String credential) {
        return SupportSourcePlugin.config(sandbox, namespace, credential);
    }

    @Override
    protected String credentialKey() {
        return "auth.basic.password";
    }

    @Override
    protected String validCredential() {
        return SupportSandbox.DEFAULT_API_TOKEN;
    }

    @Override
    protected String rejectedCredential() {
        return "RotatedAwayZendeskApiToken00000000000001";
    }

    @Override
    protected void generateActivity(int units) {
        sandbox.generator().runSteps(units);
    }

    @Override
    protected Map<String, Set<String>> expectedIdsByTopic(String namespace) {
        return SupportSourcePlugin.expectedIds(sandbox, namespace);
    }

    @Override
    protected void injectFault(Fault fault, double ratio) {
        switch (fault) {
            case RATE_LIMITED -> sandbox.faults().rateLimitRatio(ratio);
            case SERVER_ERROR -> sandbox.faults().serverErrorRatio(ratio);
            default -> throw new IllegalArgumentException("unknown fault " + fault);
        }
    }

    @Override
    protected void clearFaults() {
        if (sandbox != null) {
            sandbox.faults().reset();
        }
    }

    @Override
    protected long faultsServed(Fault fault) {
        String name = fault == Fault.RATE_LIMITED ? "rate_limit" : "server_error";
        return sandbox.requestLog().records(r -> name.equals(r.fault())).size();
    }

    @Override
    protected List<InvalidConfig> invalidConfigs(Map<String, String> valid) {
        return SupportSourcePlugin.invalidConfigs(valid, sandbox);
    }
}
