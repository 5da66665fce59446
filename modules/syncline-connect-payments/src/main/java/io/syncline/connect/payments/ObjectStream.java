package io.syncline.connect.payments;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import io.syncline.connect.common.source.BackfillStart;
import io.syncline.connect.common.source.PolledStream;
import io.syncline.connect.common.source.StreamFailures;
import io.syncline.http.RetryPolicy;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One object type's stream: a backfill through its list endpoint, then its events, one step at a time.
 *
 * <p><b>Backfill.</b> On the first start the stream fixes {@code t0} (the server's clock, from the {@code Date}
 * header, minus {@link #CLOCK_MARGIN}) and lists objects with {@code created[lte]=t0} newest first, paging with
 * {@code starting_after}. That listing is stable: objects created later sort before the cursor and never shift it.
 * Everything created or changed after {@code t0} comes through the events, which start at the beginning of second
 * {@code t0}. Each snapshot record carries the offset "backfill, after this id"; the last one already carries
 * "incremental from t0", so a restart resumes exactly where the stream stood.
 *
 * <p><b>Incremental.</b> Each step reads {@code /v1/events?types[]=...&created[gte]=<cursor second>} to its end and
 * delivers the new events oldest first (see {@link EventCursor} and {@link EventCollector}).
 *
 * <p><b>Failures.</b> The shared HTTP client already retried. A transient failure whose attempts ran out (or a body
 * that is not a list) makes the stream wait, with the retry policy's backoff or the server's Retry-After, and try the
 * same step again later: the task keeps running and nothing moves. Rejected credentials and configuration errors
 * end the task with a {@link ConnectException} that says what to fix.
 */
final class ObjectStream implements PolledStream {

    /** Subtracted from the server's clock when fixing t0: overlap (repeats) is harmless, a gap is not. */
    static final Duration CLOCK_MARGIN = Duration.ofSeconds(10);
    /** Stripe keeps events for 30 days; a cursor older than this (with an hour's margin) may have missed some. */
    static final Duration EVENT_RETENTION = Duration.ofDays(30).minusHours(1);

    private static final Logger LOG = LoggerFactory.getLogger(ObjectStream.class);

    private final StripeObject object;
    private final Map<String, String> partition;
    private final StripeApi api;
    private final RawRecords records;
    private final PaymentsSourceConfig config;
    private final Clock clock;
    private final int eventCap;
    /** Upper bounds for the next event windows, ascending (see EventCollector#boundaries). */
    private final Deque<Long> windowBounds = new ArrayDeque<>();

    /** The position after the last record handed out; null until the first step decides how to begin. */
    private StreamOffset position;
    private long dueAtNanos;
    private final StreamFailures failures;
    private long snapshots;
    private long events;

    ObjectStream(StripeObject object, StreamOffset restored, StripeApi api, RawRecords records,
                 PaymentsSourceConfig config, RetryPolicy retryPolicy, Clock clock, long nowNanos) {
        this.object = object;
        this.partition = StreamOffset.partition(object);
        this.api = api;
        this.records = records;
        this.config = config;
        this.failures = new StreamFailures(object.apiName(), retryPolicy, LOG);
        this.clock = clock;
        this.eventCap = Math.max(1_000, config.pageSize() * 10);
        this.position = restored == null ? null : checkRetention(restored);
        this.dueAtNanos = nowNanos;
    }

    StripeObject object() {
        return object;
    }

    /** The position after the records handed out so far (null before the first step). */
    StreamOffset position() {
        return position;
    }

    /** When the next step is due, in {@link System#nanoTime()} terms. */
    @Override
    public long dueAtNanos() {
        return dueAtNanos;
    }

    long snapshotsDelivered() {
        return snapshots;
    }

    long eventsDelivered() {
        return events;
    }

    /**
     * Does one step (one backfill page, or one reading of the events) and returns its records, possibly none.
     *
     * @throws ConnectException when the task must stop: credentials rejected, configuration wrong
     */
    @Override
    public List<SourceRecord> step(long nowNanos) {
        try {
            List<SourceRecord> out;
            if (position == null) {
                position = begin();
                out = List.of();
                dueAtNanos = nowNanos;
            } else if (position instanceof StreamOffset.Backfill b) {
                out = backfillPage(b);
                dueAtNanos = nowNanos;
            } else {
                out = readEvents(((StreamOffset.Incremental) position).cursor(), nowNanos);
            }
            failures.succeeded();
            return out;
        } catch (StripeApi.StripeCallException e) {
            return failed(e, nowNanos);
        }
    }

    /** Decides where a stream without an offset begins: a backfill up to t0, or the events from now. */
    private StreamOffset begin() throws StripeApi.StripeCallException {
        StripeApi.Fetched probe = api.events(object, new StripeApi.ListQuery(1, null, null, null),
                "reading the server clock before the first " + object.apiName() + " sync");
        Instant serverNow = probe.serverDate().orElse(Instant.ofEpochMilli(probe.receivedAtMillis()));
        long t0 = serverNow.minus(CLOCK_MARGIN).getEpochSecond();
        if (config.backfillStart() instanceof BackfillStart.None) {
            LOG.debug("{}: no backfill; following events from {}", object.apiName(), Instant.ofEpochSecond(t0));
            return new StreamOffset.Incremental(EventCursor.startOf(t0));
        }
        LOG.debug("{}: backfill of objects created up to {}", object.apiName(), Instant.ofEpochSecond(t0));
        return new StreamOffset.Backfill(t0, null);
    }

    private List<SourceRecord> backfillPage(StreamOffset.Backfill b) throws StripeApi.StripeCallException {
        Long since = config.backfillStart() instanceof BackfillStart.Since s ? s.from().getEpochSecond() : null;
        StripeApi.Fetched fetched;
        try {
            fetched = api.list(object, new StripeApi.ListQuery(config.pageSize(), since, b.t0(), b.after()),
                    "backfill of " + object.apiName() + (b.after() == null ? ", first page" : " after " + b.after()));
        } catch (StripeApi.StripeCallException e) {
            if (b.after() != null && (e.status() == 400 || e.status() == 404)
                    && e.stripeParam().map("starting_after"::equals).orElse(false)) {
                // The object the backfill stood after is gone (deleted since); the listing has no anchor any more.
                LOG.warn("{}: restarting the backfill from its newest object because {} no longer exists ({}); "
                        + "objects already delivered are delivered again", object.apiName(), b.after(), e.getMessage());
                position = new StreamOffset.Backfill(b.t0(), null);
                return List.of();
            }
            throw e;
        }
        List<ListPage.Item> items = fetched.page().items();
        boolean done = !fetched.page().hasMore() || items.isEmpty();
        StreamOffset.Incremental next = new StreamOffset.Incremental(EventCursor.startOf(b.t0()));
        List<SourceRecord> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            ListPage.Item item = items.get(i);
            StreamOffset after = done && i == items.size() - 1 ? next : new StreamOffset.Backfill(b.t0(), item.id());
            out.add(records.snapshot(partition, after.toMap(), object, item, b.t0(), fetched.receivedAtMillis()));
        }
        snapshots += out.size();
        position = done ? next : new StreamOffset.Backfill(b.t0(), items.get(items.size() - 1).id());
        if (done) {
            LOG.debug("{}: backfill done ({} objects this run); following events from {}", object.apiName(),
                    snapshots, Instant.ofEpochSecond(b.t0()));
        }
        return out;
    }

    private List<SourceRecord> readEvents(EventCursor cursor, long nowNanos) throws StripeApi.StripeCallException {
        while (!windowBounds.isEmpty() && windowBounds.peekFirst() <= cursor.second()) {
            windowBounds.pollFirst();
        }
        Long upper = windowBounds.peekFirst();
        EventCollector collector = new EventCollector(cursor, eventCap);
        String after = null;
        int page = 0;
        long receivedAt;
        while (true) {
            page++;
            StripeApi.Fetched fetched = api.events(object,
                    new StripeApi.ListQuery(config.pageSize(), cursor.second(), upper, after),
                    "events of " + object.apiName() + " since " + cursor.second() + ", page " + page);
            receivedAt = fetched.receivedAtMillis();
            List<ListPage.Item> items = fetched.page().items();
            items.forEach(collector::offer);
            if (!fetched.page().hasMore() || items.isEmpty()) {
                break;
            }
            after = items.get(items.size() - 1).id();
        }
        if (collector.repeated() > 0) {
            LOG.debug("{}: {} events were listed twice in one reading and delivered once", object.apiName(),
                    collector.repeated());
        }
        List<EventCollector.Emitted> emitted = collector.emit();
        List<SourceRecord> out = new ArrayList<>(emitted.size());
        for (EventCollector.Emitted e : emitted) {
            out.add(records.event(partition, new StreamOffset.Incremental(e.after()).toMap(), e.event(), receivedAt));
        }
        events += out.size();
        EventCursor now = emitted.isEmpty() ? cursor : emitted.get(emitted.size() - 1).after();
        position = new StreamOffset.Incremental(now);

        // The window up to `upper` is read completely unless it was truncated: later windows start above it.
        if (upper != null && !collector.truncated()) {
            windowBounds.pollFirst();
        }
        if (collector.truncated()) {
            Deque<Long> merged = new ArrayDeque<>();
            for (long b : collector.boundaries()) {
                if (b > now.second() && (merged.isEmpty() || b > merged.peekLast())) {
                    merged.addLast(b);
                }
            }
            for (long b : windowBounds) {
                if (merged.isEmpty() || b > merged.peekLast()) {
                    merged.addLast(b);
                }
            }
            windowBounds.clear();
            windowBounds.addAll(merged);
        }
        boolean backlog = collector.truncated() || !windowBounds.isEmpty();
        dueAtNanos = backlog ? nowNanos : nowNanos + config.pollInterval().toNanos();
        return out;
    }

    private List<SourceRecord> failed(StripeApi.StripeCallException e, long nowNanos) {
        failures.failed(e.kind(), e.getMessage(), e.retryAfter(), "syncing " + object.apiName(),
                () -> "Stripe rejected the API key while syncing " + object.apiName() + ": fix '"
                        + PaymentsSourceConfig.API_KEY + "' (a current secret or restricted key of the right account, "
                        + "with read access to " + object.apiName() + " and events). " + e.getMessage())
                .ifPresent(delay -> dueAtNanos = nowNanos + delay.toNanos());
        return List.of();
    }

    /**
     * A restored cursor older than Stripe's event retention may have missed events that are gone now: a stream that
     * backfills begins again (a fresh snapshot of everything that exists); one that does not, warns and carries on.
     */
    private StreamOffset checkRetention(StreamOffset restored) {
        long second = restored instanceof StreamOffset.Incremental i ? i.cursor().second()
                : ((StreamOffset.Backfill) restored).t0();
        Instant oldestKept = clock.instant().minus(EVENT_RETENTION);
        if (second >= oldestKept.getEpochSecond()) {
            return restored;
        }
        if (config.backfillStart() instanceof BackfillStart.None) {
            LOG.warn("{}: the stored events cursor {} is older than Stripe keeps events (30 days); events from "
                    + "before {} may be missing and backfill.start=none does not re-read them", object.apiName(),
                    Instant.ofEpochSecond(second), oldestKept);
            return restored;
        }
        LOG.warn("{}: the stored events cursor {} is older than Stripe keeps events (30 days); backfilling again "
                + "so nothing that still exists is missed", object.apiName(), Instant.ofEpochSecond(second));
        return null;
    }
}
