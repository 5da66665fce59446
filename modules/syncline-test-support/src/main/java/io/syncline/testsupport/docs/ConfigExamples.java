package io.syncline.testsupport.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The connector configs a docs page shows (its ```json blocks that set {@code connector.class}), so a test can check
 * that every example a user may copy still loads.
 */
public final class ConfigExamples {
    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigExamples() {
    }

    /** Every connector config on {@code page}, in page order, values as text (Connect's REST API takes strings). */
    public static List<Map<String, String>> connectorConfigs(Path page) {
        String text;
        try {
            text = Files.readString(page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + page, e);
        }
        List<Map<String, String>> out = new ArrayList<>();
        Matcher m = JSON_BLOCK.matcher(text);
        while (m.find()) {
            JsonNode node;
            try {
                node = JSON.readTree(m.group(1));
            } catch (IOException e) {
                throw new AssertionError(page + ": a ```json block is not JSON: " + e.getMessage(), e);
            }
            JsonNode config = node.has("config") ? node.get("config") : node;
            if (config.isObject() && config.has("connector.class")) {
                Map<String, String> c = new LinkedHashMap<>();
                config.fields().forEachRemaining(e -> c.put(e.getKey(), e.getValue().asText()));
                out.add(c);
            }
        }
        return out;
    }
}
