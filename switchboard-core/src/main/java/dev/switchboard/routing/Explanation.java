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

    /**
     * A model left out, and why. The selector builds its reasons lazily: a ranking of thousands of models should
     * not format thousands of messages that a response may never show.
     */
    @com.fasterxml.jackson.annotation.JsonPropertyOrder({"model", "reason"})
    public interface Excluded {
        @com.fasterxml.jackson.annotation.JsonProperty("model")
        String model();

        @com.fasterxml.jackson.annotation.JsonProperty("reason")
        String reason();

        static Excluded of(String model, String reason) {
            return new Fixed(model, reason);
        }

        record Fixed(String model, String reason) implements Excluded {}
    }

    /** One call (with its retries) to one deployment. {@code outcome} is success or a failure kind. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Attempt(String model, String outcome, double durationMs, int retries, String error) {}

    public Explanation withChosen(String model, List<Attempt> tried) {
        return new Explanation(strategy, taskType, model, candidates, excluded, tried);
    }
}
