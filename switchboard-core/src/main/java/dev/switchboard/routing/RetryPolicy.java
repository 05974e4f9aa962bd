package dev.switchboard.routing;

import dev.switchboard.config.FallbackConfig;
import dev.switchboard.model.ModelFailure;
import io.github.resilience4j.retry.RetryConfig;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Same-deployment retries for transient failures only: a short Retry-After is waited out, anything else backs
 * off exponentially from {@code retry_delay_seconds}, capped at {@code max_retry_delay_seconds}, with ±50 % jitter
 * so retries do not stampede.
 */
final class RetryPolicy {
    private final FallbackConfig fallback;

    RetryPolicy(FallbackConfig fallback) {
        this.fallback = fallback;
    }

    RetryConfig config() {
        long maxWaitMs = (long) (fallback.maxRetryWaitSeconds() * 1000);
        return RetryConfig.custom()
                .maxAttempts(Math.max(1, fallback.maxRetries() + 1))
                .retryOnException(t -> t instanceof ModelFailure f && FailurePolicy.retryable(f, maxWaitMs))
                .intervalBiFunction((attempt, result) -> {
                    if (result.isLeft() && result.getLeft() instanceof ModelFailure.RateLimited r && r.retryAfter().isPresent()) {
                        return r.retryAfter().get().toMillis();
                    }
                    return backoffMillis(attempt);
                })
                .build();
    }

    long backoffMillis(int attempt) {
        double base = fallback.retryDelaySeconds() * 1000 * Math.pow(2, Math.max(0, attempt - 1));
        double capped = Math.min(base, fallback.maxRetryDelaySeconds() * 1000);
        return (long) (capped * (0.5 + ThreadLocalRandom.current().nextDouble()));
    }
}
