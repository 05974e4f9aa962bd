package dev.switchboard.routing;

import dev.switchboard.model.ModelFailure;
import dev.switchboard.routing.guard.Admission;
import java.time.Duration;
import java.util.List;

/**
 * Nothing could serve the request. Carries every attempt (model, outcome, duration) and the explanation. The
 * status a caller should see follows from the attempts: all rate limited → 429 (with the earliest retry time),
 * all refused for the request's own sake (bad request, context too long, refusal) → 400, otherwise 503. With no
 * attempt at all, a 400 when every candidate lacks what the request asks for (a capability, a field), a 429 when
 * every candidate was held back for load (an rpm, tpm or parallel limit reached, or a cooldown), else a 503.
 */
public final class RoutingFailure extends RuntimeException {
    private final Explanation explanation;
    private final ModelFailure last;
    private final Duration retryAfter;
    private final boolean midStream;
    private final boolean throttled;
    private final Admission.Refused unsupported;
    private final boolean callersKey;

    public RoutingFailure(String message, Explanation explanation, ModelFailure last, Duration retryAfter, boolean midStream,
                          boolean throttled, Admission.Refused unsupported, boolean callersKey) {
        super(message, last, false, false);
        this.callersKey = callersKey;
        this.explanation = explanation;
        this.last = last;
        this.retryAfter = retryAfter;
        this.midStream = midStream;
        this.throttled = throttled;
        this.unsupported = unsupported;
    }

    /**
     * When no deployment could even be tried because the request asks for something none of them can do (a
     * capability, a field): the first such refusal, which names the request field. Null otherwise.
     */
    public Admission.Refused unsupported() {
        return unsupported;
    }

    public Explanation explanation() {
        return explanation;
    }

    public List<Explanation.Attempt> attempts() {
        return explanation.attempts();
    }

    /** The failure of the last attempt, or null when no deployment could even be tried. */
    public ModelFailure last() {
        return last;
    }

    /** When the deployments that refused for load will take calls again, if all of them did. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /**
     * The last failure was the caller's own key being turned away or limited (a user's connected OpenRouter key):
     * the caller's to fix, not the service's.
     */
    public boolean callersKey() {
        return callersKey;
    }

    /** The answer had already started streaming when the serving model failed. */
    public boolean midStream() {
        return midStream;
    }

    public int status() {
        List<Explanation.Attempt> attempts = explanation.attempts();
        if (attempts.isEmpty()) {
            return unsupported != null ? 400 : throttled ? 429 : 503;
        }
        if (attempts.stream().allMatch(a -> a.outcome().equals("rate_limited"))) {
            return 429;
        }
        if (attempts.stream().allMatch(a -> CLIENT_SIDE.contains(a.outcome()))) {
            return 400;
        }
        return 503;
    }

    private static final List<String> CLIENT_SIDE = List.of("bad_request", "context_too_long", "content_refused");
}
