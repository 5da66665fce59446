package io.syncline.sandbox.support;

import static io.syncline.sandbox.support.SupportInput.putText;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.core.WriteLog;
import io.syncline.sandbox.core.WriteRecord;
import io.syncline.sandbox.support.SupportModel.Audit;
import io.syncline.sandbox.support.SupportModel.ExportKey;
import io.syncline.sandbox.support.SupportModel.Org;
import io.syncline.sandbox.support.SupportModel.Ticket;
import io.syncline.sandbox.support.SupportModel.User;

/**
 * The support desk's data: users with e-mail identities, organizations, tickets with comments and audits, the
 * lookups by e-mail, external id and name, and the indexes the incremental exports read. Changes go through one
 * resource at a time ({@link #users()}, {@link #orgs()}, {@link #tickets()}), which share this store's ids, write
 * log and event emitter. Writes by API clients go to the {@link WriteLog}; every change (clients' and the
 * generator's) is published as a Zendesk event.
 *
 * <p>One lock guards everything on purpose: operations cross resources (a ticket may create its requester; deleting
 * an organization detaches its users), and the exports must see each change whole.
 */
final class SupportStore {

    /** Who writes: the acting user, plus request details for API calls (null for the generator). */
    record Origin(long actorId, String requestId, String method, String path, String idempotencyKey,
                  String channel) {
        static Origin generator(long actorId, String channel) {
            return new Origin(actorId, null, null, null, null, channel);
        }

        boolean isClient() {
            return method != null;
        }
    }

    /** Receives every change as a Zendesk event ({@code zen:event-type:…}). */
    interface Events {
        void publish(String type, String subject, ObjectNode detail, ObjectNode event, Instant at);
    }

    static final Set<String> ROLES = Set.of("end-user", "agent", "admin");
    static final List<String> STATUSES = List.of("new", "open", "pending", "hold", "solved", "closed");
    static final Set<String> PRIORITIES = Set.of("urgent", "high", "normal", "low");
    static final Set<String> TYPES = Set.of("problem", "incident", "question", "task");

    private final ReentrantLock lock = new ReentrantLock();
    private final Clock clock;
    private final WriteLog writes;
    private final Events events;
    private final SplittableRandom idSteps;
    final long accountId;
    private final TreeMap<Long, User> users = new TreeMap<>();
    private final Map<String, Long> usersByEmail = new HashMap<>();
    private final Map<String, Long> usersByExternalId = new HashMap<>();
    private final TreeMap<Long, Org> orgs = new TreeMap<>();
    private final Map<String, Long> orgsByName = new HashMap<>();
    private final TreeMap<Long, Ticket> tickets = new TreeMap<>();
    private final TreeMap<ExportKey, Long> userIndex = new TreeMap<>();
    private final TreeMap<ExportKey, Long> orgIndex = new TreeMap<>();
    private final TreeMap<ExportKey, Long> ticketIndex = new TreeMap<>();
    private final TreeMap<ExportKey, Audit> audits = new TreeMap<>();
    private final Map<Long, ExportKey> userKeys = new HashMap<>();
    private final Map<Long, ExportKey> orgKeys = new HashMap<>();
    private final Map<Long, ExportKey> ticketKeys = new HashMap<>();
    private long lastUserId;
    private long lastOrgId;
    private long lastTicketId;
    private long lastEventId;
    private long changes;
    private final SupportUsers userOps;
    private final SupportOrgs orgOps;
    private final SupportTickets ticketOps;


    SupportStore(Clock clock, WriteLog writes, Events events, long seed) {
        this.clock = clock;
        this.writes = writes;
        this.events = events;
        this.idSteps = new SplittableRandom(seed);
        this.accountId = 10_000_000L + idSteps.nextInt(9_000_000);
        this.lastUserId = 360_000_000_000L + idSteps.nextInt(1_000_000) * 1000L;
        this.lastOrgId = 260_000_000_000L + idSteps.nextInt(1_000_000) * 1000L;
        this.lastEventId = 30_000_000_000_000L + idSteps.nextInt(1_000_000) * 1000L;
        this.userOps = new SupportUsers(this);
        this.orgOps = new SupportOrgs(this);
        this.ticketOps = new SupportTickets(this);
    }

