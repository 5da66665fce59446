package io.syncline.sandbox.crm;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import io.syncline.sandbox.core.ActivityScheduler;
import io.syncline.sandbox.core.ApiException;
import io.syncline.sandbox.core.Seeds;

/**
 * Seeded CRM activity: contacts sign up (most with a company) and move through lifecycle stages, companies appear and
 * grow, deals are opened for a company and one or two of its contacts, advanced, won or lost, a few contacts are
 * archived and a few duplicates merged (HubSpot's merge: a new contact replaces both), a deal is archived now and
 * then. One unit per change (an association and the calculated properties it updates count too). Without API
 * clients writing at the same time, the same seed produces the same objects (ids included).
 */
final class CrmActivity implements ActivityScheduler.Step {

    private static final String[] FIRST = {"Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken",
        "Radia", "Edsger", "Frances", "Tim", "Katherine", "Donald", "Hedy", "John", "Anita", "Niklaus", "Shafi",
        "Leslie"};
    private static final String[] LAST = {"Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov",
        "Thompson", "Perlman", "Dijkstra", "Allen", "Johnson", "Knuth", "Lamarr", "McCarthy", "Borg", "Wirth",
        "Goldwasser", "Lamport", "Wilson"};
    private static final String[] COMPANY_WORDS = {"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark",
        "Wayne", "Wonka", "Tyrell", "Cyberdyne", "Soylent", "Vandelay"};
    private static final String[] COMPANY_SUFFIX = {"Labs", "Systems", "Industries", "Analytics", "Logistics",
        "Health"};
    private static final String[] INDUSTRIES = {"COMPUTER_SOFTWARE", "RETAIL", "HOSPITAL_HEALTH_CARE",
        "FINANCIAL_SERVICES", "LOGISTICS_AND_SUPPLY_CHAIN", "EDUCATION_MANAGEMENT"};
    private static final String[] TITLES = {"CTO", "Head of Data", "Engineering Manager", "Analyst", "VP Sales",
        "Operations Lead"};
    private static final String[] LIFECYCLE_ORDER = {"subscriber", "lead", "marketingqualifiedlead",
        "salesqualifiedlead", "opportunity", "customer"};
    private static final String[] STAGE_ORDER = {"appointmentscheduled", "qualifiedtobuy", "presentationscheduled",
        "decisionmakerboughtin", "contractsent"};

    private final CrmEngine engine;
    private final Clock clock;
    private final Random random;
    private final List<Long> contacts = new ArrayList<>();
    private final List<Long> companies = new ArrayList<>();
    private final List<Long> openDeals = new ArrayList<>();
    private int serial;

    CrmActivity(CrmEngine engine, Clock clock, long seed) {
        this.engine = engine;
        this.clock = clock;
        this.random = new Random(Seeds.derive(seed, "crm-generator-decisions"));
    }

