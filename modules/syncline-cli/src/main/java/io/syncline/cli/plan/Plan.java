package io.syncline.cli.plan;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * What {@code syncline apply} would change on a cluster, and why it could not, as {@code syncline plan} prints it.
 *
 * @param changes in the order apply carries them out: topics, then schemas, then connectors
 * @param unchanged what already is as declared, per section, one line each
 * @param mappings what was found about the normalizer's mappings, one line (empty when there are none to check)
 * @param warnings what apply leaves as it is although it differs (a topic with more partitions than declared)
 * @param problems why the plan cannot be applied; apply changes nothing while there is one
 * @param refused connectors the worker refuses, by name, with its reasons (also among {@code problems}); {@code up}
 *                runs the others
 */
public record Plan(Cluster.Address address, List<Change> changes, Map<Change.Section, List<String>> unchanged,
                   String mappings, List<String> warnings, List<String> problems,
                   Map<String, List<String>> refused) {

    public Plan {
        changes = List.copyOf(changes);
        unchanged = Map.copyOf(unchanged);
        warnings = List.copyOf(warnings);
        problems = List.copyOf(problems);
        refused = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(refused));
    }

    public boolean hasChanges() {
        return !changes.isEmpty();
    }

    public boolean valid() {
        return problems.isEmpty();
    }

    /** How many changes create (+), change (~) and delete (-). */
    public String count() {
        long add = changes.stream().filter(c -> c.symbol().equals("+")).count();
        long change = changes.stream().filter(c -> c.symbol().equals("~")).count();
        long delete = changes.stream().filter(c -> c.symbol().equals("-")).count();
        return add + " to create, " + change + " to change, " + delete + " to delete";
    }

    /**
     * The readable diff on {@code out}: one block per section, changes first, then what is unchanged, then the
     * warnings and a summary line; the problems, if any, on {@code err}, one {@code error:} line each.
     */
    public void render(PrintWriter out, PrintWriter err) {
        out.println("Plan for " + address + " (from " + address.source() + ")");
        for (Change.Section section : Change.Section.values()) {
            List<Change> here = changes.stream().filter(c -> c.section() == section).toList();
            List<String> same = unchanged.getOrDefault(section, List.of());
            out.println();
            out.println(section.title());
            if (here.isEmpty() && same.isEmpty()) {
                out.println("  (nothing declared)");
            }
            int width = here.stream().mapToInt(c -> c.name().length()).max().orElse(0);
            for (Change c : here) {
                out.println("  " + c.symbol() + " " + pad(c.name(), width) + "  " + c.summary());
                c.details().forEach(d -> out.println("      " + d));
            }
            if (here.stream().anyMatch(c -> c instanceof Changes.AddPartitions)) {
                out.println("    (" + Changes.AddPartitions.NOTE + ")");
            }
            same.forEach(line -> out.println("  " + line));
            if (section == Change.Section.SCHEMAS && !mappings.isEmpty()) {
                out.println();
                out.println("Mappings");
                out.println("  " + mappings);
            }
        }
        if (!warnings.isEmpty()) {
            out.println();
            warnings.forEach(w -> out.println("warning: " + w));
        }
        out.println();
        if (!problems.isEmpty()) {
            out.println("Plan: " + count() + ", but " + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                    + " (below): nothing can be applied until " + (problems.size() == 1 ? "it is" : "they are")
                    + " fixed.");
        } else if (changes.isEmpty()) {
            out.println("No changes: the cluster holds what syncline.yaml declares.");
        } else {
            out.println("Plan: " + count() + ". `syncline apply` carries it out.");
        }
        out.flush();
        problems.forEach(p -> err.println("error: " + p));
        err.flush();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
