package dev.switchboard.routing;

import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.Message;
import java.time.Instant;

/**
 * One request as the guards see it: its estimated size and the time of routing. Prompt tokens are estimated at
 * four characters per token plus four per message for the chat framing, the usual rule of thumb for English
 * text with BPE tokenizers; it errs on the large side for code and non-Latin scripts, which is the safe side.
 */
public record RouteContext(ChatRequest request, int promptTokens, int maxTokens, Instant now) {
    /** Assumed completion size when a request sets no max_tokens. */
    public static final int DEFAULT_COMPLETION_TOKENS = 512;

    public static RouteContext of(ChatRequest request, Instant now) {
        int chars = 0;
        for (Message m : request.messages()) {
            chars += m.content().length();
        }
        int prompt = (chars + 3) / 4 + 4 * request.messages().size();
        int completion = request.maxTokens() != null ? request.maxTokens() : DEFAULT_COMPLETION_TOKENS;
        return new RouteContext(request, prompt, completion, now);
    }

    /** Prompt plus completion: what the request needs of a context window. */
    public int totalTokens() {
        return promptTokens + maxTokens;
    }
}
