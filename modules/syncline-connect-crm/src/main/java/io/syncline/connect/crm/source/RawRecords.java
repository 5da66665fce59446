package io.syncline.connect.crm.source;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncline.raw.RawHeader;
import io.syncline.raw.RawHeaders;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Builds the records the CRM source writes to {@code raw.hubspot.<type>}: key = the HubSpot object id, value = the
 * full object as HubSpot returned it ({@code {"id","properties",...,"createdAt","updatedAt","archived"}} plus
 * {@code "associations"}), and the headers every raw record carries ({@link RawHeader}, as the webhook gateway
 * writes them): source {@code hubspot-api:<connector name>}, an event id that names the version (so the same version
 * read twice, by backfill and search or after a restart, dedupes), received-at = when the page arrived, a new trace
 * id.
 *
 * <p>Event ids: {@code <id>@<updatedAt ms>} for a live object, {@code <id>@archived:<archivedAt ms>} for an archived
 * one, {@code <losing id>@merged-into:<surviving id>@<survivor's updatedAt ms>} for the retirement of a merged-away
 * id (written with each version of the survivor; the normalizer finds the id deleted already after the first).
 */
final class RawRecords {

    /** The writer part of {@link RawHeader#SOURCE}; the gateway's HubSpot endpoints write {@code hubspot-webhook}. */
    static final String SOURCE_WRITER = "hubspot-api";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] ASSOCIATIONS_MEMBER = ",\"associations\":".getBytes(StandardCharsets.US_ASCII);

    private final String source;
    private final CrmSourceConfig config;

    RawRecords(String connectorName, CrmSourceConfig config) {
        this.source = RawHeaders.source(SOURCE_WRITER, connectorName);
        this.config = config;
    }

    /** One object, live or archived, with {@code json} its bytes (associations added when read apart). */
    SourceRecord object(Map<String, ?> partition, Map<String, ?> offset, CrmObjectType type, ObjectPage.Item item,
                        byte[] json, long receivedAtMillis) {
        String eventId = item.archived() ? item.id() + "@archived:" + item.archivedAt()
                : item.id() + "@" + item.updatedAt();
        return record(partition, offset, config.topic(type), item.id(), eventId, json, receivedAtMillis);
    }

    /**
     * The retirement of {@code losingId}, merged into {@code survivor}: a HubSpot-shaped object that is archived
     * (what the normalizer turns into a DELETE of the losing id) and names the survivor in
     * {@code mergedIntoObjectId}. Its times are the survivor's: the merge made it, and HubSpot keeps no object for
     * the losing id to take them from.
     */
    SourceRecord retirement(Map<String, ?> partition, Map<String, ?> offset, CrmObjectType type, String losingId,
                            ObjectPage.Item survivor, long receivedAtMillis) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", losingId);
        o.putObject("properties").put("hs_object_id", losingId);
        if (survivor.createdAt() != null) {
            o.put("createdAt", survivor.createdAt());
        }
        o.put("updatedAt", survivor.updatedAtText());
        o.put("archived", true);
        o.put("archivedAt", survivor.updatedAtText());
        o.put("mergedIntoObjectId", survivor.id());
        byte[] json = o.toString().getBytes(StandardCharsets.UTF_8);
        return record(partition, offset, config.topic(type), losingId, losingId + "@merged-into:" + survivor.id() + "@"
                + survivor.updatedAt(), json, receivedAtMillis);
    }

    /**
     * {@code json} (one object as search returned it, without associations) with an {@code associations} member in
     * the shape a list read with {@code ?associations=} has: per associated type {@code {"results":[{"id","type"}]}},
     * the Primary-labelled ones first under {@code <from>_to_<to>}, then every one once more under its unlabeled
     * type. Types without associations are left out, as HubSpot leaves them out.
     */
    static byte[] withAssociations(byte[] json, CrmObjectType from,
                                   Map<CrmObjectType, List<HubSpotApi.Associated>> associations) {
        ObjectNode member = JSON.createObjectNode();
        associations.forEach((to, list) -> {
            if (list.isEmpty()) {
                return;
            }
            ArrayNode results = member.putObject(to.path()).putArray("results");
            for (HubSpotApi.Associated a : list) {
                if (a.primary()) {
                    results.addObject().put("id", a.id()).put("type", from.associationTypeName(to, true));
                }
            }
            for (HubSpotApi.Associated a : list) {
                results.addObject().put("id", a.id()).put("type", from.associationTypeName(to, false));
            }
        });
        if (member.isEmpty()) {
            return json;
        }
        int end = json.length;
        while (end > 0 && Character.isWhitespace(json[end - 1])) {
            end--;
        }
        if (end == 0 || json[end - 1] != '}') {
            throw new IllegalArgumentException("not a JSON object: cannot add associations");
        }
        // Splice before the closing brace: the object's own bytes stay as received.
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + 64);
        out.write(json, 0, end - 1);
        boolean empty = isEmptyObject(json, end - 1);
        if (empty) {
            out.write(ASSOCIATIONS_MEMBER, 1, ASSOCIATIONS_MEMBER.length - 1);
        } else {
            out.write(ASSOCIATIONS_MEMBER, 0, ASSOCIATIONS_MEMBER.length);
        }
        out.writeBytes(member.toString().getBytes(StandardCharsets.UTF_8));
        out.write('}');
        return out.toByteArray();
    }

    private static boolean isEmptyObject(byte[] json, int closing) {
        for (int i = closing - 1; i >= 0; i--) {
            if (!Character.isWhitespace(json[i])) {
                return json[i] == '{';
            }
        }
        return false;
    }

    private SourceRecord record(Map<String, ?> partition, Map<String, ?> offset, String topic, String key,
                                String eventId, byte[] json, long receivedAtMillis) {
        ConnectHeaders headers = new ConnectHeaders();
        RawHeaders.polled(source, eventId, receivedAtMillis, RawHeaders.newTraceId()).forEach(headers::addString);
        return new SourceRecord(partition, offset, topic, null, Schema.STRING_SCHEMA, key, Schema.BYTES_SCHEMA, json,
                receivedAtMillis, headers);
    }
}
