package dev.switchboard.model;

/**
 * What the answer must look like: {@code n} alternative choices, token log-probabilities ({@code topLogprobs}
 * alternatives per token), and its format. Null fields mean the upstream's defaults (one choice, no logprobs, text).
 */
public record OutputShape(Integer n, Boolean logprobs, Integer topLogprobs, ResponseFormat format) {
    public static final OutputShape DEFAULT = new OutputShape(null, null, null, null);
    public static final int MAX_CHOICES = 128;
    public static final int MAX_TOP_LOGPROBS = 20;

    public OutputShape {
        if (n != null && (n < 1 || n > MAX_CHOICES)) {
            throw new InvalidRequestException("n", "must be between 1 and " + MAX_CHOICES + ", got " + n);
        }
        if (topLogprobs != null && (topLogprobs < 0 || topLogprobs > MAX_TOP_LOGPROBS)) {
            throw new InvalidRequestException("top_logprobs", "must be between 0 and " + MAX_TOP_LOGPROBS + ", got " + topLogprobs);
        }
        if (topLogprobs != null && !Boolean.TRUE.equals(logprobs)) {
            throw new InvalidRequestException("top_logprobs", "needs logprobs: true");
        }
    }

    /** The number of choices asked for (1 when not given). */
    public int choices() {
        return n == null ? 1 : n;
    }

    public boolean wantsLogprobs() {
        return Boolean.TRUE.equals(logprobs);
    }

    public ResponseFormat formatOrText() {
        return format == null ? ResponseFormat.TEXT : format;
    }
}
