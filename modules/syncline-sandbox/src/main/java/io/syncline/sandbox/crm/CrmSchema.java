package io.syncline.sandbox.crm;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The object types and properties the CRM sandbox knows, with HubSpot's names, types and default property sets. */
final class CrmSchema {

    enum Kind { STRING, EMAIL, NUMBER, DATETIME, ENUM }

    record Prop(String name, Kind kind, Set<String> options, boolean readOnly) {
    }

    /**
     * One object type.
     *
     * @param path         the URL segment, e.g. {@code contacts}
     * @param objectTypeId HubSpot's id of the type ({@code 0-1} for contacts)
     * @param modifiedProp the last-modified property ({@code lastmodifieddate} or {@code hs_lastmodifieddate})
     * @param uniqueProp   the property usable as {@code idProperty} ({@code email} for contacts), or null
     */
    record Type(String path, String singular, String objectTypeId, String modifiedProp, String uniqueProp,
                List<String> defaults, List<String> searchable, Map<String, Prop> props) {
        Prop prop(String name) {
            return props.get(name);
        }
    }

    static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    static final Set<String> LIFECYCLE = Set.of("subscriber", "lead", "marketingqualifiedlead",
            "salesqualifiedlead", "opportunity", "customer", "evangelist", "other");
    static final Set<String> DEAL_STAGES = Set.of("appointmentscheduled", "qualifiedtobuy", "presentationscheduled",
            "decisionmakerboughtin", "contractsent", "closedwon", "closedlost");

    static final Map<String, Type> TYPES;

    static {
        Map<String, Type> types = new LinkedHashMap<>();
        types.put("contacts", new Type("contacts", "contact", "0-1", "lastmodifieddate", "email",
                List.of("createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"),
                List.of("email", "firstname", "lastname", "phone", "company"),
                props(
                        p("email", Kind.EMAIL), p("firstname", Kind.STRING), p("lastname", Kind.STRING),
                        p("phone", Kind.STRING), p("mobilephone", Kind.STRING), p("company", Kind.STRING),
                        p("website", Kind.STRING), p("jobtitle", Kind.STRING), p("address", Kind.STRING),
                        p("city", Kind.STRING), p("state", Kind.STRING), p("zip", Kind.STRING),
                        p("country", Kind.STRING), p("hubspot_owner_id", Kind.NUMBER),
                        new Prop("lifecyclestage", Kind.ENUM, LIFECYCLE, false),
                        new Prop("hs_lead_status", Kind.ENUM, Set.of("NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL",
                                "UNQUALIFIED", "ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING"), false),
                        ro("createdate", Kind.DATETIME), ro("lastmodifieddate", Kind.DATETIME),
                        ro("hs_object_id", Kind.NUMBER),
                        // Calculated by HubSpot: the primary company's id, the ids merged into this contact
                        // (semicolon-separated) and the e-mail addresses of merged-away contacts.
                        ro("associatedcompanyid", Kind.NUMBER), ro("hs_merged_object_ids", Kind.STRING),
                        ro("hs_additional_emails", Kind.STRING),
                        // Custom properties, as a portal defines them once for Syncline's CRM contact sink
                        // (docs/connectors/crm.md); a real portal rejects them until they are created.
                        p("syncline_customer_id", Kind.STRING), p("syncline_lifetime_value", Kind.NUMBER),
                        p("syncline_last_payment_amount", Kind.NUMBER), p("syncline_last_payment_currency", Kind.STRING),
                        p("syncline_last_payment_date", Kind.DATETIME), p("syncline_last_payment_status", Kind.STRING),
                        p("syncline_last_payment_id", Kind.STRING))));
        types.put("companies", new Type("companies", "company", "0-2", "hs_lastmodifieddate", null,
                List.of("createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"),
                List.of("name", "domain", "phone", "website"),
                props(
                        p("name", Kind.STRING), p("domain", Kind.STRING), p("website", Kind.STRING),
                        p("industry", Kind.STRING), p("phone", Kind.STRING), p("city", Kind.STRING),
                        p("state", Kind.STRING), p("country", Kind.STRING), p("description", Kind.STRING),
                        p("numberofemployees", Kind.NUMBER), p("annualrevenue", Kind.NUMBER),
                        p("hubspot_owner_id", Kind.NUMBER), p("hs_parent_company_id", Kind.NUMBER),
                        new Prop("lifecyclestage", Kind.ENUM, LIFECYCLE, false),
                        ro("createdate", Kind.DATETIME), ro("hs_lastmodifieddate", Kind.DATETIME),
                        ro("hs_object_id", Kind.NUMBER), ro("hs_merged_object_ids", Kind.STRING),
                        ro("num_associated_contacts", Kind.NUMBER))));
        types.put("deals", new Type("deals", "deal", "0-3", "hs_lastmodifieddate", null,
                List.of("amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate",
                        "hs_object_id", "pipeline"),
                List.of("dealname"),
                props(
                        p("dealname", Kind.STRING), p("amount", Kind.NUMBER),
                        new Prop("dealstage", Kind.ENUM, DEAL_STAGES, false),
                        new Prop("pipeline", Kind.ENUM, Set.of("default"), false),
                        p("closedate", Kind.DATETIME),
                        new Prop("dealtype", Kind.ENUM, Set.of("newbusiness", "existingbusiness"), false),
                        p("description", Kind.STRING), p("hubspot_owner_id", Kind.NUMBER),
                        p("deal_currency_code", Kind.STRING), p("hs_deal_stage_probability", Kind.NUMBER),
                        ro("createdate", Kind.DATETIME), ro("hs_lastmodifieddate", Kind.DATETIME),
                        ro("hs_object_id", Kind.NUMBER), ro("hs_merged_object_ids", Kind.STRING),
                        ro("num_associated_contacts", Kind.NUMBER))));
        TYPES = Map.copyOf(types);
    }