    /** Creates, updates and deletes users and their identities. */
    SupportUsers users() {
        return userOps;
    }

    /** Creates, updates and deletes organizations. */
    SupportOrgs orgs() {
        return orgOps;
    }

    /** Creates, updates and deletes tickets with their comments and audits. */
    SupportTickets tickets() {
        return ticketOps;
    }


    <T> T locked(Supplier<T> op) {
        lock.lock();
        try {
            return op.get();
        } finally {
            lock.unlock();
        }
    }

    void locked(Runnable op) {
        lock.lock();
        try {
            op.run();
        } finally {
            lock.unlock();
        }
    }

    long changes() {
        return locked(() -> changes);
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    long nextEventId() {
        lastEventId += 1 + idSteps.nextInt(3);
        return lastEventId;
    }

    long nextUserId() {
        lastUserId += 1 + idSteps.nextInt(9);
        return lastUserId;
    }

    long nextOrgId() {
        lastOrgId += 1 + idSteps.nextInt(9);
        return lastOrgId;
    }

    long nextTicketId() {
        lastTicketId += 1;
        return lastTicketId;
    }


    // ------------------------------------------------------------------ lookups

    User user(long id) {
        return users.get(id);
    }

    Org org(long id) {
        Org o = orgs.get(id);
        return o == null || o.deletedAt != null ? null : o;
    }

    /** A ticket that is not deleted, or null. */
    Ticket ticket(long id) {
        Ticket t = tickets.get(id);
        return t == null || t.deleted() ? null : t;
    }

    /** Any ticket including deleted ones (for the exports and the admin API). */
    Ticket anyTicket(long id) {
        return tickets.get(id);
    }

    User userByEmail(String email) {
        Long id = email == null ? null : usersByEmail.get(email.toLowerCase(Locale.ROOT));
        return id == null ? null : users.get(id);
    }

    User userByExternalId(String externalId) {
        Long id = externalId == null ? null : usersByExternalId.get(externalId);
        return id == null ? null : users.get(id);
    }

    Org orgByExternalId(String externalId) {
        for (Org o : orgs.values()) {
            if (o.deletedAt == null && externalId.equals(o.externalId)) {
                return o;
            }
        }
        return null;
    }

    /** The id of the active agent or admin with this e-mail (case-insensitive), or null: who may use API tokens. */
    Long staffUserId(String email) {
        return locked(() -> {
            User u = userByEmail(email);
            return u != null && u.active && !u.suspended && u.staff() ? u.id : null;
        });
    }

    Iterable<User> allUsers() {
        return users.values();
    }

    Iterable<Org> allOrgs() {
        return orgs.values();
    }

    Iterable<Ticket> allTickets() {
        return tickets.values();
    }

    Map<String, List<String>> idsByType() {
        return locked(() -> {
            Map<String, List<String>> out = new LinkedHashMap<>();
            out.put("users", users.keySet().stream().map(String::valueOf).toList());
            out.put("organizations", orgs.keySet().stream().map(String::valueOf).toList());
            out.put("tickets", tickets.keySet().stream().map(String::valueOf).toList());
            return out;
        });
    }

    // ------------------------------------------------------------------ stored records and their lookups

    void addUser(User u) {
        users.put(u.id, u);
        if (u.externalId != null) {
            usersByExternalId.put(u.externalId, u.id);
        }
    }

    /** Moves the user's external id and its lookup entry to {@code externalId} (null clears it). */
    void setExternalId(User u, String externalId) {
        if (u.externalId != null) {
            usersByExternalId.remove(u.externalId);
        }
        u.externalId = externalId;
        if (u.externalId != null) {
            usersByExternalId.put(u.externalId, u.id);
        }
    }

    /** Makes an e-mail identity's (lower-cased) address find its user. */
    void indexEmail(String email, long userId) {
        usersByEmail.put(email, userId);
    }

    void addOrg(Org org) {
        orgs.put(org.id, org);
    }

    /** The id of the organization named {@code name} (case-insensitive), or null. */
    Long orgIdByName(String name) {
        return orgsByName.get(name.toLowerCase(Locale.ROOT));
    }

    /** Renames the organization and moves its entry in the unique-name lookup. */
    void renameOrg(Org org, String name) {
        if (org.name != null) {
            orgsByName.remove(org.name.toLowerCase(Locale.ROOT));
        }
        org.name = name;
        orgsByName.put(name.toLowerCase(Locale.ROOT), org.id);
    }

    /** Frees a deleted organization's name for a new one. */
    void forgetOrgName(Org org) {
        orgsByName.remove(org.name.toLowerCase(Locale.ROOT));
    }

    void addTicket(Ticket t) {
        tickets.put(t.id, t);
    }

    /** Keeps an audit for the ticket-events export, keyed by its time. */
    void addAudit(Audit audit) {
        audits.put(new ExportKey(audit.createdAt.getEpochSecond(), audit.id), audit);
    }

    // ------------------------------------------------------------------ the write log and the events

    /** Counts a change and, for an API client's write, adds it to the write log. */
    void record(Origin o, String type, long id, String operation, Map<String, String> props) {
        changes++;
        if (o.isClient()) {
            writes.add(new WriteRecord(clock.instant(), o.requestId(), o.method(), o.path(), type, Long.toString(id),
                    operation, Map.copyOf(props), o.idempotencyKey()));
        }
    }

    void publish(String type, String subject, ObjectNode detail, ObjectNode event, Instant at) {
        events.publish(type, subject, detail, event, at);
    }

    /** Publishes {@code <kind>.<what>} with the previous and current value, unless nothing changed. */
    void publishChange(String kind, long id, ObjectNode detail, String what, String previous, String current,
                               Instant at) {
        if (Objects.equals(previous, current)) {
            return;
        }
        ObjectNode ev = Json.object();
        putText(ev, "current", current);
        putText(ev, "previous", previous);
        events.publish("zen:event-type:" + kind + "." + what, "zen:" + kind + ":" + id, detail, ev, at);
    }

    // ------------------------------------------------------------------ incremental export indexes

    void indexUser(User u) {
        ExportKey old = userKeys.put(u.id, new ExportKey(u.updatedAt.getEpochSecond(), u.id));
        if (old != null) {
            userIndex.remove(old);
        }
        userIndex.put(userKeys.get(u.id), u.id);
    }

    void indexOrg(Org org) {
        ExportKey old = orgKeys.put(org.id, new ExportKey(org.updatedAt.getEpochSecond(), org.id));
        if (old != null) {
            orgIndex.remove(old);
        }
        orgIndex.put(orgKeys.get(org.id), org.id);
    }

    void indexTicket(Ticket t) {
        ExportKey old = ticketKeys.put(t.id, new ExportKey(t.generatedTimestamp, t.id));
        if (old != null) {
            ticketIndex.remove(old);
        }
        ticketIndex.put(ticketKeys.get(t.id), t.id);
    }

    /** Export entries of {@code kind} ({@code tickets}, {@code users}, {@code organizations}) after/at a key. */
    List<ExportKey> exportKeys(String kind, ExportKey from, boolean inclusive, long cutoff, int limit) {
        TreeMap<ExportKey, ?> index = switch (kind) {
            case "tickets" -> ticketIndex;
            case "users" -> userIndex;
            case "organizations" -> orgIndex;
            case "ticket_events" -> audits;
            default -> throw new IllegalArgumentException(kind);
        };
        List<ExportKey> out = new ArrayList<>();
        for (ExportKey k : index.tailMap(from, inclusive).keySet()) {
            if (k.ts() > cutoff || out.size() >= limit) {
                break;
            }
            out.add(k);
        }
        return out;
    }

    Audit audit(ExportKey key) {
        return audits.get(key);
    }
}
