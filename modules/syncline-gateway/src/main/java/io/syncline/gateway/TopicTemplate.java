package io.syncline.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.syncline.config.WebhookEndpointConfig;

/**
 * A raw topic name, fixed ({@code raw.github.event}) or filled per request from the payload
 * ({@code raw.stripe.{/data/object/object}} → {@code raw.stripe.charge}).
 */
final class TopicTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(/[^{}]*)}");

    private final String text;
    /** Literal parts; {@code literals.length == pointers.size() + 1}. */
    private final String[] literals;
    private final List<String> pointers;

    private TopicTemplate(String text, String[] literals, List<String> pointers) {
        this.text = text;
        this.literals = literals;
        this.pointers = pointers;
    }

    static TopicTemplate parse(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        List<String> literals = new ArrayList<>();
        List<String> pointers = new ArrayList<>();
        int last = 0;
        while (m.find()) {
            literals.add(text.substring(last, m.start()));
            pointers.add(m.group(1));
            last = m.end();
        }
        literals.add(text.substring(last));
        return new TopicTemplate(text, literals.toArray(String[]::new), List.copyOf(pointers));
    }

    boolean isFixed() {
        return pointers.isEmpty();
    }

    /** The JSON Pointers of the placeholders, in order. */
    List<String> pointers() {
        return pointers;
    }

    /**
     * The topic for one request, or null when a placeholder value is missing or not a safe topic part
     * (letters, digits, {@code _} and {@code -}).
     *
     * @param values the placeholder values first, in the order of {@link #pointers()}; later entries are ignored
     */
    String fill(String[] values) {
        if (isFixed()) {
            return text;
        }
        StringBuilder topic = new StringBuilder(text.length() + 16).append(literals[0]);
        for (int i = 0; i < pointers.size(); i++) {
            String value = values[i];
            if (value == null || !safe(value)) {
                return null;
            }
            topic.append(value).append(literals[i + 1]);
        }
        return topic.length() <= WebhookEndpointConfig.MAX_TOPIC_LENGTH ? topic.toString() : null;
    }

    private static boolean safe(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
