package io.syncline.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One request budget per provider account in this JVM (more exactly, per class loader: Connect loads each plugin in
 * its own, so the connectors of one plugin share): every client that calls the same account, the same base URL with
 * the same credential, draws from one rolling window instead of each spending the provider's whole limit. Without it,
 * a CRM source and a CRM sink on one HubSpot account in one worker, each configured to HubSpot's 100 requests per
 * 10 s, would together send 200 and meet 429s.
 *
 * <p>An account is named by its target ({@code scheme://host:port}) and a one-way fingerprint of its credential
 * ({@link #credentialId}), never the credential itself. The window is the smallest any current user asked for, so a
 * user that knows the account's limit is lower tightens it for all; it is recomputed when a user leaves. A 429's
 * Retry-After pauses every user of the account. {@link #snapshot()} shows each account's window, what it has left
 * and who shares it, for metrics and {@code syncline status}.
 *
 * <p>Budgets are per process: with a connector's tasks spread over several workers, each worker has its own window,
 * so give each connector its share of the account's limit (docs/http.md, "Shared account budgets").
 */
public final class AccountBudgets {

    private static final Map<String, Account> ACCOUNTS = new LinkedHashMap<>();
    private static final HexFormat HEX = HexFormat.of();

    /**
     * What one account's budget looks like now.
     *
     * @param permits requests the window admitted, for all its users, since the account was first joined
     * @param waits requests of any user that found the window full and waited for it (or gave up waiting)
     * @param rateLimited 429 answers the provider gave any user of the account (each pauses them all)
     */
    public record Snapshot(String account, int maxRequests, Duration window, int remaining, List<String> users,
                           long permits, long waits, long rateLimited) {

        /** Requests spent in the current window. */
        public int used() {
            return Math.max(0, maxRequests - remaining);
        }
    }

    private AccountBudgets() {
    }

    /**
     * A fingerprint of a credential: {@code sha256:} and the first 12 hex digits of SHA-256 over the parts given
     * (say the auth type and the token). Enough to tell accounts apart, not enough to recover or try a credential
     * against. Null or empty parts are skipped.
     */
    public static String credentialId(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                if (p != null && !p.isEmpty()) {
                    sha.update(p.getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                }
            }
            return "sha256:" + HEX.formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Joins the budget of {@code account} ({@code <target> <credential id>}) asking for {@code maxRequests} per
     * {@code window}; {@link Lease#close()} leaves it.
     *
     * @param user who joins, e.g. the connector task's client name (shown in {@link #snapshot()})
     */
    public static Lease join(String account, String user, int maxRequests, Duration window) {
        Objects.requireNonNull(account, "account");
        new RequestBudget(maxRequests, window, TimeSource.SYSTEM); // validates
        synchronized (ACCOUNTS) {
            Account a = ACCOUNTS.computeIfAbsent(account, Account::new);
            Lease lease = new Lease(a, user == null ? "?" : user, maxRequests, window);
            a.join(lease);
            return lease;
        }
    }

    /** Every account with at least one user, in the order they were first joined. */
    public static List<Snapshot> snapshot() {
        List<Account> accounts;
        synchronized (ACCOUNTS) {
            accounts = new ArrayList<>(ACCOUNTS.values());
        }
        List<Snapshot> out = new ArrayList<>();
        for (Account a : accounts) {
            Snapshot s = a.snapshot();
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** The snapshot of {@code account}, if anyone uses it. */
    public static Optional<Snapshot> snapshot(String account) {
        Account a;
        synchronized (ACCOUNTS) {
            a = ACCOUNTS.get(account);
        }
        return a == null ? Optional.empty() : Optional.ofNullable(a.snapshot());
    }

    /** One account: its window and its users. */
    private static final class Account {
        private final String name;
        private final List<Lease> leases = new ArrayList<>();
        private final AtomicLong permits = new AtomicLong();
        private final AtomicLong waits = new AtomicLong();
        private final AtomicLong rateLimited = new AtomicLong();
        private RequestBudget budget;
        private int maxRequests;
        private Duration window;

        Account(String name) {
            this.name = name;
        }

        synchronized void join(Lease lease) {
            leases.add(lease);
            resize();
        }

        /** Leaves the account; true when nobody uses it any more. */
        synchronized boolean leave(Lease lease) {
            leases.remove(lease);
            if (leases.isEmpty()) {
                budget = null;
                return true;
            }
            resize();
            return false;
        }

        /** The tightest window any user asked for (by rate; on a tie the shorter window, which bursts less). */
        private void resize() {
            Lease tightest = null;
            for (Lease l : leases) {
                if (tightest == null || rate(l) < rate(tightest)
                        || (rate(l) == rate(tightest) && l.window.compareTo(tightest.window) < 0)) {
                    tightest = l;
                }
            }
            if (tightest == null || (budget != null && tightest.maxRequests == maxRequests
                    && tightest.window.equals(window))) {
                return;
            }
            maxRequests = tightest.maxRequests;
            window = tightest.window;
            // A new window starts empty: it may admit up to one window more at the moment it changes, never more.
            budget = new RequestBudget(maxRequests, window, TimeSource.SYSTEM);
        }

        private static double rate(Lease l) {
            return l.maxRequests / (double) l.window.toNanos();
        }

        synchronized boolean tryAcquire() {
            if (budget != null && budget.tryAcquire()) {
                permits.incrementAndGet();
                return true;
            }
            return false;
        }

        void blocked() {
            waits.incrementAndGet();
        }

        synchronized Duration timeUntilAvailable() {
            return budget == null ? Duration.ZERO : budget.timeUntilAvailable();
        }

        synchronized void onRateLimited(Optional<Duration> retryAfter) {
            rateLimited.incrementAndGet();
            if (budget != null) {
                budget.onRateLimited(retryAfter);
            }
        }

        synchronized Snapshot snapshot() {
            if (leases.isEmpty()) {
                return null;
            }
            List<String> users = leases.stream().map(l -> l.user).toList();
            return new Snapshot(name, maxRequests, window, budget.remaining(), users, permits.get(),
                    waits.get(), rateLimited.get());
        }
    }

    /** One user's share of an account's budget: a {@link RateLimiter} that draws from the account's window. */
    public static final class Lease implements RateLimiter, AutoCloseable {
        private final Account account;
        private final String user;
        private final int maxRequests;
        private final Duration window;
        private volatile boolean closed;

        private Lease(Account account, String user, int maxRequests, Duration window) {
            this.account = account;
            this.user = user;
            this.maxRequests = maxRequests;
            this.window = window;
        }

        /** The account this lease draws from ({@code <target> <credential id>}). */
        public String account() {
            return account.name;
        }

        @Override
        public boolean tryAcquire() {
            // A closed lease no longer limits (its client is closing and makes no more calls).
            return closed || account.tryAcquire();
        }

        @Override
        public Duration timeUntilAvailable() {
            return closed ? Duration.ZERO : account.timeUntilAvailable();
        }

        @Override
        public void onRateLimited(Optional<Duration> retryAfter) {
            account.onRateLimited(retryAfter);
        }

        @Override
        public void onBlocked() {
            if (!closed) {
                account.blocked();
            }
        }

        /** The account's budget as it stands. */
        public Snapshot snapshot() {
            Snapshot s = account.snapshot();
            return s == null ? new Snapshot(account.name, maxRequests, window, maxRequests, List.of(), 0, 0, 0)
                    : s;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                synchronized (ACCOUNTS) {
                    if (account.leave(this)) {
                        ACCOUNTS.remove(account.name, account);
                    }
                }
            }
        }

        @Override
        public String toString() {
            return "AccountBudgets.Lease{" + account.name + ", " + user + "}";
        }
    }
}
