package io.syncline.connect.crm.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.connect.common.OutboundHttpConfig;
import io.syncline.raw.RawHeader;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class RawRecordsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectPage.Item item(String json) throws Exception {
        return ObjectPage.parse(("{\"results\":[" + json + "]}").getBytes(StandardCharsets.UTF_8),
                ObjectPage.paths("lastmodifieddate")).items().get(0);
    }

    private static RawRecords records() {
        return new RawRecords("hubspot-main", new CrmSourceConfig(Map.of(OutboundHttpConfig.AUTH_BEARER_TOKEN,
                "pat-na1-x")));
    }

    private static String header(SourceRecord r, RawHeader h) {
        return (String) r.headers().lastWithName(h.key()).value();
    }

    @Test
    void associationsAreSplicedInWithoutTouchingTheObjectsOwnBytes() throws Exception {
        String object = "{\"id\":\"51\",\"properties\":{\"amount\":1.50 ,\"x\":\"\\u00e9\"},\"updatedAt\":"
                + "\"2024-05-01T12:00:00Z\"}  ";
        Map<CrmObjectType, List<HubSpotApi.Associated>> associated = new LinkedHashMap<>();
        associated.put(CrmObjectType.CONTACT, List.of(new HubSpotApi.Associated("7", false),
                new HubSpotApi.Associated("8", false)));
        associated.put(CrmObjectType.COMPANY, List.of(new HubSpotApi.Associated("3", false),
                new HubSpotApi.Associated("2", true)));
        String spliced = new String(RawRecords.withAssociations(object.getBytes(StandardCharsets.UTF_8),
                CrmObjectType.DEAL, associated), StandardCharsets.UTF_8);
        assertThat(spliced).startsWith("{\"id\":\"51\",\"properties\":{\"amount\":1.50 ,\"x\":\"\\u00e9\"},"
                + "\"updatedAt\":\"2024-05-01T12:00:00Z\",\"associations\":{");
        JsonNode a = JSON.readTree(spliced).get("associations");
        assertThat(a.get("contacts").get("results")).extracting(n -> n.get("id").asText() + ":"
                + n.get("type").asText()).containsExactly("7:deal_to_contact", "8:deal_to_contact");
        assertThat(a.get("companies").get("results")).extracting(n -> n.get("id").asText() + ":"
                + n.get("type").asText()).containsExactly("2:deal_to_company", "3:deal_to_company_unlabeled",
                "2:deal_to_company_unlabeled");

        assertThat(RawRecords.withAssociations(object.getBytes(StandardCharsets.UTF_8), CrmObjectType.DEAL,
                Map.of(CrmObjectType.CONTACT, List.of()))).as("nothing to add").isEqualTo(
                object.getBytes(StandardCharsets.UTF_8));
        assertThat(new String(RawRecords.withAssociations("{ }".getBytes(StandardCharsets.UTF_8), CrmObjectType.DEAL,
                Map.of(CrmObjectType.CONTACT, List.of(new HubSpotApi.Associated("7", false)))),
                StandardCharsets.UTF_8)).isEqualTo("{ \"associations\":{\"contacts\":{\"results\":[{\"id\":\"7\","
                + "\"type\":\"deal_to_contact\"}]}}}");
    }

    @Test
    void eventIdsNameTheVersionSoTheSameVersionReadTwiceDedupes() throws Exception {
        ObjectPage.Item live = item("{\"id\":\"51\",\"properties\":{},\"updatedAt\":\"2024-05-01T12:00:00.250Z\"}");
        ObjectPage.Item archived = item("{\"id\":\"52\",\"properties\":{},\"updatedAt\":\"2024-05-02T00:00:00Z\","
                + "\"archived\":true,\"archivedAt\":\"2024-05-02T00:00:00Z\"}");
        RawRecords records = records();
        SourceRecord r = records.object(Map.of("object", "contact"), Map.of(), CrmObjectType.CONTACT, live,
                live.json(), 1_700_000_000_000L);
        assertThat(r.topic()).isEqualTo("raw.hubspot.contact");
        assertThat(r.key()).isEqualTo("51");
        assertThat(r.value()).isEqualTo(live.json());
        assertThat(header(r, RawHeader.EVENT_ID)).isEqualTo("51@1714564800250");
        assertThat(header(r, RawHeader.SOURCE)).isEqualTo("hubspot-api:hubspot-main");
        assertThat(header(r, RawHeader.RECEIVED_AT)).isEqualTo("1700000000000");
        assertThat(header(r, RawHeader.TRACE_ID)).matches("[0-9a-f]{32}");
        assertThat(header(records.object(Map.of(), Map.of(), CrmObjectType.CONTACT, archived, archived.json(), 1L),
                RawHeader.EVENT_ID)).isEqualTo("52@archived:1714608000000");
    }

    @Test
    void aMergedAwayIdIsRetiredAsAnArchivedObjectNamingTheSurvivor() throws Exception {
        ObjectPage.Item survivor = item("{\"id\":\"90\",\"properties\":{\"hs_merged_object_ids\":\"51;52\"},"
                + "\"createdAt\":\"2024-04-01T00:00:00Z\",\"updatedAt\":\"2024-05-05T10:00:00Z\"}");
        SourceRecord r = records().retirement(Map.of(), Map.of(), CrmObjectType.CONTACT, "51", survivor, 5L);
        assertThat(r.key()).isEqualTo("51");
        assertThat(header(r, RawHeader.EVENT_ID)).isEqualTo("51@merged-into:90@1714903200000");
        JsonNode json = JSON.readTree((byte[]) r.value());
        assertThat(json.get("id").asText()).isEqualTo("51");
        assertThat(json.get("archived").asBoolean()).isTrue();
        assertThat(json.get("archivedAt").asText()).isEqualTo("2024-05-05T10:00:00Z");
        assertThat(json.get("updatedAt").asText()).isEqualTo("2024-05-05T10:00:00Z");
        assertThat(json.get("createdAt").asText()).isEqualTo("2024-04-01T00:00:00Z");
        assertThat(json.get("mergedIntoObjectId").asText()).isEqualTo("90");
        assertThat(json.at("/properties/hs_object_id").asText()).isEqualTo("51");
    }
}
