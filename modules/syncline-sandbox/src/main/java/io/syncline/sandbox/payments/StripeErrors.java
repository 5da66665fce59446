package io.syncline.sandbox.payments;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.ApiException;
import io.syncline.sandbox.core.ApiResponse;
import io.syncline.sandbox.core.Json;

/** Stripe's error body {@code {"error":{"type","code","message","param","doc_url"}}}; absent fields are omitted. */
final class StripeErrors {

    static final String INVALID_REQUEST = "invalid_request_error";
    static final String API_ERROR = "api_error";
    static final String CARD_ERROR = "card_error";
    static final String IDEMPOTENCY_ERROR = "idempotency_error";

    private StripeErrors() {
    }

    static ObjectNode body(String type, String code, String message, String param) {
        ObjectNode error = Json.object();
        if (code != null) {
            error.put("code", code);
            error.put("doc_url", "https://stripe.com/docs/error-codes/" + code.replace('_', '-'));
        }
        error.put("message", message);
        if (param != null) {
            error.put("param", param);
        }
        error.put("type", type);
        ObjectNode root = Json.object();
        root.set("error", error);
        return root;
    }

    static ApiResponse response(int status, String type, String code, String message, String param) {
        return ApiResponse.json(status, body(type, code, message, param));
    }

    static ApiException invalid(String code, String message, String param) {
        return new ApiException(response(400, INVALID_REQUEST, code, message, param));
    }

    static ApiException missingParam(String param) {
        return invalid("parameter_missing", "Missing required param: " + param + ".", param);
    }

    static ApiException unknownParam(String param) {
        return invalid("parameter_unknown", "Received unknown parameter: " + param, param);
    }

    /** A referenced object that does not exist: 404 for the object in the path, 400 for one named in a parameter. */
    static ApiException noSuch(String what, String id, String param, boolean inPath) {
        return new ApiException(response(inPath ? 404 : 400, INVALID_REQUEST, "resource_missing",
                "No such " + what + ": '" + id + "'", param));
    }
}
