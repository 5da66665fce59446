package io.syncline.sandbox.support;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.support.ZendeskErrors.Invalid;

/** How the support API reads its JSON input the way Zendesk does: ids as numbers or strings, tags, times. */
final class SupportInput {

    /** What Zendesk accepts as an e-mail address: something@domain.tld without spaces. */
    static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private SupportInput() {
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static Long longValue(JsonNode n, String field, List<Invalid> problems, String label) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.canConvertToLong() && (v.isIntegralNumber() || v.isTextual())) {
            try {
                return v.isTextual() ? Long.parseLong(v.asText().trim()) : v.asLong();
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        problems.add(new Invalid(field, label + ": " + v.asText() + " is not a valid id", "InvalidValue"));
        return null;
    }

    static List<String> tagList(JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isArray()) {
            v.forEach(t -> split(t.asText(), out));
        } else {
            split(v.asText(), out);
        }
        return out;
    }

    /** Zendesk tags are lower case without spaces; a string is split on spaces and commas. */
    static void split(String text, List<String> out) {
        for (String t : text.split("[\\s,]+")) {
            if (!t.isBlank()) {
                out.add(t.toLowerCase(Locale.ROOT));
            }
        }
    }

    static Instant parseTime(String text) {
        try {
            return OffsetDateTime.parse(text.trim()).toInstant().truncatedTo(ChronoUnit.SECONDS);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(text.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    static Map<String, String> props(JsonNode input) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = input.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            out.put(f.getKey(), f.getValue().isValueNode() ? f.getValue().asText() : Json.write(f.getValue()));
        }
        return out;
    }

    static void putText(ObjectNode n, String field, String value) {
        if (value == null) {
            n.putNull(field);
        } else {
            n.put(field, value);
        }
    }
}
