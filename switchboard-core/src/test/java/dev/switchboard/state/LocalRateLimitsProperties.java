package dev.switchboard.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** rpm/tpm in one process: never more than the limit in a minute, and a refusal takes nothing. */
class LocalRateLimitsProperties {

    @Property
    void neverAdmitsMoreThanTheLimitWithinAMinute(@ForAll @LongRange(min = 1, max = 10_000) long limit,
                                                  @ForAll @Size(max = 300) List<@IntRange(min = 1, max = 2_000) Integer> asks) {
        LocalRateLimits limits = new LocalRateLimits();
        long admitted = 0;
        for (int permits : asks) {
            long before = admitted;
            if (limits.tryAcquire("k", limit, permits)) {
                admitted += permits;
            }
            // A request that fits what is left is admitted: refusals take nothing from the allowance.
            if (before + permits <= limit) {
                assertThat(admitted).isEqualTo(before + permits);
            }
        }
        assertThat(admitted).isLessThanOrEqualTo(limit);
    }

    @Property
    void keysAreIndependent(@ForAll @LongRange(min = 1, max = 100) long limit) {
        LocalRateLimits limits = new LocalRateLimits();
        for (int i = 0; i < limit; i++) {
            assertThat(limits.tryAcquire("a", limit, 1)).isTrue();
        }
        assertThat(limits.tryAcquire("a", limit, 1)).isFalse();
        assertThat(limits.tryAcquire("b", limit, 1)).isTrue();
    }
}
