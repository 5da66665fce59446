package io.syncline.connect.support;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Zendesk object types the support source copies, each with the incremental export it reads: cursor-based where
 * Zendesk offers one (tickets, users), time-based otherwise (organizations, and ticket comments, which come as the
 * {@code Comment} child events of ticket audits in {@code ticket_events?include=comment_events}).
 */
enum ZendeskObject {
    TICKET("ticket", "tickets", true),
    USER("user", "users", true),
    ORGANIZATION("organization", "organizations", false),
    TICKET_COMMENT("ticket_comment", "ticket_events", false);

    private final String apiName;
    private final String exportName;
    private final boolean cursorBased;

    ZendeskObject(String apiName, String exportName, boolean cursorBased) {
        this.apiName = apiName;
        this.exportName = exportName;
        this.cursorBased = cursorBased;
    }

    /** The name in configuration, offsets and topic names: {@code ticket}, {@code ticket_comment}, ... */
    String apiName() {
        return apiName;
    }

    /** The export's name, which is also the member of the page holding the items: {@code tickets}, ... */
    String exportName() {
        return exportName;
    }

    /** Whether the export is cursor-based ({@code after_cursor}) rather than time-based ({@code end_time}). */
    boolean cursorBased() {
        return cursorBased;
    }

    /** The export's path under the base URL. */
    String exportPath() {
        return "/api/v2/incremental/" + exportName + (cursorBased ? "/cursor.json" : ".json");
    }

    /** Whether each exported item is a ticket audit whose Comment child is the record (ticket comments). */
    boolean auditComments() {
        return this == TICKET_COMMENT;
    }

    static Optional<ZendeskObject> fromApiName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(o -> o.apiName.equals(n)).findFirst();
    }

    /** Every api name, comma-separated, in declaration order. */
    static String allApiNames() {
        return Arrays.stream(values()).map(ZendeskObject::apiName).collect(Collectors.joining(","));
    }
}
