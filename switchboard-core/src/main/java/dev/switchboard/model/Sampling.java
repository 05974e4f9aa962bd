package dev.switchboard.model;

/** How tokens are drawn. Null fields are left to the upstream's defaults. */
public record Sampling(Double temperature, Double topP, Integer topK, Long seed, Double presencePenalty,
                       Double frequencyPenalty) {
    public static final Sampling DEFAULT = new Sampling(null, null, null, null, null, null);

    public Sampling {
        if (temperature != null && (temperature.isNaN() || temperature < 0 || temperature > 2)) {
            throw new InvalidRequestException("temperature", "must be between 0 and 2, got " + temperature);
        }
        if (topP != null && (topP.isNaN() || topP <= 0 || topP > 1)) {
            throw new InvalidRequestException("top_p", "must be greater than 0 and at most 1, got " + topP);
        }
        if (topK != null && topK < 1) {
            throw new InvalidRequestException("top_k", "must be at least 1, got " + topK);
        }
        penalty("presence_penalty", presencePenalty);
        penalty("frequency_penalty", frequencyPenalty);
    }

    private static void penalty(String field, Double v) {
        if (v != null && (v.isNaN() || v < -2 || v > 2)) {
            throw new InvalidRequestException(field, "must be between -2 and 2, got " + v);
        }
    }

    public Sampling withTemperature(Double t) {
        return new Sampling(t, topP, topK, seed, presencePenalty, frequencyPenalty);
    }

    public Sampling withTopP(Double p) {
        return new Sampling(temperature, p, topK, seed, presencePenalty, frequencyPenalty);
    }
}
