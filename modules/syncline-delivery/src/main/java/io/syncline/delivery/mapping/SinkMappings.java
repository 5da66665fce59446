package io.syncline.delivery.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.syncline.mapping.Expr;
import io.syncline.mapping.ExprCompiler;
import io.syncline.mapping.MappingContext;
import io.syncline.mapping.Typed;

/**
 * Compiles the mapping expressions of one sink configuration (body and property mappings, ordering key, version,
 * idempotency key, URL placeholders) with the one mapping language ({@code docs/mappings.md}), over the JSON view of
 * a Connect record ({@link RecordView}). Values in the old dotted form are converted ({@link LegacyMapping}) and logged
 * once as deprecated, so a configuration written before keeps working.
 *
 * <p>Problems are reported per configuration key into the map given, every one of them (for {@code validate}). Compile
 * everything first, then take the {@link #view()}: it converts exactly what the expressions read.
 */
public final class SinkMappings {

    private static final YAMLMapper YAML = new YAMLMapper();

    private final Map<String, List<String>> problems;
    private final ExprCompiler compiler;
    private String key = "";
    private String prefix = "";
    private boolean wholeValue;

    /** @param problems where problems go, by configuration key */
    public SinkMappings(Map<String, List<String>> problems) {
        this.problems = problems;
        this.compiler = new ExprCompiler((at, message) -> problem(at.isEmpty() ? message : at + ": " + message));
    }

    private void problem(String message) {
        problems.computeIfAbsent(key, k -> new ArrayList<>()).add(prefix + message);
    }

    /** One value per record, e.g. the ordering key; text, a number or a JSON value, or null. */
    public static final class Value {
        private final Expr expr;

        Value(Expr expr) {
            this.expr = expr;
        }

        /** The value for the record the context points at, or null. */
        public Object eval(MappingContext ctx) {
            return expr.eval(ctx);
        }

        /** The value as text ({@link ConnectJson#text(Object)}), or null. */
        public String text(MappingContext ctx) {
            return ConnectJson.text(expr.eval(ctx));
        }
    }

    /** A JSON object per record (a request body, CRM properties), or the whole record value. */
    public static final class Body {
        private final Expr expr;

        Body(Expr expr) {
            this.expr = expr;
        }

        /** Whether the whole record value is sent (the mapping was empty). */
        public boolean wholeValue() {
            return expr == null;
        }

        /** The JSON for the record the context points at. */
        public JsonNode apply(MappingContext ctx) {
            return expr == null ? ctx.object() : (JsonNode) expr.eval(ctx);
        }
    }

    /**
     * A single expression from configuration key {@code configKey}: a source path ({@code /metadata/event_id},
     * {@code $record/key}) or an expression object ({@code {concat: [/a, /b]}}); an old dotted path
     * ({@code metadata.event_id}, {@code $key}) is converted. Null when the text is empty (the key is off).
     */
    public Value value(String configKey, String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            return null;
        }
        key = configKey;
        JsonNode node;
        if (LegacyMapping.isExpression(t)) {
            node = parse(t);
        } else {
            try {
                String path = LegacyMapping.path(t);
                LegacyMapping.warnDeprecated(configKey, t, path);
                node = TextNode.valueOf(path);
            } catch (IllegalArgumentException e) {
                problem(e.getMessage());
                return null;
            }
        }
        if (node == null) {
            return null;
        }
        int before = compiler.problemCount();
        Typed typed = compiler.value(node, "");
        return compiler.problemCount() > before ? null : new Value(typed.expr());
    }

    /** An expression the sink itself uses (not configuration), e.g. {@code /metadata/operation}. */
    public Value fixed(String expression) {
        key = "(internal) " + expression;
        Typed typed = compiler.value(TextNode.valueOf(expression), "");
        return new Value(typed.expr());
    }

    /**
     * A JSON object from configuration key {@code configKey}: a YAML flow mapping of member names to expressions
     * ({@code {email: {email: /email}, name: {record: {first: {given-name: /name}}}}}), or old
     * {@code target=source|transform} entries, converted. Empty text is the whole record value when
     * {@code emptyIsWholeValue}, else an empty object.
     */
    public Body object(String configKey, String text, boolean omitNulls, boolean emptyIsWholeValue) {
        String t = text == null ? "" : text.trim();
        key = configKey;
        if (t.isEmpty()) {
            if (emptyIsWholeValue) {
                wholeValue = true;
                compiler.readsEverything();
                return new Body(null);
            }
            t = "{}";
        }
        JsonNode node;
        if (t.startsWith("{")) {
            node = parse(t);
        } else {
            try {
                node = LegacyMapping.entries(t);
                LegacyMapping.warnDeprecated(configKey, t, LegacyMapping.flow(node));
            } catch (IllegalArgumentException e) {
                problem(e.getMessage());
                return null;
            }
        }
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            problem("expected a mapping of JSON member names to expressions, e.g. {email: {email: /email}}");
            return null;
        }
        int before = compiler.problemCount();
        Expr expr = compiler.omitNullMembers(omitNulls).jsonObject(node, "", "");
        return compiler.problemCount() > before ? null : new Body(expr);
    }

    /** A URL template from configuration key {@code configKey} (see {@link UrlTemplate}), or null when reported. */
    public UrlTemplate template(String configKey, String text) {
        key = configKey;
        try {
            return UrlTemplate.parse(text, this);
        } catch (IllegalArgumentException e) {
            problem(e.getMessage());
            return null;
        }
    }

    /** Compiles one URL placeholder (a source path, or an old dotted path, converted); null when reported. */
    Value placeholder(String template, String name) {
        String t = name.trim();
        String path;
        if (t.startsWith("/") || t.startsWith("$record/") || t.startsWith("$header/")) {
            path = t;
        } else {
            try {
                path = LegacyMapping.path(t);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + template + "' has an invalid placeholder {" + name + "}: "
                        + e.getMessage(), e);
            }
            LegacyMapping.warnDeprecated(key, "{" + name + "}", "{" + path + "}");
        }
        int before = compiler.problemCount();
        prefix = "'" + template + "' has an invalid placeholder {" + name + "}: ";
        Typed typed;
        try {
            typed = compiler.value(TextNode.valueOf(path), "");
        } finally {
            prefix = "";
        }
        return compiler.problemCount() > before ? null : new Value(typed.expr());
    }

    private JsonNode parse(String text) {
        if (!text.startsWith("{")) {
            return TextNode.valueOf(text);
        }
        try {
            return YAML.readTree(text);
        } catch (JsonProcessingException e) {
            problem("'" + text + "' is not a YAML expression: " + e.getOriginalMessage());
            return null;
        }
    }

    /** The view that converts what these expressions read of a record (all of it for a whole-value body). */
    public RecordView view() {
        return new RecordView(wholeValue ? null : compiler.objectPaths());
    }
}
