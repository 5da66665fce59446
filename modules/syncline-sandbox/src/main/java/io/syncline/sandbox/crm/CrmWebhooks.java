package io.syncline.sandbox.crm;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.core.WebhookDispatcher;

/**
 * HubSpot's webhooks for an app installed in the sandbox's portal: every change the engine reports becomes an event
 * ({@code eventId}, {@code subscriptionId}, {@code portalId}, {@code appId}, {@code occurredAt},
 * {@code subscriptionType}, {@code attemptNumber}, {@code objectId}, and per type {@code propertyName}/
 * {@code propertyValue}, the merge's {@code primaryObjectId}/{@code mergedObjectIds}/{@code newObjectId}, or the
 * association's ids), and events are posted as HubSpot posts them: a JSON array of up to 100 events for many objects,
 * signed with the app's client secret ({@link HubSpotSignature}). Delivery, retries and the drop/duplicate/reorder
 * faults are the shared {@link WebhookDispatcher}'s.
 *
 * <p>A HubSpot app subscribes to {@code propertyChange} per property; the sandbox's subscription covers every
 * property. {@code associationChange} events carry no {@code objectId} (HubSpot's do not either), so subscriptions
 * leave them out unless asked.
 */
final class CrmWebhooks implements AutoCloseable {

    /** Every subscription type the sandbox emits. */
    static final Set<String> TYPES;
    /** What a subscription gets when it names none: every type but associationChange. */
    static final Set<String> DEFAULT_TYPES;

    static {
        Set<String> all = new LinkedHashSet<>();
        Set<String> defaults = new LinkedHashSet<>();
        for (String object : List.of("contact", "company", "deal")) {
            for (String kind : List.of("creation", "propertyChange", "deletion", "merge", "associationChange")) {
                all.add(object + "." + kind);
                if (!kind.equals("associationChange")) {
                    defaults.add(object + "." + kind);
                }
            }
        }
        TYPES = Set.copyOf(all);
        DEFAULT_TYPES = Set.copyOf(defaults);
    }

    /** HubSpot's batch limit: at most this many events in one request. */
    static final int MAX_BATCH = 100;

    /** One target URL with the subscription types it receives. */
    record Subscription(long id, URI url, Set<String> types) {
    }

    private final WebhookDispatcher dispatcher;
    private final String clientSecret;
    private final long portalId;
    private final long appId;
    private final Map<Long, Subscription> subscriptions = new LinkedHashMap<>();
    private final Map<Long, List<ObjectNode>> pending = new LinkedHashMap<>();
    private final AtomicLong eventIds = new AtomicLong(1_000);
    private final AtomicLong subscriptionIds = new AtomicLong(100);
    private final AtomicLong batches = new AtomicLong();
    private final ScheduledExecutorService flusher;

    CrmWebhooks(WebhookDispatcher dispatcher, String clientSecret, long portalId, long appId, Duration batchWindow) {
        this.dispatcher = dispatcher;
        this.clientSecret = clientSecret;
        this.portalId = portalId;
        this.appId = appId;
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sandbox-crm-webhook-batches");
            t.setDaemon(true);
            return t;
        });
        long window = Math.max(1, batchWindow.toMillis());
        flusher.scheduleWithFixedDelay(this::flush, window, window, TimeUnit.MILLISECONDS);
    }

    /** Subscribes {@code url} to {@code types} (empty: {@link #DEFAULT_TYPES}). */
    synchronized Subscription subscribe(String url, List<String> types) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("webhook url must be an absolute http(s) URL, got " + url);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("webhook url must be an absolute http(s) URL, got " + url);
        }
        Set<String> chosen = new LinkedHashSet<>(types.isEmpty() ? DEFAULT_TYPES : types);
        for (String t : chosen) {
            if (!TYPES.contains(t)) {
                throw new IllegalArgumentException("unknown subscription type " + t + "; known: "
                        + TYPES.stream().sorted().toList());
            }
        }
        Subscription s = new Subscription(subscriptionIds.incrementAndGet(), uri, Set.copyOf(chosen));
        subscriptions.put(s.id(), s);
        return s;
    }

    synchronized List<Subscription> subscriptions() {
        return List.copyOf(subscriptions.values());
    }

    /** Queues the events of one change for every subscription to its type; called under the engine's lock. */
    synchronized void publish(CrmEngine.Change c) {
        String type = c.type().singular() + "." + c.kind();
        for (Subscription s : subscriptions.values()) {
            if (!s.types().contains(type)) {
                continue;
            }
            ObjectNode e = Json.object();
            e.put("eventId", eventIds.incrementAndGet());
            e.put("subscriptionId", s.id());
            e.put("portalId", portalId);
            e.put("appId", appId);
            e.put("occurredAt", c.at().toEpochMilli());
            e.put("subscriptionType", type);
            e.put("attemptNumber", 0);
            if (!c.kind().equals("associationChange")) {
                e.put("objectId", c.objectId());
            }
            if (c.property() != null) {
                e.put("propertyName", c.property());
                e.put("propertyValue", c.value() == null ? "" : c.value());
            }
            e.put("changeSource", "CRM");
            if (c.detail() != null) {
                e.setAll(c.detail());
            }
            pending.computeIfAbsent(s.id(), k -> new ArrayList<>()).add(e);
        }
    }

    /** Posts what is pending, in batches of at most {@link #MAX_BATCH} events per request. */
    void flush() {
        Map<Subscription, List<ObjectNode>> due = new LinkedHashMap<>();
        synchronized (this) {
            pending.forEach((id, events) -> {
                if (!events.isEmpty()) {
                    due.put(subscriptions.get(id), new ArrayList<>(events));
                    events.clear();
                }
            });
        }
        due.forEach((s, events) -> {
            for (int from = 0; from < events.size(); from += MAX_BATCH) {
                ArrayNode batch = Json.MAPPER.createArrayNode();
                events.subList(from, Math.min(events.size(), from + MAX_BATCH)).forEach(batch::add);
                String id = "hubspot-batch-" + batches.incrementAndGet();
                dispatcher.deliver(new WebhookDispatcher.Target(Long.toString(s.id()), s.url(), clientSecret), id,
                        Json.bytes(batch));
            }
        });
    }

    @Override
    public void close() {
        flusher.shutdownNow();
    }
}
