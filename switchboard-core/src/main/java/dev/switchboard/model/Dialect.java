package dev.switchboard.model;

/**
 * The wire format a request came in through, or an upstream speaks. Fields without a canonical meaning travel
 * between a door and an upstream only when both speak the same dialect.
 */
public enum Dialect {
    /** OpenAI Chat Completions: OpenAI itself, OpenRouter, LM Studio, vLLM and every compatible server. */
    OPENAI_CHAT,
    /** Anthropic Messages. */
    ANTHROPIC_MESSAGES,
    /** OpenAI Responses. */
    OPENAI_RESPONSES,
    /** Ollama's native {@code /api/chat}. */
    OLLAMA,
    /** Switchboard's own APIs and the Java API: nothing beyond the canonical fields. */
    NONE
}
