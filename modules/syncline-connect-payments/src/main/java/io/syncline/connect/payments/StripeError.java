package io.syncline.connect.payments;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/** Stripe's error body, {@code {"error":{"type","code","message","param"}}}; every part may be missing. */
record StripeError(String type, String code, String message, String param) {

    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_MESSAGE = 300;

    /** The error in {@code body}, or an empty one when the body is not a Stripe error. */
    static StripeError parse(byte[] body) {
        String type = null;
        String code = null;
        String message = null;
        String param = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new StripeError(null, null, null, null);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("error") && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        JsonToken v = p.nextToken();
                        String text = v == JsonToken.VALUE_STRING ? p.getText() : null;
                        switch (f) {
                            case "type" -> type = text;
                            case "code" -> code = text;
                            case "message" -> message = text;
                            case "param" -> param = text;
                            default -> p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not JSON, or cut short: whatever was read so far is all there is.
        }
        return new StripeError(type, code, message, param);
    }

    /** "invalid_request_error (resource_missing, param starting_after): No such charge: 'ch_1'" or "(no error body)". */
    String describe() {
        if (type == null && code == null && message == null) {
            return "(no Stripe error in the response)";
        }
        StringBuilder s = new StringBuilder(type == null ? "error" : type);
        if (code != null || param != null) {
            s.append(" (");
            if (code != null) {
                s.append(code);
            }
            if (param != null) {
                s.append(code != null ? ", " : "").append("param ").append(param);
            }
            s.append(")");
        }
        if (message != null) {
            s.append(": ").append(message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..." : message);
        }
        return s.toString();
    }
}
