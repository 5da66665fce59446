package io.syncline.sandbox.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.sandbox.core.ActivityScheduler;
import io.syncline.sandbox.core.ApiException;
import io.syncline.sandbox.core.Json;
import io.syncline.sandbox.core.Seeds;
import io.syncline.sandbox.support.SupportModel.Ticket;
import io.syncline.sandbox.support.SupportModel.User;

/**
 * Seeded support-desk activity: customers sign up (some in organizations), open tickets by e-mail or web form,
 * agents pick them up, reply publicly or add internal notes, customers answer, tickets are prioritised, tagged,
 * solved and closed. One unit per change (a comment with a status change is two).
 */
final class SupportActivity implements ActivityScheduler.Step {

    private static final String[] FIRST = {"Ava", "Ben", "Chloé", "Dmitri", "Elif", "Farah", "Gus", "Hana", "Ivan",
        "Jun", "Kofi", "Lena", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara"};
    private static final String[] LAST = {"Andersen", "Baptiste", "Chen", "Dubois", "Eriksen", "Fischer", "García",
        "Haddad", "Ito", "Jovanović", "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov"};
    private static final String[] COMPANY = {"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay",
        "Wonka", "Stark", "Tyrell", "Soylent"};
    private static final String[] SUBJECTS = {"Payment failed at checkout", "Refund not received",
        "Cannot log in to my account", "Invoice shows the wrong amount", "How do I change my plan?",
        "Card declined although funds are available", "Double charge on my statement", "Export to CSV is empty",
        "Password reset e-mail never arrives", "Add a second user to our account", "API returns 500 on orders",
        "Cancel my subscription"};
    private static final String[] CUSTOMER_LINES = {"Any update on this?", "I tried again and it still fails.",
        "Thanks, that fixed it!", "Here is a screenshot of the error.", "This is urgent for us, please help.",
        "Could you check my account once more?"};
    private static final String[] AGENT_LINES = {"Thanks for reaching out! Could you send the order number?",
        "I have escalated this to our billing team.", "The refund has been issued; it takes 5-10 days.",
        "Please clear your browser cache and try again.", "I've updated your account; let me know if it works.",
        "We are looking into it and will get back to you shortly."};
    private static final String[] TAGS = {"billing", "refund", "login", "bug", "vip", "checkout", "invoice",
        "feature_request"};

    private final SupportStore store;
    private final Random random;
    private final long adminId;
    private final List<Long> agents = new ArrayList<>();
    private final List<Long> customers = new ArrayList<>();
    private final List<Long> orgs = new ArrayList<>();
    private final List<Long> open = new ArrayList<>();
    private final List<Long> solved = new ArrayList<>();
    private int serial;

    SupportActivity(SupportStore store, long seed, long adminId) {
        this.store = store;
        this.adminId = adminId;
        this.random = new Random(Seeds.derive(seed, "support-generator-decisions"));
    }

    @Override
    public int run() {
        return store.locked(() -> {
            long before = store.changes();
            try {
                step();
            } catch (ApiException e) {
                // An API client changed one of the generator's objects (took an e-mail, deleted a ticket): forget
                // what no longer exists and carry on.
                open.removeIf(id -> store.ticket(id) == null);
                solved.removeIf(id -> store.ticket(id) == null);
            }
            return (int) (store.changes() - before);
        });
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private long pick(List<Long> ids) {
        return ids.get(random.nextInt(ids.size()));
    }

    private SupportStore.Origin as(long actor, String channel) {
        return SupportStore.Origin.generator(actor, channel);
    }

    private void step() {
        if (agents.size() < 2) {
            newAgent();
            return;
        }
        int roll = random.nextInt(100);
        if (customers.size() < 3 || roll < 14) {
            newCustomer();
        } else if (roll < 17 || orgs.isEmpty()) {
            newOrg();
        } else if (roll < 37 || open.isEmpty()) {
            newTicket();
        } else if (roll < 52) {
            agentReply();
        } else if (roll < 62) {
            customerReply();
        } else if (roll < 68) {
            assign();
        } else if (roll < 73) {
            reprioritise();
        } else if (roll < 77) {
            tag();
        } else if (roll < 90) {
            solve();
        } else if (roll < 95) {
            close();
        } else {
            updateCustomer();
        }
    }

    private void newAgent() {
        serial++;
        ObjectNode u = Json.object();
        String first = pick(FIRST);
        u.put("name", first + " (Support)");
        u.put("email", first.toLowerCase(Locale.ROOT).replace("é", "e") + ".agent" + serial + "@support.example.com");
        u.put("role", "agent");
        u.put("verified", true);
        agents.add(store.users().create(as(adminId, "web"), u).id);
    }

    private void newCustomer() {
        serial++;
        String first = pick(FIRST);
        String last = pick(LAST);
        ObjectNode u = Json.object();
        u.put("name", first + " " + last);
        u.put("email", ascii(first + "." + last) + "+" + serial + "@example.com");
        if (!orgs.isEmpty() && random.nextInt(3) == 0) {
            u.put("organization_id", pick(orgs));
        }
        if (random.nextBoolean()) {
            u.put("phone", "+1555" + String.format(Locale.ROOT, "%07d", random.nextInt(10_000_000)));
        }
        if (random.nextInt(4) == 0) {
            u.put("external_id", "cus_" + Integer.toString(serial, 36) + Integer.toString(random.nextInt(1 << 20), 36));
        }
        customers.add(store.users().create(as(adminId, "web"), u).id);
    }

    private static String ascii(String s) {
        return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).replaceAll("[^\\p{ASCII}]", "")
                .toLowerCase(Locale.ROOT);
    }

    private void newOrg() {
        serial++;
        String word = pick(COMPANY);
        ObjectNode o = Json.object();
        o.put("name", word + " " + serial);
        o.putArray("domain_names").add(word.toLowerCase(Locale.ROOT) + serial + ".example.com");
        if (random.nextBoolean()) {
            o.putArray("tags").add(random.nextBoolean() ? "enterprise" : "smb");
        }
        orgs.add(store.orgs().create(as(adminId, "web"), o).id);
    }

    private void newTicket() {
        long requester = pick(customers);
        User u = store.user(requester);
        if (u == null || !u.active) {
            customers.remove(requester);
            return;
        }
        ObjectNode t = Json.object();
        t.put("subject", pick(SUBJECTS));
        t.putObject("comment").put("body", "Hello,\n\n" + pick(CUSTOMER_LINES) + "\n\n" + u.name).put("public", true);
        t.put("requester_id", requester);
        if (random.nextInt(3) == 0) {
            t.put("priority", random.nextInt(4) == 0 ? "urgent" : "high");
        } else {
            t.put("priority", "normal");
        }
        t.put("type", random.nextInt(4) == 0 ? "incident" : "question");
        if (random.nextBoolean()) {
            t.putArray("tags").add(pick(TAGS));
        }
        open.add(store.tickets().create(as(requester, random.nextBoolean() ? "email" : "web"), t).ticketId);
    }

    private Ticket openTicket() {
        long id = pick(open);
        Ticket t = store.ticket(id);
        if (t == null || t.status.equals("solved") || t.status.equals("closed")) {
            open.remove(id);
            return null;
        }
        return t;
    }

    private void agentReply() {
        Ticket t = openTicket();
        if (t == null) {
            return;
        }
        long agent = t.assigneeId != null ? t.assigneeId : pick(agents);
        ObjectNode in = Json.object();
        boolean internal = random.nextInt(5) == 0;
        in.putObject("comment").put("body", internal ? "Internal note: checked the logs." : pick(AGENT_LINES))
                .put("public", !internal);
        if (!internal) {
            in.put("status", "pending");
        }
        if (t.assigneeId == null) {
            in.put("assignee_id", agent);
        }
        store.tickets().update(as(agent, "web"), t, in);
    }

    private void customerReply() {
        Ticket t = openTicket();
        if (t == null) {
            return;
        }
        ObjectNode in = Json.object();
        in.putObject("comment").put("body", pick(CUSTOMER_LINES)).put("public", true);
        in.put("status", "open");
        store.tickets().update(as(t.requesterId, "email"), t, in);
    }

    private void assign() {
        Ticket t = openTicket();
        if (t != null) {
            ObjectNode in = Json.object();
            in.put("assignee_id", pick(agents));
            if (t.status.equals("new")) {
                in.put("status", "open");
            }
            store.tickets().update(as(adminId, "web"), t, in);
        }
    }

    private void reprioritise() {
        Ticket t = openTicket();
        if (t != null) {
            store.tickets().update(as(pick(agents), "web"), t, Json.object().put("priority",
                    new String[] {"low", "normal", "high", "urgent"}[random.nextInt(4)]));
        }
    }

    private void tag() {
        Ticket t = openTicket();
        if (t != null) {
            ObjectNode in = Json.object();
            in.putArray("additional_tags").add(pick(TAGS));
            store.tickets().update(as(pick(agents), "web"), t, in);
        }
    }

    private void solve() {
        Ticket t = openTicket();
        if (t == null) {
            return;
        }
        ObjectNode in = Json.object();
        in.put("status", "solved");
        in.putObject("comment").put("body", "Glad we could help! Marking this as solved.").put("public", true);
        if (t.assigneeId == null) {
            in.put("assignee_id", pick(agents));
        }
        store.tickets().update(as(t.assigneeId != null ? t.assigneeId : pick(agents), "web"), t, in);
        open.remove(t.id);
        solved.add(t.id);
    }

    private void close() {
        if (solved.isEmpty()) {
            solve();
            return;
        }
        long id = solved.remove(random.nextInt(solved.size()));
        Ticket t = store.ticket(id);
        if (t != null && t.status.equals("solved")) {
            store.tickets().update(as(adminId, "web"), t, Json.object().put("status", "closed"));
        }
    }

    private void updateCustomer() {
        long id = pick(customers);
        User u = store.user(id);
        if (u == null || !u.active) {
            customers.remove(id);
            return;
        }
        ObjectNode in = Json.object();
        if (!orgs.isEmpty() && random.nextBoolean()) {
            in.put("organization_id", pick(orgs));
        } else {
            in.put("phone", "+1555" + String.format(Locale.ROOT, "%07d", random.nextInt(10_000_000)));
        }
        store.users().update(as(adminId, "web"), u, in);
    }
}
