package io.syncline.json;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * What every source's reader of a provider's page of items shares (a Stripe list, a HubSpot page, a Zendesk export):
 * one walk with {@link PartialJsonReader} that turns every way a body can fail (cut short, not JSON, trailing
 * content, the wrong shape) into one {@link MalformedPageException} with a one-line message, and byte-exact slices of
 * the items, so that field order, number formatting and unknown fields reach Kafka untouched.
 */
public final class JsonPages {

    private JsonPages() {
    }

    /**
     * Walks {@code body} with {@code handler}.
     *
     * @param empty    the message when the body holds no JSON value at all
     * @param trailing the message when content follows the page's value
     * @return what the handler made of the root value
     */
    public static <V> V read(JsonFactory json, byte[] body, PathTrie paths, PartialJsonReader.Handler<V> handler,
                             String empty, String trailing) throws MalformedPageException {
        V root;
        try {
            root = PartialJsonReader.read(json, body, paths, handler);
        } catch (Malformed e) {
            throw new MalformedPageException(e.getMessage());
        } catch (PartialJsonReader.TrailingContentException e) {
            throw new MalformedPageException(trailing);
        } catch (IOException | RuntimeException e) {
            // JsonParseException, JsonEOFException (a body cut short), number overflow, ...
            throw new MalformedPageException(e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
        }
        if (root == null) {
            throw new MalformedPageException(empty);
        }
        return root;
    }

    /** The bytes of {@code body} from {@code start} to {@code end}: one item exactly as the provider wrote it. */
    public static byte[] slice(byte[] body, int start, int end) {
        return Arrays.copyOfRange(body, start, end);
    }

    /** Where the parser's current token starts, as an index into the body (the start of an item's slice). */
    public static int tokenStart(JsonParser p) {
        return (int) p.currentTokenLocation().getByteOffset();
    }

    /** Where the parser stands after its current token (on an item's closing brace: the end of its slice). */
    public static int tokenEnd(JsonParser p) {
        return (int) p.currentLocation().getByteOffset();
    }

    /** "expected '[' at data, got '{' at byte 12": for a handler to throw when the page has the wrong shape. */
    public static Malformed malformed(JsonParser p, JsonToken expected, String what) {
        return new Malformed("expected " + describe(expected) + " at " + what + ", got "
                + describe(p.currentToken()) + " at byte " + p.currentTokenLocation().getByteOffset());
    }

    /** A token as a message names it: the bracket itself, or the token's kind in lower case. */
    public static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "'{'";
            case END_OBJECT -> "'}'";
            case START_ARRAY -> "'['";
            case END_ARRAY -> "']'";
            default -> t.name().toLowerCase(Locale.ROOT);
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /**
     * A page that is readable JSON but not of the provider's shape: thrown by a handler out of the walk (without a
     * stack trace: it is a value, not a bug) and reported by {@link #read} as a {@link MalformedPageException}.
     */
    public static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** The body is not a complete page of the provider's shape; the message says where and why, on one line. */
    public static final class MalformedPageException extends Exception {
        private static final long serialVersionUID = 1L;

        public MalformedPageException(String message) {
            super(message);
        }
    }
}
