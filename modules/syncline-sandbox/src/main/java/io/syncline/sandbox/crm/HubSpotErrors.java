package io.syncline.sandbox.crm;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.ApiException;
import io.syncline.sandbox.core.ApiResponse;
import io.syncline.sandbox.core.Json;

/** HubSpot's error body {@code {"status":"error","message","correlationId","category"}} and its common cases. */
final class HubSpotErrors {

    private HubSpotErrors() {
    }

    static ObjectNode body(String correlationId, String category, String message) {
        ObjectNode n = Json.object();
        n.put("status", "error");
        n.put("message", message);
        n.put("correlationId", correlationId);
        if (category != null) {
            n.put("category", category);
        }
        return n;
    }

    static ApiException error(int status, String correlationId, String category, String message) {
        return new ApiException(ApiResponse.json(status, body(correlationId, category, message)));
    }

    static ApiException validation(String correlationId, String message) {
        return error(400, correlationId, "VALIDATION_ERROR", message);
    }

    static ApiException objectNotFound(String correlationId) {
        return error(404, correlationId, "OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric.");
    }

    /** HubSpot's "Property values were not valid: [...]" with one entry per bad property. */
    static ApiException invalidProperties(String correlationId, List<CrmSchema.Invalid> invalid) {
        return new ApiException(ApiResponse.json(400, invalidPropertiesBody(correlationId, invalid)));
    }

    static ObjectNode invalidPropertiesBody(String correlationId, List<CrmSchema.Invalid> invalid) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (CrmSchema.Invalid i : invalid) {
            ObjectNode e = list.addObject();
            e.put("isValid", false);
            e.put("message", i.message());
            e.put("error", i.error());
            e.put("name", i.name());
            e.put("localizedErrorMessage", i.message());
        }
        ObjectNode body = body(correlationId, "VALIDATION_ERROR", "Property values were not valid: " + Json.write(list));
        return body;
    }
}
