package io.syncline.connect.payments.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.syncline.sandbox.core.MutableClock;
import io.syncline.sandbox.payments.PaymentsSandbox;
import io.syncline.testsupport.connect.SourceConnectorContract;

/**
 * The shared source-connector contract, run against the payments connector loaded from its packaged plugin archive
 * (target/plugin) by a real Connect worker, polling the payments sandbox over HTTP.
 *
 * <p>This class and its package never touch the connector's classes: the failsafe execution that runs it keeps them
 * off the classpath, so only the archive can provide them.
 */
class PaymentsSourceContractIT extends SourceConnectorContract {

    private PaymentsSandbox sandbox;

    @Override
    protected Path pluginPath() {
        return PaymentsPlugin.pluginPath();
    }

    @Override
    protected String connectorClass() {
        return PaymentsPlugin.CONNECTOR_CLASS;
    }

    /**
     * A fresh sandbox with an hour-old history, so the backfill (objects created up to the server clock minus ten
     * seconds) has work; the activity the contract generates afterwards happens now and arrives as events.
     */
    @Override
    protected void startProvider() {
        MutableClock clock = MutableClock.system();
        clock.advance(Duration.ofHours(-1));
        sandbox = PaymentsSandbox.builder().port(0).seed(namespace().hashCode()).apiKey("sk_test_contract")
                .rateLimitPerSecond(0).clock(clock).build().start();
        sandbox.generator().runSteps(40);
        clock.advance(Duration.ofHours(1));
    }

    @Override
    protected void stopProvider() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Override
    protected Map<String, String> connectorConfig(String namespace, String credential) {
        return PaymentsPlugin.config(sandbox, namespace, credential);
    }

    @Override
    protected String credentialKey() {
        return "auth.bearer.token";
    }

    @Override
    protected String validCredential() {
        return "sk_test_contract";
    }

    @Override
    protected String rejectedCredential() {
        return "sk_test_rotated_away";
    }

    @Override
    protected void generateActivity(int units) {
        sandbox.generator().runSteps(units);
    }

    @Override
    protected Map<String, Set<String>> expectedIdsByTopic(String namespace) {
        return PaymentsPlugin.expectedIds(sandbox, bootstrapServers(), namespace);
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
        return PaymentsPlugin.invalidConfigs(valid, sandbox);
    }
}
