package io.syncline.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.syncline.json.Pointer;

/**
 * One webhook endpoint of the gateway: {@code POST /webhooks/<name>}, how its requests are signed, and where they go.
 *
 * @param name the {@code {endpoint}} part of the URL; unique within the gateway
 * @param scheme the provider's signature scheme
 * @param secrets signing secrets by reference; during a rotation list old and new, any match accepts
 * @param topic the raw topic, fixed or a template with JSON Pointer placeholders, e.g. {@code raw.stripe.{/data/object/object}}
 * @param fallbackTopic where a request goes when the template cannot be filled (also: body is not valid JSON)
 * @param key JSON Pointer to the object id, the Kafka record key; empty: the event id is the key
 * @param eventId JSON Pointer or {@code header:<Name>} for the provider's event id
 * @param contentTypes accepted media types (parameters such as charset are ignored)
 * @param topics the only topics a template may produce (an allow-list); any other filled name goes to the fallback
 * @param route JSON Pointer to the value that picks the topic among {@code routes} (instead of {@code topic})
 * @param routes value pattern ({@code *} = any text) → raw topic, first match wins; no match: the fallback topic
 * @param batch {@code none}: a body is one event; {@code array}: a JSON array of events, one record per event
 */
public record WebhookEndpointConfig(
        @JsonPropertyDescription("The {endpoint} part of POST /webhooks/{endpoint}; lower-case letters, digits, - and _.")
        String name,
        @JsonPropertyDescription("Signature scheme of the provider.")
        SignatureScheme scheme,
        @JsonPropertyDescription("Signing secrets as env:NAME or file:/path references; list several while rotating, "
                + "a request signed with any of them is accepted.")
        List<SecretRef> secrets,
        @JsonPropertyDescription("Raw topic, fixed (raw.github.event) or a template whose {/json/pointer} parts are "
                + "filled from the payload (raw.stripe.{/data/object/object}).")
        String topic,
        @JsonPropertyDescription("Topic for requests whose template cannot be filled or whose body is not valid JSON; "
                + "required when topic is a template.")
        String fallbackTopic,
        @JsonPropertyDescription("JSON Pointer to the object id, used as the Kafka key (default per scheme; "
                + "empty string: use the event id).")
        String key,
        @JsonPropertyDescription("JSON Pointer or header:<Name> locating the provider's event id (default per scheme).")
        String eventId,
        @JsonPropertyDescription("Accepted request content types (default application/json).")
        List<String> contentTypes,
        @JsonPropertyDescription("The only topics a topic template may produce; a filled name not listed goes to "
                + "fallback-topic, so a sender cannot name (or make the broker create) a topic. Required with a "
                + "template.")
        List<String> topics,
        @JsonPropertyDescription("JSON Pointer to the value that picks the topic among routes (instead of topic), "
                + "e.g. /subscriptionType.")
        String route,
        @JsonPropertyDescription("With route: value pattern (* = any text) mapped to a raw topic, first match wins, "
                + "e.g. {\"contact.*\": raw.hubspot.contact}; no match goes to fallback-topic.")
        Map<String, String> routes,
        @JsonPropertyDescription("none: a request body is one event; array: a JSON array of events, written as one "
                + "record per event (its own bytes, keyed by its object) (default per scheme: array for hubspot-v3).")
        String batch) implements Validatable {

    /** A request body is one event. */
    public static final String BATCH_NONE = "none";
    /** A request body is a JSON array of events, each written as its own record. */
    public static final String BATCH_ARRAY = "array";

    /** The largest topic name Kafka accepts. */
    public static final int MAX_TOPIC_LENGTH = 249;

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern TOPIC_LITERAL = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");

    public WebhookEndpointConfig {
        name = name == null ? "" : name.trim();
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
        topic = topic == null ? "" : topic.trim();
        fallbackTopic = fallbackTopic == null ? "" : fallbackTopic.trim();
        contentTypes = contentTypes == null || contentTypes.isEmpty() ? List.of("application/json")
                : contentTypes.stream().map(t -> t == null ? "" : t.trim().toLowerCase(Locale.ROOT)).toList();
        topics = topics == null ? List.of() : topics.stream().map(t -> t == null ? "" : t.trim()).toList();
        route = route == null ? "" : route.trim();
        routes = routes == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(routes));
        batch = batch == null ? "" : batch.trim();
    }

    /** An endpoint without allow-list, routes or batch setting (the scheme's default batch applies). */
    public WebhookEndpointConfig(String name, SignatureScheme scheme, List<SecretRef> secrets, String topic,
            String fallbackTopic, String key, String eventId, List<String> contentTypes) {
        this(name, scheme, secrets, topic, fallbackTopic, key, eventId, contentTypes, null, null, null, null);
    }

    /** Whether bodies are batches: {@link #BATCH_ARRAY} or {@link #BATCH_NONE} (the scheme's default if unset). */
    public String effectiveBatch() {
        if (!batch.isEmpty()) {
            return batch;
        }
        return scheme == null ? BATCH_NONE : scheme.defaultBatch();
    }

    /** Every topic the endpoint may write: its fixed topic or allow-list or routes, and its fallback topic. */
    public List<String> declaredTopics() {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
        if (!topic.isEmpty() && !topicIsTemplate()) {
            all.add(topic);
        }
        all.addAll(topics);
        all.addAll(routes.values());
        if (!fallbackTopic.isEmpty()) {
            all.add(fallbackTopic);
        }
        return List.copyOf(all);
    }

    /** The JSON Pointer of the Kafka key, or null when the event id is the key. */
    public String effectiveKey() {
        if (key != null) {
            return key.isBlank() ? null : key.trim();
        }
        return scheme == null ? null : scheme.defaultKey();
    }

    /** Where the event id is: a JSON Pointer or {@code header:<Name>}. */
    public String effectiveEventId() {
        if (eventId != null && !eventId.isBlank()) {
            return eventId.trim();
        }
        return scheme == null ? null : scheme.defaultEventId();
    }

    /** True when the topic is picked by {@link #route} among {@link #routes}. */
    public boolean routed() {
        return !route.isEmpty();
    }

    /** True when {@link #topic} has {@code {/pointer}} placeholders filled per request. */
    public boolean topicIsTemplate() {
        return topic.indexOf('{') >= 0;
    }

    @Override
    public void validate(Problems problems, String path) {
        problems.require(NAME.matcher(name).matches(), Problems.child(path, "name"),
                "expected a name of lower-case letters, digits, - and _ (at most 64, used in /webhooks/{name}), got \""
                        + name + "\"");
        problems.require(scheme != null, Problems.child(path, "scheme"),
                "missing; expected one of stripe, standard-webhooks, hubspot-v3, zendesk, github");
        problems.require(!secrets.isEmpty(), Problems.child(path, "secrets"),
                "expected at least one secret reference (env:NAME or file:/path); list two while rotating");
        for (int i = 0; i < secrets.size(); i++) {
            problems.require(secrets.get(i) != null, Problems.index(Problems.child(path, "secrets"), i),
                    "expected a secret reference, env:NAME or file:/path/to/secret");
        }
        if (!route.isEmpty() || !routes.isEmpty()) {
            validateRoutes(problems, path);
        } else {
            validateTopic(problems, Problems.child(path, "topic"), topic, true);
        }
        if (topicIsTemplate()) {
            problems.require(!fallbackTopic.isEmpty(), Problems.child(path, "fallback-topic"),
                    "missing; a topic template (" + topic + ") needs a fixed fallback topic for payloads it cannot "
                            + "fill, e.g. raw.<system>.event");
            validateAllowList(problems, path);
        } else if (!topics.isEmpty()) {
            problems.add(Problems.child(path, "topics"), "topics lists what a topic template may produce; topic \""
                    + topic + "\" is not a template");
        }
        problems.require(batch.isEmpty() || batch.equals(BATCH_NONE) || batch.equals(BATCH_ARRAY),
                Problems.child(path, "batch"), "expected none (a body is one event) or array (a JSON array of "
                        + "events, one record per event), got \"" + batch + "\"");
        if (!fallbackTopic.isEmpty()) {
            validateTopic(problems, Problems.child(path, "fallback-topic"), fallbackTopic, false);
        }
        if (key != null && !key.isBlank()) {
            validatePointer(problems, Problems.child(path, "key"), key.trim());
        }
        if (eventId != null && !eventId.isBlank()) {
            validateEventId(problems, Problems.child(path, "event-id"), eventId.trim());
        }
        for (int i = 0; i < contentTypes.size(); i++) {
            String type = contentTypes.get(i);
            problems.require(MEDIA_TYPE.matcher(type).matches(), Problems.index(Problems.child(path, "content-types"), i),
                    "expected a media type such as application/json, got \"" + type + "\"");
        }
    }

    private void validateRoutes(Problems problems, String path) {
        if (!topic.isEmpty()) {
            problems.add(Problems.child(path, "topic"), "give either topic (fixed or a template) or route with routes,"
                    + " not both");
        }
        if (route.isEmpty()) {
            problems.add(Problems.child(path, "route"), "missing; routes need the JSON Pointer of the value that picks"
                    + " the topic, e.g. route: /subscriptionType");
        } else {
            validatePointer(problems, Problems.child(path, "route"), route);
        }
        if (routes.isEmpty()) {
            problems.add(Problems.child(path, "routes"), "missing; expected value patterns mapped to raw topics, e.g."
                    + " {\"contact.*\": raw.hubspot.contact}");
        }
        routes.forEach((pattern, t) -> {
            String key = Problems.child(Problems.child(path, "routes"), pattern);
            problems.require(!pattern.isEmpty(), key, "expected a value pattern such as contact.* (* = any text)");
            validateTopic(problems, key, t == null ? "" : t.trim(), false);
        });
        problems.require(!fallbackTopic.isEmpty(), Problems.child(path, "fallback-topic"), "missing; routes need a"
                + " fixed fallback topic for events no route takes, e.g. raw.<system>.event");
    }

    /** Each listed topic must be one the template can produce: its literal parts around the placeholders. */
    private void validateAllowList(Problems problems, String path) {
        String key = Problems.child(path, "topics");
        if (topics.isEmpty()) {
            problems.add(key, "missing; a topic template (" + topic + ") needs the list of topics it may produce, e.g."
                    + " [raw.stripe.customer, raw.stripe.charge]: a value the sender chooses must not name a topic"
                    + " (anything else goes to fallback-topic)");
            return;
        }
        Matcher m = PLACEHOLDER.matcher(topic);
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(topic.substring(last, m.start()))).append("[A-Za-z0-9_-]+");
            last = m.end();
        }
        regex.append(Pattern.quote(topic.substring(last)));
        Pattern shape = Pattern.compile(regex.toString());
        for (int i = 0; i < topics.size(); i++) {
            String t = topics.get(i);
            problems.require(shape.matcher(t).matches(), Problems.index(key, i), "\"" + t + "\" is not a topic the"
                    + " template " + topic + " can produce");
        }
    }

    private static void validateTopic(Problems problems, String key, String topic, boolean templateAllowed) {
        if (topic.isEmpty()) {
            problems.add(key, "missing; expected a raw topic such as raw.stripe.event or raw.stripe.{/data/object/object}");
            return;
        }
        Matcher m = PLACEHOLDER.matcher(topic);
        StringBuilder literal = new StringBuilder();
        int last = 0;
        while (m.find()) {
            if (!templateAllowed) {
                problems.add(key, "expected a fixed topic name without {placeholders}, got \"" + topic + "\"");
                return;
            }
            literal.append(topic, last, m.start());
            String pointer = m.group(1);
            if (!isPointer(pointer)) {
                problems.add(key, "expected {/json/pointer} placeholders such as {/data/object/object}, got {"
                        + pointer + "} in \"" + topic + "\"");
                return;
            }
            last = m.end();
        }
        literal.append(topic.substring(last));
        String rest = literal.toString();
        if ((!rest.isEmpty() && !TOPIC_LITERAL.matcher(rest).matches()) || rest.indexOf('{') >= 0
                || rest.indexOf('}') >= 0 || rest.isEmpty()) {
            problems.add(key, "expected a topic of letters, digits, '.', '_' and '-' with optional {/json/pointer} "
                    + "placeholders, got \"" + topic + "\"");
        } else if (rest.length() > MAX_TOPIC_LENGTH) {
            problems.add(key, "expected at most " + MAX_TOPIC_LENGTH + " characters, got " + rest.length());
        }
    }

    private static void validatePointer(Problems problems, String key, String value) {
        problems.require(isPointer(value), key, "expected a JSON Pointer such as /data/object/id, got \"" + value + "\"");
    }

    private static void validateEventId(Problems problems, String key, String value) {
        if (value.regionMatches(true, 0, "header:", 0, 7)) {
            String header = value.substring(7);
            problems.require(HEADER_NAME.matcher(header).matches(), key,
                    "expected header:<Name> with an HTTP header name, got \"" + value + "\"");
            return;
        }
        problems.require(isPointer(value), key,
                "expected a JSON Pointer such as /id or header:<Name> such as header:webhook-id, got \"" + value + "\"");
    }

    /** True for a non-empty RFC 6901 JSON Pointer ({@code /a/b/0}). */
    public static boolean isPointer(String value) {
        if (value == null || !value.startsWith("/")) {
            return false;
        }
        try {
            // The gateway reads with this same parser, so what passes here cannot fail at start.
            Pointer.parse(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
