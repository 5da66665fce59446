package io.syncline.connect.crm.source;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The HubSpot CRM object types the source reads: each with its API path, its last-modified property (HubSpot names
 * it {@code lastmodifieddate} on contacts and {@code hs_lastmodifieddate} elsewhere), the properties read by default
 * (what mappings/hubspot/*.yaml map, plus the merge bookkeeping) and the associations read by default.
 */
public enum CrmObjectType {
    CONTACT("contact", "contacts", "lastmodifieddate",
            List.of("email", "firstname", "lastname", "phone", "mobilephone", "jobtitle", "company",
                    "associatedcompanyid", "hubspot_owner_id", "lifecyclestage", "address", "city", "state", "zip",
                    "country", "createdate", "lastmodifieddate", "hs_object_id", "hs_merged_object_ids"),
            List.of("companies")),
    COMPANY("company", "companies", "hs_lastmodifieddate",
            List.of("name", "domain", "website", "industry", "phone", "description", "address", "city", "state",
                    "zip", "country", "numberofemployees", "annualrevenue", "hubspot_owner_id",
                    "hs_parent_company_id", "lifecyclestage", "createdate", "hs_lastmodifieddate", "hs_object_id",
                    "hs_merged_object_ids"),
            List.of()),
    DEAL("deal", "deals", "hs_lastmodifieddate",
            List.of("dealname", "amount", "deal_currency_code", "pipeline", "dealstage", "closedate",
                    "hs_deal_stage_probability", "dealtype", "description", "hubspot_owner_id", "createdate",
                    "hs_lastmodifieddate", "hs_object_id", "hs_merged_object_ids"),
            List.of("contacts", "companies"));

    /** Properties every reading asks for whatever is configured: the source itself needs them. */
    static final List<String> BOOKKEEPING = List.of("hs_object_id", "hs_merged_object_ids");

    private final String singular;
    private final String path;
    private final String modifiedProperty;
    private final List<String> defaultProperties;
    private final List<String> defaultAssociations;

    CrmObjectType(String singular, String path, String modifiedProperty, List<String> defaultProperties,
                  List<String> defaultAssociations) {
        this.singular = singular;
        this.path = path;
        this.modifiedProperty = modifiedProperty;
        this.defaultProperties = defaultProperties;
        this.defaultAssociations = defaultAssociations;
    }

    /** The name in config and topics, e.g. {@code contact} (topic {@code raw.hubspot.contact}). */
    public String singular() {
        return singular;
    }

    /** The API path segment, e.g. {@code contacts} in {@code /crm/v3/objects/contacts}. */
    public String path() {
        return path;
    }

    /** The last-modified property the incremental reading searches on. */
    public String modifiedProperty() {
        return modifiedProperty;
    }

    /** The properties read when {@code crm.<type>.properties} is not set (what the shipped mappings read). */
    public List<String> defaultProperties() {
        return defaultProperties;
    }

    /** The types whose associations are read when {@code crm.<type>.associations} is not set, by path. */
    public List<String> defaultAssociations() {
        return defaultAssociations;
    }

    /**
     * The v3 association type name of an association to {@code to}: {@code contact_to_company} for a primary one,
     * {@code contact_to_company_unlabeled} for the others where HubSpot has a primary label (to companies), else
     * plain {@code deal_to_contact}.
     */
    String associationTypeName(CrmObjectType to, boolean primary) {
        String base = singular + "_to_" + to.singular;
        return primary || to != COMPANY ? base : base + "_unlabeled";
    }

    /** The type named {@code name}: its singular ({@code contact}) or its path ({@code contacts}). */
    public static Optional<CrmObjectType> named(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.singular.equals(n) || t.path.equals(n)).findFirst();
    }

    /** Every singular name, comma-separated, in declaration order. */
    public static String allNames() {
        return Arrays.stream(values()).map(CrmObjectType::singular).collect(Collectors.joining(","));
    }
}
