package io.syncline.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.syncline.cli.common.CliException;
import io.syncline.cli.common.HelpOption;
import io.syncline.normalizer.identity.PersonLookup;
import io.syncline.ops.Health;
import io.syncline.ops.Probes;
import io.syncline.schemas.common.ChangeMetadata;
import io.syncline.schemas.identity.Person;
import io.syncline.schemas.identity.PersonEvent;
import io.syncline.schemas.identity.PersonMember;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code syncline person QUERY}: shows a resolved person and where each of its parts came from. */
@Command(name = "person", header = "Show a person resolved across systems, and where each part came from.",
        description = {"Finds a person of identity resolution (docs/identity.md) by e-mail (any case and spacing), "
                + "person id (person:<uuid>; a merged one leads to the survivor) or the canonical id of one of its "
                + "records (hubspot:51, stripe:cus_..., zendesk:..., shop:...), and prints its records with why each "
                + "belongs, then its history.",
            "Reads the compacted canonical.identity.person.v1 from its beginning (read_committed, without a "
                + "consumer group): it needs only Kafka and the registry, and shows what the normalizer committed."})
final class PersonCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "QUERY", description = "An e-mail, a person id or a canonical id.")
    String query;

    @Option(names = "--history", paramLabel = "N", defaultValue = "10",
            description = "Show the last N history events (0: none). Default: ${DEFAULT-VALUE}.")
    int history;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Logging.off();
        if (history < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--history: expected 0 or more, got " + history);
        }
        ConnectionOptions.Endpoints endpoints = connection.resolve();
        String kafka = endpoints.bootstrapServers();
        Health health = Probes.kafka(kafka);
        if (!health.up()) {
            throw new CliException("Kafka at " + kafka + " does not answer (" + health.detail() + "); "
                    + ConnectionOptions.notRunningHint("Kafka cluster", "--bootstrap-servers"));
        }
        Map<String, Person> persons;
        try {
            persons = PersonLookup.scan(kafka, endpoints.registryUrl(), Duration.ofSeconds(60));
        } catch (IllegalStateException e) {
            throw new CliException(e.getMessage(), e);
        }
        Optional<PersonLookup.Found> found = PersonLookup.find(persons, query);
        if (found.isEmpty()) {
            throw new CliException("no person matches \"" + query + "\" among " + persons.size()
                    + " persons on canonical.identity.person.v1; give an e-mail, a person id (person:...) or a "
                    + "canonical id (e.g. hubspot:51)");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(render(found.get(), history));
        out.flush();
        return 0;
    }

    /** The person as text: summary, records with why each belongs, last history events. */
    static String render(PersonLookup.Found found, int historyLines) {
        Person p = found.person();
        StringBuilder s = new StringBuilder();
        s.append(p.getId());
        if (p.getDisplayName() != null) {
            s.append("  ").append(p.getDisplayName());
        }
        s.append("  (matched by ").append(found.matchedBy());
        if (found.mergedFrom() != null) {
            s.append(": ").append(found.mergedFrom()).append(" was merged into it");
        }
        s.append(")\n");
        s.append("  e-mails:  ").append(p.getEmails().isEmpty() ? "-" : String.join(", ", p.getEmails()))
                .append('\n');
        ChangeMetadata m = p.getMetadata();
        s.append("  revision: ").append(p.getRevision()).append(", created ").append(p.getCreatedAt())
                .append(", last change from ").append(m.getSourceSystem()).append(' ')
                .append(m.getSourceObjectType()).append(' ').append(m.getSourceId()).append(" (event ")
                .append(m.getEventId()).append(")\n");
        if (!p.getMergedPersonIds().isEmpty()) {
            s.append("  merged:   ").append(String.join(", ", p.getMergedPersonIds())).append('\n');
        }
        s.append('\n');
        Table records = Table.of("RECORD", "ENTITY", "E-MAIL", "WHY", "JOINED");
        for (PersonMember member : p.getMembers()) {
            records.row(member.getId(), member.getEntity(), member.getEmail() == null ? "-" : member.getEmail(),
                    member.getReasons().isEmpty() ? "only record" : member.getReasons().stream().map(Enum::name)
                            .map(r -> r.toLowerCase(java.util.Locale.ROOT).replace('_', ' ')).collect(Collectors.joining(", ")),
                    member.getJoinedAt());
        }
        s.append(records.render());
        if (historyLines > 0 && !p.getHistory().isEmpty()) {
            List<PersonEvent> events = p.getHistory();
            List<PersonEvent> last = events.subList(Math.max(0, events.size() - historyLines), events.size());
            s.append("\nhistory (last ").append(last.size()).append(" of ").append(events.size()).append(")\n");
            Table h = Table.of("WHEN", "WHAT", "RECORD", "PERSON", "WHY");
            for (PersonEvent e : last) {
                h.row(e.getOccurredAt(), e.getKind(), e.getMemberId() == null ? "-" : e.getMemberId(),
                        e.getOtherPersonId() == null ? "-" : e.getOtherPersonId(), e.getReason());
            }
            s.append(h.render());
        }
        return s.toString();
    }
}
