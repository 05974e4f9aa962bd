package dev.switchboard.routing;

import dev.switchboard.model.Caller;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.TaskType;
import dev.switchboard.model.Usage;
import java.time.Instant;

/**
 * Hears about every call to a deployment as it ends, success or failure. The performance monitor is one. Called on
 * the request's thread: it must not block.
 */
@FunctionalInterface
public interface AttemptListener {
    AttemptListener NONE = a -> { };

    void attempted(Attempt attempt);

    /** What a call asked a deployment for. */
    enum Operation { CHAT, EMBEDDINGS }

    /**
     * One call to one deployment (same-deployment retries included) within a routed request.
     *
     * @param outcome       {@code success}, the failure's kind ({@code unavailable}, {@code rate_limited}, …) or
     *                      {@code error} for an unexpected exception
     * @param latencyMs     from the first try to the end of the answer or the failure
     * @param ttftMs        time to the first streamed token of the last try; NaN when nothing was streamed
     * @param usage         the tokens (and cost, when the upstream reports it) of a success, else null
     * @param failure       the classified failure, else null
     * @param fallbackFrom  the deployment tried just before this one in the same request, or null
     * @param caller        who the request was for ({@link Caller#OPERATOR} unless a user's own key paid)
     */
    record Attempt(String requestId, ModelInfo model, TaskType task, Operation operation, boolean stream, Instant at,
                   String outcome, double latencyMs, double ttftMs, Usage usage, ModelFailure failure, String error,
                   double costUsd, ModelInfo fallbackFrom, Caller caller) {
        public boolean succeeded() {
            return usage != null;
        }
    }
}
