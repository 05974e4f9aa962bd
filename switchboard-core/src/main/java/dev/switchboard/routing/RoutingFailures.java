package dev.switchboard.routing;

import dev.switchboard.model.DeploymentKey;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.routing.guard.Admission;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Words and kind of a request that nothing could serve, from what the walk through the plan saw. */
final class RoutingFailures {
    private RoutingFailures() {}

    static RoutingFailure of(Planner.Plan plan, Explanation explanation, List<Explanation.Attempt> attempts,
                             Map<String, Admission.Refused> skipped, ModelFailure last, boolean midStream,
                             Duration earliestRetry, boolean callersKey) {
        Collection<Admission.Refused> refusals = skipped.values();
        boolean untried = attempts.isEmpty() && !refusals.isEmpty();
        boolean throttled = untried && refusals.stream().allMatch(r -> r.hold().passes());
        Admission.Refused unsupported = untried && refusals.stream().allMatch(r -> r.hold() == Admission.Hold.REQUEST)
                ? refusals.iterator().next() : null;
        String message;
        if (midStream) {
            message = new DeploymentKey(last.provider(), last.modelId()) + " failed after the answer had started: "
                    + last.getMessage();
        } else if (unsupported != null) {
            message = unsupportedMessage(skipped);
        } else if (attempts.isEmpty()) {
            message = "No suitable model available: " + (plan.order().isEmpty()
                    ? "no model meets the requirements" : "every candidate was skipped") + summary(explanation);
        } else {
            message = "No model could serve the request after " + calls(attempts) + " call(s) to "
                    + attempts.size() + " deployment(s); last: " + (last == null ? "none" : last.getMessage());
        }
        return new RoutingFailure(message, explanation, last, earliestRetry, midStream, throttled, unsupported, callersKey);
    }

    /** Every call made, same-deployment retries included. */
    static int calls(List<Explanation.Attempt> attempts) {
        int n = 0;
        for (Explanation.Attempt a : attempts) {
            n += 1 + a.retries();
        }
        return n;
    }

    private static String unsupportedMessage(Map<String, Admission.Refused> skipped) {
        if (skipped.size() == 1) {
            Map.Entry<String, Admission.Refused> only = skipped.entrySet().iterator().next();
            String capability = only.getValue().capability();
            // A capability Switchboard could not learn from the provider may still be there: say how to declare it.
            String hint = capability == null || capability.equals("chat") ? "" : ". If the model has it, list " + capability
                    + " under model_management.models.<its id>.capabilities";
            return "model " + only.getKey() + " cannot serve this request: " + only.getValue().reason() + hint;
        }
        StringBuilder sb = new StringBuilder("No model can serve this request: ");
        int shown = 0;
        for (Map.Entry<String, Admission.Refused> e : skipped.entrySet()) {
            if (shown++ == 3) {
                sb.append("; …");
                break;
            }
            sb.append(shown > 1 ? "; " : "").append(e.getKey()).append(' ').append(e.getValue().reason());
        }
        return sb.toString();
    }

    private static String summary(Explanation e) {
        if (e.excluded().isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" (");
        int shown = 0;
        for (Explanation.Excluded x : e.excluded()) {
            if (shown++ == 3) {
                sb.append(", …");
                break;
            }
            sb.append(shown > 1 ? ", " : "").append(x.model()).append(": ").append(x.reason());
        }
        return sb.append(')').toString();
    }
}
