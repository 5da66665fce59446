package io.syncline.cli;

import io.syncline.cli.common.MappingsDirOption;
import io.syncline.cli.plan.Cluster;
import io.syncline.cli.plan.Desired;
import io.syncline.cli.plan.Placeholders;
import io.syncline.config.SynclineConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What {@code plan} and {@code apply} share: the cluster, syncline.yaml, the mappings and {@code --prune}. */
public final class PlanOptions {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    MappingsDirOption mappings;

    @Option(names = "--prune", description = "Also delete the connectors on the cluster that syncline.yaml does not "
            + "declare (without it they are listed and kept), and a deleted PostgreSQL CDC source's replication slot "
            + "and publication. Topics and subjects are never deleted.")
    boolean prune;

    /** The cluster, found as every command finds it (flags, the running up, syncline.yaml, the defaults). */
    Cluster cluster() {
        ConnectionOptions.Endpoints e = connection.resolve();
        return new Cluster(new Cluster.Address(e.bootstrapServers(), e.registryUrl(), e.connectUrl(), e.source()));
    }

    /** What syncline.yaml declares, resolved for {@code cluster}. */
    Desired desired(Cluster cluster) {
        SynclineConfig cfg = connection.config();
        return Desired.of(cfg, mappings.resolve(connection.configOption(), cfg),
                new Placeholders(cluster.address().registryUrl(), cluster.address().bootstrapServers()));
    }
}
