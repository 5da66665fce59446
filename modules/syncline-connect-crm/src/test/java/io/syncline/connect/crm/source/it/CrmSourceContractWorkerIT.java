package io.syncline.connect.crm.source.it;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.syncline.sandbox.core.MutableClock;
import io.syncline.sandbox.core.RequestRecord;
import io.syncline.sandbox.crm.CrmSandbox;
import io.syncline.testsupport.connect.SourceConnectorContract;

/**
 * The shared source-connector contract, run against the CRM source loaded from the CRM plugin's packaged archive
 * (target/plugin) by a real Connect worker, reading the CRM sandbox over HTTP.
 *
 * <p>This class and its package never touch the connector's classes: the failsafe execution that runs it keeps them
 * off the classpath, so only the archive can provide them.
 */
class CrmSourceContractWorkerIT extends SourceConnectorContract {

    /** The source's probe for the server clock before its first sync of a type. */
    private static final Pattern PROBE = Pattern.compile("(^|&)limit=1&properties=hs_object_id(&|$)");
    /** The source's t0 is the server clock of that probe minus this. */
    private static final Duration T0_MARGIN = Duration.ofSeconds(10);

    private CrmSandbox sandbox;
    private Instant activitySince;
    private final Map<String, Instant> firstProbe = new ConcurrentHashMap<>();

    @Override
    protected Path pluginPath() {
        return CrmSourcePlugin.pluginPath();
    }

    @Override
    protected String connectorClass() {
        return CrmSourcePlugin.CONNECTOR_CLASS;
    }

    /**
     * A fresh sandbox with an hour-old history, so the backfill has work; the activity the contract generates
     * afterwards happens now and is read as changes (and as deletes, merges and associations).
     */
    @Override
    protected void startProvider() {
        firstProbe.clear();
        MutableClock clock = MutableClock.system();
        clock.advance(Duration.ofHours(-1));
        sandbox = CrmSandbox.builder().port(0).seed(namespace().hashCode()).clock(clock).tenSecondlyLimit(0)
                .searchRequestsPerSecond(0).build().start();
        sandbox.generator().runSteps(60);
        clock.advance(Duration.ofHours(1));
        activitySince = clock.instant();
    }

    @Override
    protected void stopProvider() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Override
    protected Map<String, String> connectorConfig(String namespace, String credential) {
        return CrmSourcePlugin.config(sandbox, namespace, credential);
    }

    @Override
    protected String credentialKey() {
        return "auth.bearer.token";
    }

    @Override
    protected String validCredential() {
        return CrmSandbox.DEFAULT_PRIVATE_APP_TOKEN;
    }

    @Override
    protected String rejectedCredential() {
        return "pat-na1-22222222-2222-4222-8222-222222222222";
    }

    @Override
    protected void generateActivity(int units) {
        sandbox.generator().runSteps(units);
    }

    @Override
    protected Map<String, Set<String>> expectedIdsByTopic(String namespace) {
        return CrmSourcePlugin.expectedIds(sandbox, namespace, this::archivedAfter);
    }

    /**
     * After when an archived object of {@code plural} must be written: the later of the activity's start and the
     * connector's t0, which is the server clock of its first answered probe (a one-object list asking only
     * hs_object_id) minus the 10 s margin. On a loaded machine the task may start more than 10 s after the activity,
     * and objects archived before t0 were never seen, so the docs promise no delete for them. Before the probe,
     * none is expected yet. Remembered per sandbox: the request log is a ring.
     */
    private Instant archivedAfter(String plural) {
        Instant probe = firstProbe.computeIfAbsent(plural, p -> sandbox.requestLog().records(r -> r.status() == 200
                && "GET".equals(r.method()) && r.path().equals("/crm/v3/objects/" + p) && r.query() != null
                && PROBE.matcher(r.query()).find()).stream().map(RequestRecord::at).min(Instant::compareTo)
                .orElse(null));
        if (probe == null) {
            return Instant.MAX;
        }
        Instant t0 = probe.minus(T0_MARGIN);
        return t0.isAfter(activitySince) ? t0 : activitySince;
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
        return CrmSourcePlugin.invalidConfigs(valid, sandbox);
    }
}
