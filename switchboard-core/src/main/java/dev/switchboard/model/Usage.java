package dev.switchboard.model;

/** Token counts, and the cost in USD when the upstream reports or the catalog prices it. */
public record Usage(int promptTokens, int completionTokens, int totalTokens, Double cost) {
    public static final Usage NONE = new Usage(0, 0, 0, null);

    public static Usage of(int prompt, int completion) {
        return new Usage(prompt, completion, prompt + completion, null);
    }

    public Usage withCost(Double newCost) {
        return new Usage(promptTokens, completionTokens, totalTokens, newCost);
    }
}
