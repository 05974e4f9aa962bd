package dev.switchboard.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished generation: one or more {@link Choice}s, usage, latency and Switchboard's metadata (the routing
 * explanation, the request id). {@code extras} are the upstream's other top-level fields (OpenAI's
 * {@code system_fingerprint}, {@code service_tier}), passed on to a door of the upstream's {@code dialect}.
 */
public record ChatResponse(
        String id,
        List<Choice> choices,
        String modelId,
        String provider,
        Usage usage,
        double latencyMs,
        Map<String, Object> metadata,
        Dialect dialect,
        Map<String, JsonNode> extras) {

    public ChatResponse {
        choices = choices == null || choices.isEmpty() ? List.of(Choice.text("", FinishReason.STOP)) : List.copyOf(choices);
        usage = usage == null ? Usage.NONE : usage;
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        dialect = dialect == null ? Dialect.NONE : dialect;
        extras = extras == null || extras.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    /** A single text answer. */
    public ChatResponse(String id, String text, String modelId, String provider, Usage usage, double latencyMs,
                        FinishReason finishReason, Map<String, Object> metadata) {
        this(id, List.of(Choice.text(text, finishReason)), modelId, provider, usage, latencyMs, metadata, Dialect.NONE, null);
    }

    /** The first choice: the only one unless the request asked for several. */
    public Choice first() {
        return choices.getFirst();
    }

    /** The first choice's text. */
    public String text() {
        return first().message().text();
    }

    public FinishReason finishReason() {
        return first().finishReason();
    }

    public List<ToolCall> toolCalls() {
        return first().message().toolCalls();
    }

    public ChatResponse withLatency(double ms) {
        return new ChatResponse(id, choices, modelId, provider, usage, ms, metadata, dialect, extras);
    }

    public ChatResponse withUsage(Usage u) {
        return new ChatResponse(id, choices, modelId, provider, u, latencyMs, metadata, dialect, extras);
    }

    public ChatResponse withMetadata(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(metadata);
        m.put(key, value);
        return new ChatResponse(id, choices, modelId, provider, usage, latencyMs, m, dialect, extras);
    }

    /** The same answer under another id, latency and metadata: what routing adds to what the upstream said. */
    public ChatResponse routed(String newId, double ms, Map<String, Object> newMetadata) {
        return new ChatResponse(newId, choices, modelId, provider, usage, ms, newMetadata, dialect, extras);
    }

    /** The deployment that answered. */
    public DeploymentKey deployment() {
        return new DeploymentKey(provider, modelId);
    }
}
