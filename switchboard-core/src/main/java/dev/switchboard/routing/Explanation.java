package dev.switchboard.routing;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Why a request went where it went: the chosen model, every candidate in rank order (the best few with their score
 * breakdown), every model that was not a candidate with the reason, and each attempt made. Together the candidates
 * and the excluded list name every model considered exactly once. Returned as {@code metadata.routing}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Explanation(
        String strategy,
        String taskType,
        String chosen,
        List<Candidate> candidates,
        List<Excluded> excluded,
        List<Attempt> attempts) {

    /**
     * A ranked candidate; {@code breakdown} (and {@code note}, which says which rule applied where one did) is
     * filled for the best few only, to keep responses small.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Candidate(String model, Double score, Map<String, Double> breakdown, String note) {}

    public record Excluded(String model, String reason) {}

    /** One call (with its retries) to one deployment. {@code outcome} is success or a failure kind. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Attempt(String model, String outcome, double durationMs, int retries, String error) {}

    public Explanation withChosen(String model, List<Attempt> tried) {
        return new Explanation(strategy, taskType, model, candidates, excluded, tried);
    }
}
