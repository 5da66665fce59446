package io.syncline.connect.crm.source;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.sandbox.crm.CrmSandbox;

/**
 * What the CRM sandbox holds, read through its public HubSpot API with a plain HTTP client (not the connector's): the
 * expectation a test compares the connector's records with.
 */
final class CrmSandboxReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private CrmSandboxReader() {
    }

    /** Every live (or archived) object of {@code type}, by id, read with {@code properties} and associations. */
    static Map<String, JsonNode> objects(CrmSandbox sandbox, CrmObjectType type, List<String> properties,
                                         List<CrmObjectType> associations, boolean archived) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        String after = null;
        do {
            StringBuilder url = new StringBuilder(sandbox.url()).append("/crm/v3/objects/").append(type.path())
                    .append("?limit=100&archived=").append(archived).append("&properties=")
                    .append(String.join(",", properties));
            if (!associations.isEmpty()) {
                url.append("&associations=").append(String.join(",", associations.stream().map(CrmObjectType::path)
                        .toList()));
            }
            if (after != null) {
                url.append("&after=").append(after);
            }
            JsonNode page = get(sandbox, url.toString());
            page.get("results").forEach(o -> out.put(o.get("id").asText(), o));
            after = page.path("paging").path("next").path("after").asText(null);
        } while (after != null);
        return out;
    }

    private static JsonNode get(CrmSandbox sandbox, String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + sandbox.privateAppToken()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + url + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The ids in an object's {@code associations/<to>/results}, in order, each once. */
    static List<String> associatedIds(JsonNode object, CrmObjectType to) {
        java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>();
        object.path("associations").path(to.path()).path("results").forEach(r -> ids.add(r.get("id").asText()));
        return List.copyOf(ids);
    }
}
