package io.syncline.http;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The gauges a connector task registers for the account budget it draws from ({@link AccountBudgets}), named once
 * here for every plugin (source tasks and sink tasks alike): each task of an account reports the same shared figures,
 * so {@code syncline status} groups them by {@link #ACCOUNT} and the metrics catalogue (docs/metrics.md) maps them to
 * {@code syncline_connect_account_budget_*}. A task that has not made its first call yet reports no account.
 */
public final class AccountBudgetGauges {

    /** The account: base URL and a fingerprint of the credential (text). */
    public static final String ACCOUNT = "account-budget-account";
    /** Requests the account's window allows. */
    public static final String WINDOW_REQUESTS = "account-budget-window-requests";
    /** The window's length in milliseconds. */
    public static final String WINDOW_MS = "account-budget-window-ms";
    /** Requests left in the current window. */
    public static final String REMAINING = "account-budget-remaining";
    /** Requests spent in the current window, by every user of the account. */
    public static final String USED = "account-budget-used";
    /** The clients sharing the window, comma-separated (text). */
    public static final String USERS = "account-budget-users";
    /** Requests the window admitted, for all its users. */
    public static final String PERMITS = "account-budget-permits-total";
    /** Times a request found the window full and waited. */
    public static final String WAITS = "account-budget-waits-total";
    /** 429 answers the provider gave any user of the account. */
    public static final String RATE_LIMITED = "account-budget-rate-limited-total";

    /** Where a task registers a gauge (its plugin metrics); kept free of Kafka types, which this module has not. */
    @FunctionalInterface
    public interface Registrar {
        void gauge(String name, String description, Supplier<?> value);
    }

    private AccountBudgetGauges() {
    }

    /** Registers every gauge with {@code registrar}, reading the account's figures from {@code budget} each time. */
    public static void register(Registrar registrar, Supplier<Optional<AccountBudgets.Snapshot>> budget) {
        registrar.gauge(ACCOUNT, "The account whose request window this task shares: base URL and a fingerprint of "
                + "the credential", () -> budget.get().map(AccountBudgets.Snapshot::account).orElse(""));
        registrar.gauge(WINDOW_REQUESTS, "Requests the account's window allows (the smallest any connector of the "
                + "account in this worker configured)", () -> budget.get().map(s -> (long) s.maxRequests())
                .orElse(-1L));
        registrar.gauge(WINDOW_MS, "The window's length", () -> budget.get().map(s -> s.window().toMillis())
                .orElse(-1L));
        registrar.gauge(REMAINING, "Requests left in the current window, for every user of the account",
                () -> budget.get().map(s -> (long) s.remaining()).orElse(-1L));
        registrar.gauge(USED, "Requests spent in the current window, by every user of the account",
                () -> budget.get().map(s -> (long) s.used()).orElse(-1L));
        registrar.gauge(USERS, "The clients sharing the window (source tasks, sink tasks), comma-separated",
                () -> budget.get().map(s -> String.join(",", s.users())).orElse(""));
        registrar.gauge(PERMITS, "Requests the account's window admitted, for all its users",
                () -> budget.get().map(AccountBudgets.Snapshot::permits).orElse(0L));
        registrar.gauge(WAITS, "Times a request of any user found the account's window full and waited",
                () -> budget.get().map(AccountBudgets.Snapshot::waits).orElse(0L));
        registrar.gauge(RATE_LIMITED, "429 answers the provider gave any user of the account",
                () -> budget.get().map(AccountBudgets.Snapshot::rateLimited).orElse(0L));
    }

    /** The account window {@code client} draws from (its first, when it has several), once it has joined one. */
    public static Optional<AccountBudgets.Snapshot> of(SynclineHttpClient client) {
        return client == null ? Optional.empty()
                : client.accountBudgets().stream().findFirst().map(AccountBudgets.Lease::snapshot);
    }
}
