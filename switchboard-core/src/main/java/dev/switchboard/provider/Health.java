package dev.switchboard.provider;

import java.time.Instant;

/** The outcome of one health probe. {@code detail} says what failed, without credentials. */
public record Health(boolean healthy, String detail, Instant checkedAt) {
    public static Health ok(String detail) {
        return new Health(true, detail, Instant.now());
    }

    public static Health failed(String detail) {
        return new Health(false, detail, Instant.now());
    }
}
