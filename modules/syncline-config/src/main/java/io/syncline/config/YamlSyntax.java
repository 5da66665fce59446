package io.syncline.config;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Turns a YAML syntax error into a problem that says what is wrong in the user's terms and what would be valid.
 *
 * <p>SnakeYAML (under Jackson's YAML parser) reports where it gave up, which for an unclosed {@code [env:NAME} is the
 * next line's {@code key:}, with "expected ',' or ']'"; the useful place is where the list was opened, and the useful
 * advice is how to close it. SnakeYAML's context ("while parsing a flow sequence") tells which case it is.
 */
final class YamlSyntax {

    private YamlSyntax() {
    }

    /**
     * @param lines the line of each key
     * @param valueStarts the key of each value by where it starts ({@code "line:column"}, 1-based)
     */
    static ConfigProblem problem(JsonProcessingException e, String source, Map<String, Integer> lines,
            Map<String, String> valueStarts) {
        MarkedYAMLException marked = marked(e);
        if (marked == null) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            return new ConfigProblem(source, Math.max(line, 0), keyOn(line, lines),
                    "not valid YAML: " + e.getOriginalMessage());
        }
        Mark opened = marked.getContextMark();
        Mark stopped = marked.getProblemMark();
        int line = opened != null ? opened.getLine() + 1 : stopped != null ? stopped.getLine() + 1 : 0;
        String key = opened == null ? null : valueStarts.get(line + ":" + (opened.getColumn() + 1));
        if (key == null) {
            key = keyOn(line, lines);
        }
        String where = stopped == null ? "" : stopped.getLine() + 1 == line ? " on the same line"
                : " before line " + (stopped.getLine() + 1);
        String context = marked.getContext() == null ? "" : marked.getContext();
        String problem = marked.getProblem() == null ? "" : marked.getProblem();
        String message;
        if (context.contains("flow sequence")) {
            message = "the list opened with [ on line " + line + " is not closed (no ]" + where + "); "
                    + (key.endsWith("secrets") ? "a secret list is [env:NAME] or [env:NAME, file:/path/to/secret], "
                    + "closed on the line it starts" : "write a list as [a, b] closed on the line it starts")
                    + ", or as one \"- item\" per line";
        } else if (context.contains("flow mapping")) {
            message = "the mapping opened with { on line " + line + " is not closed (no }" + where + "); write it as "
                    + "{key: value, other: value} closed on the line it starts, or as one \"key: value\" per line";
        } else if (context.contains("quoted scalar")) {
            message = "the text quoted on line " + line + " is not closed (no closing quote" + where + "); end it "
                    + "with the quote it starts with, \" or '";
        } else if (problem.contains("mapping values are not allowed")) {
            message = "a value contains \": \" (a colon and a space), which YAML reads as a new key; quote the value,"
                    + " e.g. key: \"a: b\"";
        } else if (problem.contains("'\\t'")) {
            message = "a tab character; YAML indents with spaces only";
        } else {
            message = "not valid YAML: " + (context.isEmpty() ? "" : context + ": ") + problem;
        }
        return new ConfigProblem(source, line, key, message);
    }

    private static MarkedYAMLException marked(Throwable e) {
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof MarkedYAMLException m) {
                return m;
            }
        }
        return null;
    }

    /** The deepest key that starts on {@code line}, else the nearest one above it; "" when there is none. */
    static String keyOn(int line, Map<String, Integer> lines) {
        String best = "";
        int bestLine = 0;
        for (Map.Entry<String, Integer> e : lines.entrySet()) {
            int l = e.getValue();
            if (l <= line && (l > bestLine || l == bestLine && e.getKey().length() > best.length())) {
                best = e.getKey();
                bestLine = l;
            }
        }
        return best;
    }
}
