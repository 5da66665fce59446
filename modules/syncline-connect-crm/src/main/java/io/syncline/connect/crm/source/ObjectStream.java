package io.syncline.connect.crm.source;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.syncline.connect.common.source.PolledStream;
import io.syncline.connect.common.source.StreamFailures;
import io.syncline.http.RetryPolicy;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One object type's reading, one step (one request, or one request and its association reads) at a time.
 *
 * <p><b>Backfill.</b> On the first start the stream fixes {@code t0}, the server's clock (its {@code Date} header)
 * minus {@link #CLOCK_MARGIN}, and pages through the list endpoint ({@code after} cursor) with the configured
 * properties and associations: each object as it is when listed. Everything modified after t0 is read again by the
 * incremental reading, which begins at t0; whatever changed while the backfill ran is therefore not lost.
 *
 * <p><b>Incremental.</b> The search API, on the type's last-modified property, from a {@link SourceOffset.Cursor}
 * (time, id): a query for what changed after the cursor's time, sorted by time, up to the server's clock minus
 * {@code search.lag.ms} (search shows a change a moment after it is made). Only the first page of a query is ever
 * read: from a full page, the objects before its last time are written and the next query starts at that time, so
 * HubSpot's cap of 10,000 results per query never applies however long the backlog. Objects that share one time
 * are read by id ({@code <time> EQ t AND hs_object_id GT id}, sorted by id) until none is left, so a burst at one
 * millisecond is neither cut at a page edge nor read twice. Searches draw from the account's search budget, apart
 * from the rest of the API. Associations are not part of search results: they are read for each page with the v4
 * batch read and added to each object as a list read with {@code ?associations=} shows them.
 *
 * <p><b>Deletions and merges.</b> Search does not show archived objects: every {@code archived.poll.interval.ms} a
 * pass lists the archived objects and writes those archived since the last pass (with an overlap of
 * {@link #CLOCK_MARGIN}; repeats carry the same event id). A merged object lists the ids merged into it in
 * {@code hs_merged_object_ids}; each other id is retired with a record that the normalizer reads as a delete.
 *
 * <p><b>Failures.</b> The shared HTTP client already retried. A transient failure whose attempts ran out (or a body
 * that is not a HubSpot page) makes the stream wait, with the retry policy's backoff or the server's Retry-After, and
 * try the same step again later: the task keeps running and nothing moves. Rejected credentials and configuration
 * errors end the task with a {@link ConnectException} that says what to fix.
 */
final class ObjectStream implements PolledStream {

    /** Subtracted from the server's clock for t0 and for the archived-objects overlap: repeats are harmless. */
    static final Duration CLOCK_MARGIN = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(ObjectStream.class);
    private static final String OBJECT_ID = "hs_object_id";

    private final CrmObjectType type;
    private final Map<String, String> partition;
    private final HubSpotApi api;
    private final RawRecords records;
    private final CrmSourceConfig config;
    private final List<String> properties;
    private final List<CrmObjectType> associations;

    /** Where the stream stands after the records handed out; null until the first step decides how to begin. */
    private SourceOffset position;
    /** Whether every object at the cursor's time is known written (in memory only; after a restart one query checks). */
    private boolean tieDrained;
    private long searchDueNanos;
    private long sweepDueNanos;
    /** Server clock minus local clock, from the last Date header (which rounds down: the estimate errs early). */
    private long serverOffsetMillis;
    private final StreamFailures failures;
    private long failedUntilNanos;
    private long objects;
    private long deletes;
    private long retirements;
    private long searches;

    ObjectStream(CrmObjectType type, SourceOffset restored, HubSpotApi api, RawRecords records,
                 CrmSourceConfig config, RetryPolicy retryPolicy, long nowNanos) {
        this.type = type;
        this.partition = SourceOffset.partition(type);
        this.api = api;
        this.records = records;
        this.config = config;
        this.failures = new StreamFailures(type.singular(), retryPolicy, LOG);
        this.properties = config.properties(type);
        this.associations = config.associations(type);
        this.position = restored;
        this.searchDueNanos = nowNanos;
        // A restarted stream looks at archived objects soon, not an interval later: a pass may have been cut short.
        this.sweepDueNanos = nowNanos;
        this.failedUntilNanos = nowNanos;
    }

    CrmObjectType type() {
        return type;
    }

    /** The position after the records handed out so far (null before the first step). */
    SourceOffset position() {
        return position;
    }

    /** When the next step is due, in {@link System#nanoTime()} terms. */
    @Override
    public long dueAtNanos() {
        long due;
        if (!(position instanceof SourceOffset.Incremental inc)) {
            due = searchDueNanos;
        } else if (inc.sweep() != null) {
            due = failedUntilNanos;
        } else {
            due = searchDueNanos - sweepDueNanos <= 0 ? searchDueNanos : sweepDueNanos;
        }
        // After a failure nothing is due before the backoff ends.
        return due - failedUntilNanos >= 0 ? due : failedUntilNanos;
    }

    long objectsWritten() {
        return objects;
    }

    long deletesWritten() {
        return deletes;
    }

    long retirementsWritten() {
        return retirements;
    }

    long searches() {
        return searches;
    }

    /**
     * Does one step (a backfill page, a pass over a page of archived objects, or one search) and returns its records,
     * possibly none.
     *
     * @throws ConnectException when the task must stop: credentials rejected, configuration wrong
     */
    @Override
    public List<SourceRecord> step(long nowNanos) {
        try {
            List<SourceRecord> out;
            if (position == null) {
                position = begin();
                searchDueNanos = nowNanos;
                out = List.of();
            } else if (position instanceof SourceOffset.Backfill b) {
                out = backfillPage(b);
                searchDueNanos = nowNanos;
            } else {
                SourceOffset.Incremental inc = (SourceOffset.Incremental) position;
                if (inc.sweep() != null || nowNanos - sweepDueNanos >= 0) {
                    out = sweepPage(inc, nowNanos);
                } else {
                    out = search(inc, nowNanos);
                }
            }
            failures.succeeded();
            return out;
        } catch (HubSpotApi.HubSpotCallException e) {
            return failed(e, nowNanos);
        }
    }

    /** Decides where a stream without an offset begins: a backfill up to t0, or the changes from t0. */
    private SourceOffset begin() throws HubSpotApi.HubSpotCallException {
        HubSpotApi.Fetched probe = api.list(type, 1, null, List.of(OBJECT_ID), List.of(), false,
                "reading the server clock before the first " + type.singular() + " sync");
        long serverNow = observe(probe);
        long t0 = serverNow - CLOCK_MARGIN.toMillis();
        if (!config.backfillAll()) {
            LOG.debug("{}: no backfill; following changes from {}", type.singular(), Instant.ofEpochMilli(t0));
            return new SourceOffset.Incremental(SourceOffset.Cursor.before(t0), t0, java.util.Set.of(), null);
        }
        LOG.debug("{}: backfill; changes from {} follow", type.singular(), Instant.ofEpochMilli(t0));
        return new SourceOffset.Backfill(t0, null);
    }

    private List<SourceRecord> backfillPage(SourceOffset.Backfill b) throws HubSpotApi.HubSpotCallException {
        HubSpotApi.Fetched fetched;
        try {
            fetched = api.list(type, config.pageSize(), b.after(), properties, associations, false,
                    "backfill of " + type.path() + (b.after() == null ? ", first page" : " after " + b.after()));
        } catch (HubSpotApi.HubSpotCallException e) {
            if (b.after() != null && e.status() == 400) {
                // The cursor is no longer valid (HubSpot's are opaque): list again from the start, repeating, never
                // skipping.
                LOG.warn("{}: restarting the backfill from its first page because HubSpot refused the cursor {} ({});"
                        + " objects already written are written again", type.singular(), b.after(), e.getMessage());
                position = new SourceOffset.Backfill(b.t0(), null);
                return List.of();
            }
            throw e;
        }
        observe(fetched);
        String next = fetched.page().nextAfter();
        SourceOffset after = next == null
                ? new SourceOffset.Incremental(SourceOffset.Cursor.before(b.t0()), b.t0(), java.util.Set.of(), null)
                : new SourceOffset.Backfill(b.t0(), next);
        // An object modified at or after t0 is left to the incremental reading, which reads it in this or a later
        // version: written here too it would be written twice.
        List<ObjectPage.Item> items = fetched.page().items().stream().filter(i -> i.modifiedAt() < b.t0()).toList();
        List<SourceRecord> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            // Until the page's last object, a restart reads this page again (repeats, no gap).
            SourceOffset offset = i == items.size() - 1 ? after : b;
            write(out, items.get(i), items.get(i).json(), offset, fetched.receivedAtMillis());
        }
        position = after;
        tieDrained = false;
        if (next == null) {
            LOG.debug("{}: backfill done ({} objects this run)", type.singular(), objects);
        }
        return out;
    }

    private List<SourceRecord> search(SourceOffset.Incremental inc, long nowNanos)
            throws HubSpotApi.HubSpotCallException {
        SourceOffset.Cursor cursor = inc.cursor();
        long upper = serverNowMillis() - config.searchLag().toMillis();
        if (cursor.ts() > upper) {
            // Nothing is old enough yet to be sure search shows all of it.
            searchDueNanos = nowNanos + Math.max(config.pollInterval().toNanos(),
                    Duration.ofMillis(cursor.ts() - upper).toNanos());
            return List.of();
        }
        int limit = config.searchPageSize();
        String modified = type.modifiedProperty();
        searches++;
        if (!tieDrained) {
            HubSpotApi.Fetched fetched = api.search(type, List.of(
                            new HubSpotApi.Filter(modified, "EQ", Long.toString(cursor.ts())),
                            new HubSpotApi.Filter(OBJECT_ID, "GT", Long.toString(cursor.id()))),
                    OBJECT_ID, limit, properties, "objects of " + type.path() + " changed at "
                            + Instant.ofEpochMilli(cursor.ts()) + " after id " + cursor.id());
            observe(fetched);
            tieDrained = fetched.page().items().size() < limit;
            // Only what lies past the cursor: a server that answered otherwise must not move it back.
            List<ObjectPage.Item> items = sorted(fetched.page().items()).stream()
                    .filter(i -> i.modifiedAt() == cursor.ts() && numericId(i) > cursor.id()).toList();
            searchDueNanos = nowNanos;
            return writeChanges(inc, items, cursor, fetched.receivedAtMillis());
        }
        HubSpotApi.Fetched fetched = api.search(type, List.of(
                        new HubSpotApi.Filter(modified, "GT", Long.toString(cursor.ts())),
                        new HubSpotApi.Filter(modified, "LTE", Long.toString(upper))),
                modified, limit, properties, "objects of " + type.path() + " changed after "
                        + Instant.ofEpochMilli(cursor.ts()));
        observe(fetched);
        boolean full = fetched.page().items().size() >= limit;
        List<ObjectPage.Item> items = sorted(fetched.page().items()).stream()
                .filter(i -> i.modifiedAt() > cursor.ts()).toList();
        if (!full || items.isEmpty()) {
            // Everything changed in the window is here.
            searchDueNanos = nowNanos + config.pollInterval().toNanos();
            return writeChanges(inc, items, cursor, fetched.receivedAtMillis());
        }
        // A full page: complete below its last time only; that time's objects are read next, by id.
        long last = items.get(items.size() - 1).modifiedAt();
        List<ObjectPage.Item> complete = items.stream().filter(i -> i.modifiedAt() < last).toList();
        List<SourceRecord> out = writeChanges(inc, complete, cursor, fetched.receivedAtMillis());
        position = inc.at(SourceOffset.Cursor.before(last));
        tieDrained = false;
        searchDueNanos = nowNanos;
        return out;
    }

    /** Writes changed objects (sorted by time then id) with their associations, moving the cursor past each. */
    private List<SourceRecord> writeChanges(SourceOffset.Incremental inc, List<ObjectPage.Item> items,
                                            SourceOffset.Cursor from, long receivedAt)
            throws HubSpotApi.HubSpotCallException {
        Map<String, Map<CrmObjectType, List<HubSpotApi.Associated>>> associated = associationsOf(items);
        List<SourceRecord> out = new ArrayList<>();
        SourceOffset.Cursor cursor = from;
        for (ObjectPage.Item item : items) {
            cursor = new SourceOffset.Cursor(item.modifiedAt(), numericId(item));
            SourceOffset offset = inc.at(cursor);
            byte[] json = associations.isEmpty() ? item.json()
                    : RawRecords.withAssociations(item.json(), type, associated.getOrDefault(item.id(), Map.of()));
            write(out, item, json, offset, receivedAt);
        }
        position = inc.at(cursor);
        return out;
    }

    private Map<String, Map<CrmObjectType, List<HubSpotApi.Associated>>> associationsOf(List<ObjectPage.Item> items)
            throws HubSpotApi.HubSpotCallException {
        Map<String, Map<CrmObjectType, List<HubSpotApi.Associated>>> out = new java.util.HashMap<>();
        if (items.isEmpty() || associations.isEmpty()) {
            return out;
        }
        List<String> ids = items.stream().map(ObjectPage.Item::id).toList();
        for (CrmObjectType to : associations) {
            Map<String, List<HubSpotApi.Associated>> read = api.associations(type, to, ids, "associations of "
                    + ids.size() + " " + type.path() + " to " + to.path());
            read.forEach((id, list) -> out.computeIfAbsent(id, k -> new EnumMap<>(CrmObjectType.class)).put(to, list));
        }
        return out;
    }

    /** One page of a pass over the archived objects: those archived after {@code archivedSince} become deletes. */
    private List<SourceRecord> sweepPage(SourceOffset.Incremental inc, long nowNanos)
            throws HubSpotApi.HubSpotCallException {
        SourceOffset.Sweep sweep = inc.sweep() != null ? inc.sweep()
                : new SourceOffset.Sweep(serverNowMillis(), null);
        HubSpotApi.Fetched fetched = api.list(type, config.pageSize(), sweep.after(), properties, List.of(), true,
                "archived " + type.path() + (sweep.after() == null ? ", first page" : " after " + sweep.after()));
        observe(fetched);
        String next = fetched.page().nextAfter();
        // Passes overlap by the margin; what the overlap holds that was written already is in archivedSeen.
        List<ObjectPage.Item> archived = fetched.page().items().stream()
                .filter(i -> i.archived() && i.archivedAt() > inc.archivedSince())
                .filter(i -> !inc.archivedSeen().contains(seen(i))).toList();
        java.util.Set<String> seen = new java.util.HashSet<>(inc.archivedSeen());
        archived.forEach(i -> seen.add(seen(i)));
        SourceOffset.Cursor cursor = ((SourceOffset.Incremental) position).cursor();
        SourceOffset.Incremental after;
        if (next == null) {
            long since = Math.max(inc.archivedSince(), sweep.startedAt() - CLOCK_MARGIN.toMillis());
            seen.removeIf(entry -> Long.parseLong(entry.substring(entry.lastIndexOf('@') + 1)) <= since);
            after = new SourceOffset.Incremental(cursor, since, seen, null);
        } else {
            after = new SourceOffset.Incremental(cursor, inc.archivedSince(), seen,
                    new SourceOffset.Sweep(sweep.startedAt(), next));
        }
        List<SourceRecord> out = new ArrayList<>(archived.size());
        java.util.Set<String> written = new java.util.HashSet<>(inc.archivedSeen());
        for (int i = 0; i < archived.size(); i++) {
            ObjectPage.Item item = archived.get(i);
            written.add(seen(item));
            // Within the page each record's offset holds what was written up to it; a restart reads this page again.
            SourceOffset offset = i == archived.size() - 1 ? after
                    : new SourceOffset.Incremental(cursor, inc.archivedSince(), written, sweep);
            write(out, item, item.json(), offset, fetched.receivedAtMillis());
        }
        position = after;
        if (next == null) {
            sweepDueNanos = nowNanos + config.archivedPollInterval().toNanos();
        }
        return out;
    }

    private static String seen(ObjectPage.Item archived) {
        return archived.id() + "@" + archived.archivedAt();
    }

    /** The object's record, and a retirement for every other id merged into it. */
    private void write(List<SourceRecord> out, ObjectPage.Item item, byte[] json, SourceOffset offset,
                       long receivedAt) {
        Map<String, Object> o = offset.toMap();
        out.add(records.object(partition, o, type, item, json, receivedAt));
        if (item.archived()) {
            deletes++;
            return;
        }
        objects++;
        for (String merged : item.mergedObjectIds()) {
            if (!merged.equals(item.id())) {
                out.add(records.retirement(partition, o, type, merged, item, receivedAt));
                retirements++;
            }
        }
    }

    private static List<ObjectPage.Item> sorted(List<ObjectPage.Item> items) {
        List<ObjectPage.Item> out = new ArrayList<>(items);
        out.sort(Comparator.comparingLong(ObjectPage.Item::modifiedAt).thenComparingLong(ObjectStream::numericId));
        return out;
    }

    private static long numericId(ObjectPage.Item item) {
        try {
            return Long.parseLong(item.id());
        } catch (NumberFormatException e) {
            throw new ConnectException("HubSpot returned the object id '" + item.id() + "', which is not a number; "
                    + "the incremental reading orders objects by their numeric id (hs_object_id)");
        }
    }

    /** Notes the server's clock from a response; returns its estimate of the server's time now. */
    private long observe(HubSpotApi.Fetched fetched) {
        fetched.serverDate().ifPresent(d -> serverOffsetMillis = d.toEpochMilli() - fetched.receivedAtMillis());
        return serverNowMillis();
    }

    private long serverNowMillis() {
        return System.currentTimeMillis() + serverOffsetMillis;
    }

    private List<SourceRecord> failed(HubSpotApi.HubSpotCallException e, long nowNanos) {
        failures.failed(e.kind(), e.getMessage(), e.retryAfter(), "reading " + type.path(),
                () -> "HubSpot rejected the credentials while reading " + type.path() + ": fix '"
                        + config.credentialKey() + "' (a current private-app token or OAuth2 grant of the right "
                        + "account, with read access to " + type.path() + "). " + e.getMessage())
                .ifPresent(delay -> failedUntilNanos = nowNanos + delay.toNanos());
        return List.of();
    }
}
