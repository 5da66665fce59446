package io.syncline.connect.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.syncline.connect.common.source.BackfillStart;
import io.syncline.connect.common.source.PolledStream;
import io.syncline.connect.common.source.StreamFailures;
import io.syncline.http.RetryPolicy;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One object type's incremental export, read one page per step, each record carrying the offset after it.
 *
 * <p><b>Where it starts.</b> Without an offset: {@code start_time} 0 for {@code backfill.start=all}, the given time
 * for a date, and for {@code none} the server's clock (the {@code Date} of {@code GET /users/me}) minus
 * {@link #EXCLUSION_MARGIN}, since Zendesk refuses a start time inside the minute it leaves out of the exports.
 *
 * <p><b>Cursor-based</b> (tickets, users): each page's {@code after_cursor} names the next one exactly; at
 * {@code end_of_stream} it is kept, and the next poll asks it again for whatever changed since. <b>Time-based</b>
 * (organizations, ticket events): the next page starts at the page's {@code end_time}, so the items of that second
 * come again; the ids already delivered with that second travel in the offset ({@code seen}) and are dropped.
 *
 * <p><b>Offsets.</b> A record in the middle of a page carries "this request, delivered up to this item"; the last
 * record of a page (or the last one before items that make no record, such as audits without a comment) carries the
 * next page's request. A restart reads the page again and skips to the item after the stored one, found by its id, so
 * a page that shifted meanwhile repeats items rather than skipping any. The position in memory moves on past pages that
 * make no record at all, so a long stretch of comment-less audits is read once per run, not for ever.
 *
 * <p><b>Failures.</b> The shared HTTP client already retried (429 with Retry-After, 5xx, resets). When its attempts
 * ran out, or the body is not a complete page, or the start time is still inside Zendesk's excluded minute, the stream
 * waits (backoff, or the server's Retry-After) and tries the same page again: nothing moves. Rejected credentials and
 * configuration errors end the task with a {@link ConnectException} that says what to fix.
 */
final class ExportStream implements PolledStream {

    /** Subtracted from the server's clock for {@code backfill.start=none}: Zendesk excludes the last minute. */
    static final Duration EXCLUSION_MARGIN = Duration.ofSeconds(70);

    private static final Logger LOG = LoggerFactory.getLogger(ExportStream.class);

    private final ZendeskObject object;
    private final Map<String, String> partition;
    private final ZendeskExports api;
    private final SupportRecords records;
    private final SupportSourceConfig config;
    private final Clock clock;

    /** Where the next step reads; null until the first step decides where to begin. */
    private ExportOffset position;
    private long dueAtNanos;
    private final StreamFailures failures;
    private long delivered;
    private long pages;

    ExportStream(ZendeskObject object, ExportOffset restored, ZendeskExports api, SupportRecords records,
                 SupportSourceConfig config, RetryPolicy retryPolicy, Clock clock, long nowNanos) {
        this.object = object;
        this.partition = ExportOffset.partition(object);
        this.api = api;
        this.records = records;
        this.config = config;
        this.failures = new StreamFailures(object.apiName(), retryPolicy, LOG);
        this.clock = clock;
        this.position = restored;
        this.dueAtNanos = nowNanos;
    }

    ZendeskObject object() {
        return object;
    }

    /** Where the next page is read (null before the first step). */
    ExportOffset position() {
        return position;
    }

    @Override
    public long dueAtNanos() {
        return dueAtNanos;
    }

    long recordsDelivered() {
        return delivered;
    }

    long pagesRead() {
        return pages;
    }

    /**
     * Reads the next page (or decides where to begin) and returns its records, possibly none.
     *
     * @throws ConnectException when the task must stop: credentials rejected, configuration wrong
     */
    @Override
    public List<SourceRecord> step(long nowNanos) {
        try {
            List<SourceRecord> out;
            if (position == null) {
                position = ExportOffset.at(begin());
                out = List.of();
                dueAtNanos = nowNanos;
            } else {
                out = readPage(nowNanos);
            }
            failures.succeeded();
            return out;
        } catch (ZendeskExports.ExportCallException e) {
            return failed(e, nowNanos);
        }
    }

    private ExportOffset.Request begin() throws ZendeskExports.ExportCallException {
        BackfillStart start = config.backfillStart();
        long startTime;
        if (start instanceof BackfillStart.Since s) {
            startTime = Math.max(0, s.from().getEpochSecond());
        } else if (start instanceof BackfillStart.None) {
            ZendeskExports.Me me = api.me("reading the server clock before the first " + object.apiName() + " sync");
            Instant serverNow = me.serverDate().orElse(clock.instant());
            startTime = serverNow.minus(EXCLUSION_MARGIN).getEpochSecond();
        } else {
            startTime = 0;
        }
        LOG.debug("{}: first sync, reading the {} export from {}", object.apiName(), object.exportName(),
                Instant.ofEpochSecond(startTime));
        return new ExportOffset.Start(startTime, List.of());
    }

    private List<SourceRecord> readPage(long nowNanos) throws ZendeskExports.ExportCallException {
        ExportOffset at = position;
        ZendeskExports.Fetched fetched = api.page(object, at.request(), config.pageSize(),
                object.exportName() + " export " + describe(at.request()));
        pages++;
        ExportPage page = fetched.page();
        List<ExportPage.Item> items = page.items();

        // What of this page was delivered before: the edge second's ids (time-based), and a partly delivered page.
        int from = 0;
        if (at.done() > 0) {
            from = indexAfter(items, at.done(), at.last());
        }
        Set<String> seen = at.request() instanceof ExportOffset.Start s && !s.seen().isEmpty()
                ? new HashSet<>(s.seen()) : Set.of();
        long requestSecond = at.request() instanceof ExportOffset.Start s ? s.startTime() : Long.MIN_VALUE;

        ExportOffset.Request next = nextRequest(at.request(), page);
        // The offset after each item: the same request with the place in the page, or the next request after the last.
        List<ExportOffset> after = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            after.add(i == items.size() - 1 ? ExportOffset.at(next)
                    : new ExportOffset(at.request(), i + 1, items.get(i).identity()));
        }
        // The page's last record carries the next request, reaching past the items after it that make no record
        // (deliberate skips); every other record carries its own place in the page.
        List<SourceRecord> out = new ArrayList<>();
        ExportOffset carried = ExportOffset.at(next);
        List<SourceRecord> reversed = new ArrayList<>();
        int skipped = 0;
        for (int i = items.size() - 1; i >= from; i--) {
            ExportPage.Item item = items.get(i);
            boolean repeat = item.seconds() != null && item.seconds() == requestSecond && seen.contains(item.identity());
            if (repeat || !SupportRecords.writes(object, item)) {
                skipped++;
                continue;
            }
            if (item.problem() != null) {
                LOG.warn("{}: {}; written keyed {} for the normalizer to dead-letter", object.apiName(),
                        item.problem(), item.digest());
            }
            ExportOffset offset = reversed.isEmpty() ? carried : after.get(i);
            reversed.add(records.record(partition, offset.toMap(), object, item, fetched.receivedAtMillis()));
        }
        for (int i = reversed.size() - 1; i >= 0; i--) {
            out.add(reversed.get(i));
        }
        if (skipped > 0) {
            LOG.debug("{}: {} item(s) of the page made no record (edge repeats, audits without a comment)",
                    object.apiName(), skipped);
        }
        delivered += out.size();
        position = ExportOffset.at(next);
        dueAtNanos = page.endOfStream() ? nowNanos + config.pollInterval().toNanos() : nowNanos;
        return out;
    }

    /**
     * The index of the first item not yet delivered: after the item named {@code last}, looked for first where it
     * was ({@code done - 1}), then anywhere; 0 when it is gone from the page (the page is delivered again).
     */
    static int indexAfter(List<ExportPage.Item> items, int done, String last) {
        if (done - 1 < items.size() && items.get(done - 1).identity().equals(last)) {
            return done;
        }
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).identity().equals(last)) {
                return i + 1;
            }
        }
        return 0;
    }

    /** The request after {@code page}: its after_cursor, or start_time = end_time with the ids of that second. */
    static ExportOffset.Request nextRequest(ExportOffset.Request request, ExportPage page) {
        if (request instanceof ExportOffset.Cursor || page.afterCursor() != null) {
            return page.afterCursor() != null ? new ExportOffset.Cursor(page.afterCursor()) : request;
        }
        ExportOffset.Start start = (ExportOffset.Start) request;
        if (page.endTime() == null || page.endTime() < start.startTime()) {
            return start; // nothing moved (an empty page): ask the same again later
        }
        long second = page.endTime();
        Set<String> seen = new LinkedHashSet<>();
        if (second == start.startTime()) {
            seen.addAll(start.seen());
        }
        for (ExportPage.Item item : page.items()) {
            if (item.seconds() != null && item.seconds() == second) {
                seen.add(item.identity());
            }
        }
        return new ExportOffset.Start(second, new ArrayList<>(seen));
    }

    private static String describe(ExportOffset.Request r) {
        if (r instanceof ExportOffset.Cursor c) {
            return "after cursor " + c.cursor();
        }
        ExportOffset.Start s = (ExportOffset.Start) r;
        return "from " + Instant.ofEpochSecond(s.startTime());
    }

    private List<SourceRecord> failed(ZendeskExports.ExportCallException e, long nowNanos) {
        // Zendesk leaves the last minute out: a start time inside it is refused; come back when it has left it.
        failures.failed(e.kind(), e.getMessage(), e.retryAfter(), "copying " + object.apiName(),
                () -> "Zendesk rejected the credentials while copying " + object.apiName() + ": fix '"
                        + config.credentialKey() + "' (an API token of an admin, whose e-mail is in "
                        + "auth.basic.username as <e-mail>/token, or an OAuth token of an admin: the incremental "
                        + "exports need one). " + e.getMessage(),
                e.tooRecent() ? Duration.ofSeconds(15) : null)
                .ifPresent(delay -> dueAtNanos = nowNanos + delay.toNanos());
        return List.of();
    }
}
