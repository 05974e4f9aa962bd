package dev.switchboard.redis;

import dev.switchboard.state.ExpiringState;
import dev.switchboard.state.InMemoryExpiringState;
import dev.switchboard.testkit.AdjustableClock;
import java.time.Duration;
import java.time.Instant;

/** The {@link ExpiringStateContract} for the one-process state, on a clock the test moves. */
class InMemoryExpiringStateContractTest extends ExpiringStateContract {
    private final AdjustableClock clock = new AdjustableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final ExpiringState state = new InMemoryExpiringState(clock);

    @Override
    protected ExpiringState state() {
        return state;
    }

    @Override
    protected Instant now() {
        return clock.instant();
    }

    @Override
    protected void advance(Duration d) {
        clock.advance(d);
    }
}
