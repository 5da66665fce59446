package io.syncline.connect.support;

import java.util.Map;

import io.syncline.raw.RawHeader;
import io.syncline.raw.RawHeaders;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Builds the records the support source writes to {@code raw.zendesk.<object>}: value = the exported item's JSON bytes
 * exactly as received, key = the object's id, and the headers every raw record carries ({@link RawHeader}, the same the
 * gateway writes for Zendesk webhooks): source {@code zendesk-api:<connector name>}, event id
 * {@code <id>@<updated_at>} (a ticket comment: {@code <comment id>@<created_at>}), so that the same version read twice
 * (a page edge, a restart) dedupes downstream, received-at = when the page arrived, and a new trace id.
 *
 * <p>An item that is not a usable object (see {@link ExportPage.Item#problem()}) is written too, keyed and identified
 * by the digest of its bytes: the normalizer dead-letters it with its reason, and the rest of the page goes on.
 */
final class SupportRecords {

    /** The writer part of {@link RawHeader#SOURCE}; the gateway's Zendesk endpoints write {@code zendesk-webhook}. */
    static final String SOURCE_WRITER = "zendesk-api";

    private final String source;
    private final SupportSourceConfig config;

    SupportRecords(String connectorName, SupportSourceConfig config) {
        this.source = RawHeaders.source(SOURCE_WRITER, connectorName);
        this.config = config;
    }

    /** The key a record of {@code item} gets: the object's id (a comment's for ticket audits), else the digest. */
    static String key(ZendeskObject object, ExportPage.Item item) {
        if (item.problem() != null) {
            return item.digest();
        }
        return object.auditComments() ? item.commentId() : item.id();
    }

    /** The event id of {@code item}'s record: {@code <key>@<version time>}, or the digest for a malformed item. */
    static String eventId(ZendeskObject object, ExportPage.Item item) {
        if (item.problem() != null) {
            return item.digest();
        }
        String version = item.version() != null ? item.version() : item.digest();
        return key(object, item) + "@" + version;
    }

    /** Whether {@code item} becomes a record: every item, except ticket audits that added no comment. */
    static boolean writes(ZendeskObject object, ExportPage.Item item) {
        return item.problem() != null || !object.auditComments() || item.commentId() != null;
    }

    SourceRecord record(Map<String, ?> partition, Map<String, ?> offset, ZendeskObject object, ExportPage.Item item,
                        long receivedAtMillis) {
        ConnectHeaders headers = new ConnectHeaders();
        RawHeaders.polled(source, eventId(object, item), receivedAtMillis, RawHeaders.newTraceId())
                .forEach(headers::addString);
        return new SourceRecord(partition, offset, config.topic(object), null, Schema.STRING_SCHEMA, key(object, item),
                Schema.BYTES_SCHEMA, item.json(), receivedAtMillis, headers);
    }
}
