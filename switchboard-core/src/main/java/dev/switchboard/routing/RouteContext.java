package dev.switchboard.routing;

import dev.switchboard.model.ChatRequest;
import java.time.Instant;

/** One request as the guards see it: what it asks for, its estimated size, and the time of routing. */
public record RouteContext(RouteRequest request, Instant now) {
    /** Assumed completion size when a request sets no max_tokens. */
    public static final int DEFAULT_COMPLETION_TOKENS = RouteRequest.DEFAULT_COMPLETION_TOKENS;

    public static RouteContext of(ChatRequest request, Instant now) {
        return new RouteContext(RouteRequest.of(request), now);
    }

    public int promptTokens() {
        return request.promptTokens();
    }

    public int maxTokens() {
        return request.maxTokens();
    }

    /** Prompt plus completion: what the request needs of a context window. */
    public int totalTokens() {
        return request.promptTokens() + request.maxTokens();
    }
}
