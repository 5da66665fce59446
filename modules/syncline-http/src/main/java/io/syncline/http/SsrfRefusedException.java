package io.syncline.http;

import java.io.IOException;

/**
 * The outbound policy refused a target (scheme, internal address, metadata host) before any connection was made.
 *
 * <p>An {@link IOException} so it can travel through Jetty's resolver promise; the message never holds secrets.
 */
public final class SsrfRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String target;
    private final String detail;
    private final String hint;
    private final boolean schemeRefused;

    /**
     * Creates the exception for a refused address.
     *
     * @param target what was refused (host[:port], or the whole URL when known)
     * @param detail why, e.g. "resolves to 10.0.0.5 (private network)"
     * @param hint what to do, e.g. "add it to the outbound allow-list in syncline.yaml if this is intended"
     */
    public SsrfRefusedException(String target, String detail, String hint) {
        this(target, detail, hint, false);
    }

    /**
     * Creates the exception.
     *
     * @param schemeRefused true when the scheme was refused (plain http to a target not allowed it), false when the
     *     address was: the two are fixed in different settings
     */
    public SsrfRefusedException(String target, String detail, String hint, boolean schemeRefused) {
        super("refusing " + target + ": " + detail + "; " + hint);
        this.target = target;
        this.detail = detail;
        this.hint = hint;
        this.schemeRefused = schemeRefused;
    }

    /** Whether the scheme was refused (plain http, or no http at all) rather than the address. */
    public boolean schemeRefused() {
        return schemeRefused;
    }

    /** What was refused. */
    public String target() {
        return target;
    }

    /** Why it was refused. */
    public String detail() {
        return detail;
    }

    /** What the user can do about it. */
    public String hint() {
        return hint;
    }

    /** The same refusal described with the full URL the caller asked for. */
    public String messageFor(String url) {
        return "refusing " + url + ": " + detail + "; " + hint;
    }
}
