package io.syncline.bench.oracle;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a provider's own state through its public API, as an outsider would: every object of a Stripe list endpoint
 * ({@code starting_after} paging) and every contact of a HubSpot CRM ({@code after} paging), waiting out 429s.
 */
final class ProviderApis {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ATTEMPTS = 60;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** Every object of {@code <base>/v1/<objects>}, oldest page last as Stripe lists them. */
    List<JsonNode> stripeList(String base, String apiKey, String objects) {
        List<JsonNode> out = new ArrayList<>();
        String after = null;
        while (true) {
            String url = base + "/v1/" + objects + "?limit=100" + (after == null ? "" : "&starting_after="
                    + URLEncoder.encode(after, StandardCharsets.UTF_8));
            JsonNode page = get(url, apiKey, "listing " + objects + " at " + base);
            for (JsonNode o : page.path("data")) {
                out.add(o);
            }
            if (!page.path("has_more").asBoolean(false) || page.path("data").isEmpty()) {
                return out;
            }
            after = page.path("data").get(page.path("data").size() - 1).path("id").asText();
        }
    }

    /** Every live contact of the CRM at {@code base} with the given properties. */
    List<JsonNode> hubSpotContacts(String base, String token, List<String> properties) {
        List<JsonNode> out = new ArrayList<>();
        String after = null;
        while (true) {
            String url = base + "/crm/v3/objects/contacts?limit=100&properties="
                    + URLEncoder.encode(String.join(",", properties), StandardCharsets.UTF_8)
                    + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
            JsonNode page = get(url, token, "listing contacts at " + base);
            for (JsonNode o : page.path("results")) {
                out.add(o);
            }
            JsonNode next = page.path("paging").path("next").path("after");
            if (next.isMissingNode() || next.isNull()) {
                return out;
            }
            after = next.asText();
        }
    }

    private JsonNode get(String url, String bearer, String what) {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> r;
            try {
                r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + bearer).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new IllegalStateException(what + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(what + ": interrupted", e);
            }
            if ((r.statusCode() == 429 || r.statusCode() >= 500) && attempt < MAX_ATTEMPTS) {
                // A rate limit shared with the pipeline's own calls, or an injected fault: wait and ask again.
                LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
                continue;
            }
            if (r.statusCode() != 200) {
                throw new IllegalStateException(what + ": HTTP " + r.statusCode() + " " + r.body());
            }
            try {
                return JSON.readTree(r.body());
            } catch (IOException e) {
                throw new IllegalStateException(what + ": not JSON: " + e.getMessage(), e);
            }
        }
    }
}
