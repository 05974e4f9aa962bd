package dev.switchboard.redis;

import dev.switchboard.config.MonitoringConfig;
import dev.switchboard.config.Secret;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Configuration, raw replies and waiting, for tests against a real redis-server. */
final class RedisTesting {
    private RedisTesting() {}

    static MonitoringConfig config(String url, int maxPerModel) {
        return new MonitoringConfig(List.of("redis"), null, 1, null, Secret.of(url), maxPerModel, null, null, null);
    }

    static MonitoringConfig config(String url) {
        return config(url, 1000);
    }

    /** The number in an integer reply ({@code :42}). */
    static long integer(String reply) {
        if (!reply.startsWith(":")) {
            throw new AssertionError("not an integer reply: " + reply);
        }
        return Long.parseLong(reply.substring(1).strip());
    }

    /** The text of a bulk string reply, or null for a nil one. */
    static String bulk(String reply) {
        if (reply.startsWith("$-1")) {
            return null;
        }
        if (!reply.startsWith("$")) {
            throw new AssertionError("not a bulk reply: " + reply);
        }
        int start = reply.indexOf("\r\n") + 2;
        int length = Integer.parseInt(reply.substring(1, start - 2));
        return reply.substring(start, start + length);
    }

    /**
     * Waits until {@code condition} holds, checking often; fails once {@code deadline} has passed. Returns how long
     * it took, for a log line, never for an assertion.
     */
    static Duration await(String what, Duration deadline, BooleanSupplier condition) {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + " did not happen within " + deadline);
            }
            LockSupport.parkNanos(100_000);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
