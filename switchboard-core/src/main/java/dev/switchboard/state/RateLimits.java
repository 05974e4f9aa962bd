package dev.switchboard.state;

/**
 * Per-minute request and token limits ({@code rpm}, {@code tpm}) keyed by deployment. The local form counts in
 * this process; the Redis form counts across every replica that shares the Redis, so a limit configured once
 * holds for the whole fleet.
 */
public interface RateLimits {
    /**
     * Takes {@code permits} from the last minute's allowance of {@code limit} for {@code key}. Never waits: false,
     * and nothing taken, when they do not fit.
     */
    boolean tryAcquire(String key, long limit, long permits);
}
