package io.syncline.sandbox.payments;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.syncline.sandbox.core.ApiException;

/**
 * The paging parameters every Stripe list endpoint takes ({@code limit}, {@code starting_after} or
 * {@code ending_before}, {@code created} as an exact time or a range), checked in Stripe's words.
 *
 * @param params all query parameters, for the endpoint's own filters and {@code expand}
 * @param limit 1 to 100, default 10
 * @param startingAfter the cursor to page forward from, or null
 * @param endingBefore the cursor to page backward from, or null
 * @param created the {@code created} bounds
 */
record StripeListParams(StripeParams params, int limit, String startingAfter, String endingBefore,
        StripeStore.CreatedRange created) {

    private static final Set<String> LIST_PARAMS = Set.of("limit", "starting_after", "ending_before", "created");

    /** Reads a list request's query; {@code extra} names the endpoint's own filter parameters. */
    static StripeListParams read(Map<String, Object> query, Set<String> extra) {
        StripeParams p = new StripeParams(query);
        Set<String> allowed = new HashSet<>(LIST_PARAMS);
        allowed.addAll(extra);
        p.allow(allowed);
        Long limit = p.integer("limit");
        if (limit != null && limit < 1) {
            throw StripeErrors.invalid("parameter_invalid_integer", "This value must be greater than or equal to 1.",
                    "limit");
        }
        if (limit != null && limit > 100) {
            throw StripeErrors.invalid("parameter_invalid_integer", "This value must be less than or equal to 100.",
                    "limit");
        }
        String after = p.nullableString("starting_after");
        String before = p.nullableString("ending_before");
        if (after != null && before != null) {
            throw StripeErrors.invalid(null, "You may only specify one of these parameters: ending_before, "
                    + "starting_after.", "ending_before");
        }
        return new StripeListParams(p, limit == null ? 10 : limit.intValue(), after, before, created(p));
    }

    @SuppressWarnings("unchecked")
    private static StripeStore.CreatedRange created(StripeParams p) {
        Object v = p.raw().get("created");
        if (v == null) {
            return StripeStore.CreatedRange.ALL;
        }
        if (v instanceof String) {
            long exact = p.integer("created");
            return new StripeStore.CreatedRange(null, exact, null, exact);
        }
        if (!(v instanceof Map)) {
            throw StripeErrors.invalid(null, "Invalid created: expected an integer or a hash with gt, gte, lt, lte",
                    "created");
        }
        StripeParams range = new StripeParams((Map<String, Object>) v);
        for (String k : range.raw().keySet()) {
            if (!Set.of("gt", "gte", "lt", "lte").contains(k)) {
                throw StripeErrors.unknownParam("created[" + k + "]");
            }
        }
        try {
            return new StripeStore.CreatedRange(range.integer("gt"), range.integer("gte"), range.integer("lt"),
                    range.integer("lte"));
        } catch (ApiException e) {
            throw StripeErrors.invalid("parameter_invalid_integer", "Invalid integer in created range", "created");
        }
    }
}