    @Override
    public int run() {
        return engine.locked(() -> {
            long before = engine.changes();
            int roll = random.nextInt(100);
            try {
                if (contacts.size() < 3 || roll < 24) {
                    newContact();
                } else if (roll < 47) {
                    updateContact();
                } else if (roll < 55 || companies.isEmpty()) {
                    newCompany();
                } else if (roll < 62) {
                    updateCompany();
                } else if (roll < 74 || openDeals.isEmpty()) {
                    newDeal();
                } else if (roll < 91) {
                    advanceDeal();
                } else if (roll < 94) {
                    archiveContact();
                } else if (roll < 97) {
                    mergeContacts();
                } else if (roll < 98) {
                    archiveDeal();
                } else {
                    repriceDeal();
                }
            } catch (ApiException e) {
                // An API client changed one of the generator's objects (archived it, took its e-mail): forget it.
                contacts.removeIf(id -> engine.find(CrmSchema.TYPES.get("contacts"), Long.toString(id), null, false)
                        == null);
            }
            return (int) (engine.changes() - before);
        });
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private long pick(List<Long> ids) {
        return ids.get(random.nextInt(ids.size()));
    }

    private CrmEngine.Rec rec(String type, long id) {
        return engine.find(CrmSchema.TYPES.get(type), Long.toString(id), null, false);
    }

    private void newContact() {
        serial++;
        String first = pick(FIRST);
        String last = pick(LAST);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("firstname", first);
        p.put("lastname", last);
        p.put("email", (first + "." + last).toLowerCase(Locale.ROOT) + "+" + serial + "@example.com");
        p.put("lifecyclestage", random.nextBoolean() ? "subscriber" : "lead");
        if (random.nextInt(3) > 0) {
            p.put("company", pick(COMPANY_WORDS) + " " + pick(COMPANY_SUFFIX));
        }
        if (random.nextBoolean()) {
            p.put("phone", "+1555" + String.format(Locale.ROOT, "%07d", random.nextInt(10_000_000)));
        }
        CrmEngine.Rec r = engine.create(CrmEngine.Origin.GENERATOR, CrmSchema.TYPES.get("contacts"), p, null);
        contacts.add(r.id);
        if (!companies.isEmpty() && random.nextInt(3) > 0) {
            CrmEngine.Rec company = rec("companies", pick(companies));
            if (company != null) {
                engine.associate(CrmEngine.Origin.GENERATOR, CrmSchema.TYPES.get("contacts"), r,
                        CrmSchema.TYPES.get("companies"), company);
            }
        }
    }

    /** Two contacts turn out to be one person: the second is merged into the first, and a new contact replaces both. */
    private void mergeContacts() {
        if (contacts.size() <= 5) {
            updateContact();
            return;
        }
        long primaryId = contacts.remove(random.nextInt(contacts.size()));
        long secondaryId = contacts.remove(random.nextInt(contacts.size()));
        CrmEngine.Rec primary = rec("contacts", primaryId);
        CrmEngine.Rec secondary = rec("contacts", secondaryId);
        if (primary == null || secondary == null || primary == secondary) {
            return;
        }
        CrmEngine.Rec merged = engine.merge(CrmEngine.Origin.GENERATOR, CrmSchema.TYPES.get("contacts"), primary,
                secondary);
        contacts.add(merged.id);
    }

    private void archiveDeal() {
        if (openDeals.size() <= 3) {
            repriceDeal();
            return;
        }
        long id = openDeals.remove(random.nextInt(openDeals.size()));
        CrmEngine.Rec r = rec("deals", id);
        if (r != null) {
            engine.archive(CrmEngine.Origin.GENERATOR, CrmSchema.TYPES.get("deals"), r);
        }
    }

    private void updateContact() {
        long id = pick(contacts);
        CrmEngine.Rec r = rec("contacts", id);
        if (r == null) {
            contacts.remove(id);
            return;
        }
        Map<String, String> p = new LinkedHashMap<>();
        switch (random.nextInt(3)) {
            case 0 -> {
                String stage = r.props.getOrDefault("lifecyclestage", "subscriber");
                int i = List.of(LIFECYCLE_ORDER).indexOf(stage);
                p.put("lifecyclestage", LIFECYCLE_ORDER[Math.min(LIFECYCLE_ORDER.length - 1, i + 1)]);
            }
            case 1 -> p.put("jobtitle", pick(TITLES));
            default -> p.put("phone", "+1555" + String.format(Locale.ROOT, "%07d", random.nextInt(10_000_000)));
        }
        engine.update(CrmEngine.Origin.GENERATOR, CrmSchema.TYPES.get("contacts"), r, p, null);
    }

    private void archiveContact() {
        if (contacts.size() <= 5) {
            updateContact();
            return;
        }
        long id = contacts.remove(random.nextInt(contacts.size()));
        CrmEngine.Rec r = rec("contacts", id);
        if (r != null) {
            engine.archive(CrmEngine.Origin.GENERATOR, CrmSchema.TYPES.get("contacts"), r);
        }
    }

    private void newCompany() {
        serial++;
        String word = pick(COMPANY_WORDS);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("name", word + " " + pick(COMPANY_SUFFIX));
        p.put("domain", word.toLowerCase(Locale.ROOT) + serial + ".example.com");
        p.put("industry", pick(INDUSTRIES));
        p.put("numberofemployees", Integer.toString(5 + random.nextInt(5000)));
        CrmEngine.Rec r = engine.create(CrmEngine.Origin.GENERATOR, CrmSchema.TYPES.get("companies"), p, null);
        companies.add(r.id);
    }

    private void updateCompany() {
        CrmEngine.Rec r = rec("companies", pick(companies));
        if (r == null) {
            return;
        }
        Map<String, String> p = new LinkedHashMap<>();
        if (random.nextBoolean()) {
            p.put("numberofemployees", Integer.toString(5 + random.nextInt(5000)));
        } else {
            p.put("annualrevenue", Integer.toString(100_000 * (1 + random.nextInt(500))));
        }
        engine.update(CrmEngine.Origin.GENERATOR, CrmSchema.TYPES.get("companies"), r, p, null);
    }

    private void newDeal() {
        serial++;
        Map<String, String> p = new LinkedHashMap<>();
        p.put("dealname", pick(COMPANY_WORDS) + " - " + pick(new String[] {"new seats", "renewal", "expansion",
            "pilot"}) + " #" + serial);
        p.put("amount", Integer.toString(500 * (1 + random.nextInt(200))));
        p.put("dealstage", STAGE_ORDER[0]);
        p.put("pipeline", "default");
        p.put("closedate", CrmSchema.ISO_MILLIS.format(clock.instant().plus(Duration.ofDays(7 + random.nextInt(90)))));
        p.put("dealtype", random.nextBoolean() ? "newbusiness" : "existingbusiness");
        CrmEngine.Rec r = engine.create(CrmEngine.Origin.GENERATOR, CrmSchema.TYPES.get("deals"), p, null);
        openDeals.add(r.id);
        if (!companies.isEmpty()) {
            CrmEngine.Rec company = rec("companies", pick(companies));
            if (company != null) {
                engine.associate(CrmEngine.Origin.GENERATOR, CrmSchema.TYPES.get("deals"), r,
                        CrmSchema.TYPES.get("companies"), company);
            }
        }
        for (int i = 0, n = 1 + random.nextInt(2); i < n && !contacts.isEmpty(); i++) {
            CrmEngine.Rec contact = rec("contacts", pick(contacts));
            if (contact != null) {
                engine.associate(CrmEngine.Origin.GENERATOR, CrmSchema.TYPES.get("deals"), r,
                        CrmSchema.TYPES.get("contacts"), contact);
            }
        }
    }

    private void advanceDeal() {
        long id = pick(openDeals);
        CrmEngine.Rec r = rec("deals", id);
        if (r == null) {
            openDeals.remove(id);
            return;
        }
        int i = List.of(STAGE_ORDER).indexOf(r.props.get("dealstage"));
        Map<String, String> p = new LinkedHashMap<>();
        if (i < 0 || i == STAGE_ORDER.length - 1 || random.nextInt(6) == 0) {
            p.put("dealstage", random.nextInt(3) > 0 ? "closedwon" : "closedlost");
            openDeals.remove(id);
        } else {
            p.put("dealstage", STAGE_ORDER[i + 1]);
        }
        engine.update(CrmEngine.Origin.GENERATOR, CrmSchema.TYPES.get("deals"), r, p, null);
    }

    private void repriceDeal() {
        CrmEngine.Rec r = rec("deals", pick(openDeals));
        if (r != null) {
            engine.update(CrmEngine.Origin.GENERATOR, CrmSchema.TYPES.get("deals"), r,
                    Map.of("amount", Integer.toString(500 * (1 + random.nextInt(200)))), null);
        }
    }
}
