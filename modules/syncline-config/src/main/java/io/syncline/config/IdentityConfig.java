package io.syncline.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The {@code normalizer.identity:} section of {@code syncline.yaml}: whether and how the normalizer resolves the
 * canonical customers, contacts and support users into persons ({@code canonical.identity.person.v1},
 * docs/identity.md).
 *
 * @param enabled true (the default): run identity resolution wherever the mappings write a customer, contact or
 *     support user; false: never
 * @param plusAddressing {@code keep} (the default): {@code ada+shop@example.com} and {@code ada@example.com} are
 *     different addresses; {@code strip}: the {@code +tag} of the local part is ignored when matching
 * @param links groups of canonical ids that are one person whatever their e-mails say
 */
public record IdentityConfig(
        @JsonPropertyDescription("Resolve canonical customers, contacts and support users into persons "
                + "(canonical.identity.person.v1 and canonical.identity.person-link.v1; state in Kafka Streams, "
                + "exactly-once). false turns it off.")
        Boolean enabled,
        @JsonPropertyDescription("How e-mails with a +tag match: keep (ada+shop@example.com is its own address) or "
                + "strip (it matches ada@example.com).")
        String plusAddressing,
        @JsonPropertyDescription("Explicit links: each entry is a list of two or more canonical ids "
                + "(<system>:<id>, e.g. [stripe:cus_1, hubspot:51]) that are one person.")
        List<List<String>> links) implements Validatable {

    /** How e-mails with a {@code +tag} in the local part are matched. */
    public enum PlusAddressing {
        /** {@code ada+shop@example.com} is an address of its own. */
        KEEP,
        /** {@code ada+shop@example.com} matches {@code ada@example.com}. */
        STRIP
    }

    private static final Pattern CANONICAL_ID = Pattern.compile("[a-z][a-z0-9-]*:.+");

    public IdentityConfig {
        enabled = enabled == null || enabled;
        plusAddressing = plusAddressing == null || plusAddressing.isBlank() ? "keep"
                : plusAddressing.trim().toLowerCase(Locale.ROOT);
        List<List<String>> copy = new ArrayList<>();
        if (links != null) {
            for (List<String> group : links) {
                copy.add(group == null ? List.of() : group.stream().map(s -> s == null ? "" : s.trim()).toList());
            }
        }
        links = List.copyOf(copy);
    }

    public static IdentityConfig defaults() {
        return new IdentityConfig(null, null, null);
    }

    /** The plus-addressing rule; {@link #validate} has checked that it is one. */
    public PlusAddressing plusAddressingRule() {
        return PlusAddressing.valueOf(plusAddressing.toUpperCase(Locale.ROOT));
    }

    @Override
    public void validate(Problems problems, String path) {
        boolean known = false;
        for (PlusAddressing p : PlusAddressing.values()) {
            known |= p.name().toLowerCase(Locale.ROOT).equals(plusAddressing);
        }
        problems.require(known, Problems.child(path, "plus-addressing"),
                "expected keep or strip, got \"" + plusAddressing + "\"");
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < links.size(); i++) {
            String at = Problems.child(path, "links") + "[" + i + "]";
            List<String> group = links.get(i);
            problems.require(group.size() >= 2, at, "expected a list of two or more canonical ids that are one "
                    + "person, got " + group.size());
            for (String id : group) {
                if (!CANONICAL_ID.matcher(id).matches()) {
                    problems.add(at, "expected canonical ids <system>:<id> (e.g. stripe:cus_1, hubspot:51), got \""
                            + id + "\"");
                    continue;
                }
                Integer other = seen.putIfAbsent(id, i);
                problems.require(other == null || other == i, at, "\"" + id + "\" is linked in links[" + other
                        + "] too; put everything that is one person into one list");
            }
        }
    }
}
