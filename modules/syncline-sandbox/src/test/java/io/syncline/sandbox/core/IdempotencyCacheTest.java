package io.syncline.sandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class IdempotencyCacheTest {

    private final MutableClock clock = MutableClock.fixedAt(Instant.parse("2026-01-01T00:00:00Z"));
    private final IdempotencyCache cache = new IdempotencyCache(clock, Duration.ofHours(24));

    @Test
    void replaysTheFirstResponseForTheSameRequestAndRejectsOtherParameters() {
        assertThat(cache.begin("acct", "k", "POST a=1")).isInstanceOf(IdempotencyCache.Proceed.class);
        assertThat(cache.begin("acct", "k", "POST a=1")).isInstanceOf(IdempotencyCache.InFlight.class);
        ApiResponse first = ApiResponse.ok(Json.object().put("id", "x"));
        cache.complete("acct", "k", first);
        assertThat(cache.begin("acct", "k", "POST a=1"))
                .isEqualTo(new IdempotencyCache.Replay(first));
        assertThat(cache.begin("acct", "k", "POST a=2")).isInstanceOf(IdempotencyCache.Mismatch.class);
        assertThat(cache.begin("other-account", "k", "POST a=2")).isInstanceOf(IdempotencyCache.Proceed.class);
    }

    @Test
    void abandonedAndExpiredKeysCanBeUsedAgain() {
        cache.begin("acct", "k", "POST a=1");
        cache.abandon("acct", "k");
        assertThat(cache.begin("acct", "k", "POST a=2")).isInstanceOf(IdempotencyCache.Proceed.class);
        cache.complete("acct", "k", ApiResponse.ok(Json.object()));
        clock.advance(Duration.ofHours(25));
        assertThat(cache.begin("acct", "k", "POST a=3")).isInstanceOf(IdempotencyCache.Proceed.class);
    }
}
