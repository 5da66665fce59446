package io.syncline.sandbox.support;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.ApiException;
import io.syncline.sandbox.core.ApiResponse;
import io.syncline.sandbox.core.Json;

/**
 * Zendesk's error bodies: {@code {"error":"RecordNotFound","description":"Not found"}}, the 422
 * {@code RecordInvalid} with per-field {@code details}, the 409 of a safe update and the 401 of failed auth.
 */
final class ZendeskErrors {

    static final String RATE_LIMITED = "Number of allowed API requests per minute exceeded";

    private ZendeskErrors() {
    }

    static ObjectNode body(String error, String description) {
        ObjectNode n = Json.object();
        n.put("error", error);
        if (description != null) {
            n.put("description", description);
        }
        return n;
    }

    static ApiException error(int status, String error, String description) {
        return new ApiException(ApiResponse.json(status, body(error, description)));
    }

    static ApiException recordNotFound() {
        return error(404, "RecordNotFound", "Not found");
    }

    static ApiException invalidEndpoint() {
        return error(404, "InvalidEndpoint", "Not found");
    }

    /** A 400 for a query parameter or body Zendesk cannot use (names the parameter and what is valid). */
    static ApiException badRequest(String description) {
        return error(400, "InvalidValue", description);
    }

    static ApiException parameterMissing(String root) {
        return error(400, "ParameterMissing", "Parameter '" + root + "' is required; send {\"" + root + "\": {…}}");
    }

    /** One field's validation failure inside a {@code RecordInvalid} answer. */
    record Invalid(String field, String description, String error) {
    }

    /** 422 {@code {"error":"RecordInvalid","description":"Record validation errors","details":{field:[…]}}}. */
    static ApiException recordInvalid(java.util.List<Invalid> problems) {
        ObjectNode n = body("RecordInvalid", "Record validation errors");
        ObjectNode details = n.putObject("details");
        for (Invalid i : problems) {
            ArrayNode list = details.has(i.field()) ? (ArrayNode) details.get(i.field()) : details.putArray(i.field());
            ObjectNode e = list.addObject();
            e.put("description", i.description());
            e.put("error", i.error());
        }
        return new ApiException(ApiResponse.json(422, n));
    }

    static ApiException recordInvalid(String field, String description, String error) {
        return recordInvalid(java.util.List.of(new Invalid(field, description, error)));
    }

    static ApiException updateConflict() {
        return error(409, "UpdateConflict", "Safe Update prevented the update due to outdated ticket data. Please "
                + "fetch the latest ticket data and try again.");
    }

    static ApiException couldNotAuthenticate() {
        ObjectNode n = Json.object();
        n.put("error", "Couldn't authenticate you");
        return new ApiException(ApiResponse.json(401, n));
    }

    static ApiException invalidToken() {
        ObjectNode n = Json.object();
        n.put("error", "invalid_token");
        n.put("error_description", "The access token provided is expired, revoked, malformed or invalid for other "
                + "reasons.");
        return new ApiException(ApiResponse.json(401, n).withHeader("WWW-Authenticate",
                "Bearer realm=\"Web\", error=\"invalid_token\""));
    }
}