    private CrmSchema() {
    }

    private static Prop p(String name, Kind kind) {
        return new Prop(name, kind, Set.of(), false);
    }

    private static Prop ro(String name, Kind kind) {
        return new Prop(name, kind, Set.of(), true);
    }

    private static Map<String, Prop> props(Prop... props) {
        Map<String, Prop> m = new LinkedHashMap<>();
        for (Prop p : props) {
            m.put(p.name(), p);
        }
        return Map.copyOf(m);
    }

    /** A HubSpot property validation failure: {@code error} is HubSpot's code, e.g. {@code PROPERTY_DOESNT_EXIST}. */
    record Invalid(String name, String error, String message) {
    }

    /**
     * The stored form of a value, or throws {@link InvalidValue}. Dates become ISO-8601 with milliseconds, e-mail
     * addresses lower case; an empty value clears the property (returned as "").
     */
    static String normalize(Prop prop, String value) {
        if (value.isEmpty()) {
            return "";
        }
        switch (prop.kind()) {
            case EMAIL -> {
                if (!EMAIL.matcher(value).matches()) {
                    throw new InvalidValue(new Invalid(prop.name(), "INVALID_EMAIL",
                            "Email address " + value + " is invalid"));
                }
                return value.toLowerCase(Locale.ROOT);
            }
            case NUMBER -> {
                try {
                    new BigDecimal(value.trim());
                    return value.trim();
                } catch (NumberFormatException e) {
                    throw new InvalidValue(new Invalid(prop.name(), "INVALID_DECIMAL",
                            value + " was not a valid number."));
                }
            }
            case DATETIME -> {
                Instant t = instant(value);
                if (t == null) {
                    throw new InvalidValue(new Invalid(prop.name(), "INVALID_DATE",
                            value + " was not a valid date: use epoch milliseconds or ISO-8601."));
                }
                return ISO_MILLIS.format(t);
            }
            case ENUM -> {
                if (!prop.options().contains(value)) {
                    throw new InvalidValue(new Invalid(prop.name(), "INVALID_OPTION", value
                            + " was not one of the allowed options: " + prop.options().stream().sorted().toList()));
                }
                return value;
            }
            default -> {
                if (value.length() > 65_536) {
                    throw new InvalidValue(new Invalid(prop.name(), "INVALID_LENGTH",
                            "Property values may be at most 65536 characters long."));
                }
                return value;
            }
        }
    }

    /** Epoch milliseconds, an ISO-8601 instant or an ISO date; null when it is none of those. */
    static Instant instant(String value) {
        String v = value.trim();
        if (isMillis(v)) {
            return Instant.ofEpochMilli(Long.parseLong(v));
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /** {@code -?\\d{1,15}}, without compiling a regex per call (search compares datetimes per object). */
    private static boolean isMillis(String v) {
        int start = v.startsWith("-") ? 1 : 0;
        int digits = v.length() - start;
        if (digits < 1 || digits > 15) {
            return false;
        }
        for (int i = start; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Thrown by {@link #normalize} for one bad value. */
    static final class InvalidValue extends RuntimeException {
        private final transient Invalid invalid;

        InvalidValue(Invalid invalid) {
            super(invalid.message(), null, false, false);
            this.invalid = invalid;
        }

        Invalid invalid() {
            return invalid;
        }
    }
}
