package io.syncline.cli;

import java.util.List;
import java.util.concurrent.Callable;

import io.syncline.cli.common.CliException;
import io.syncline.cli.common.HelpOption;
import io.syncline.ops.Health;
import io.syncline.ops.KafkaTopics;
import io.syncline.ops.Probes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code syncline topics}: the topics with their partitions and record counts. */
@Command(name = "topics", header = "List topics with partitions and record counts.",
        description = "Lists Kafka topics with partitions and record counts (end minus start offset: an upper bound "
                + "for compacted or transactional topics).")
final class TopicsCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--all", description = "Also list internal topics (_schemas, __consumer_offsets, syncline.connect.*).")
    boolean all;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Logging.off();
        String kafka = connection.resolve().bootstrapServers();
        Health health = Probes.kafka(kafka);
        if (!health.up()) {
            throw new CliException("Kafka at " + kafka + " does not answer (" + health.detail() + "); "
                    + ConnectionOptions.notRunningHint("Kafka cluster", "--bootstrap-servers"));
        }
        spec.commandLine().getOut().print(table(KafkaTopics.list(kafka, all)).render());
        spec.commandLine().getOut().flush();
        return 0;
    }

    static Table table(List<KafkaTopics.TopicInfo> topics) {
        Table table = Table.of("TOPIC", "PARTITIONS", "RECORDS");
        topics.forEach(t -> table.row(t.name(), t.partitions(), t.records()));
        return table;
    }
}
