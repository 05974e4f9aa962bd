package dev.switchboard.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** A finished generation, with the seed's field names: text, model_id, provider, usage, latency_ms, metadata. */
public record ChatResponse(
        String id,
        String text,
        String modelId,
        String provider,
        Usage usage,
        double latencyMs,
        FinishReason finishReason,
        Map<String, Object> metadata) {

    public ChatResponse {
        text = text == null ? "" : text;
        usage = usage == null ? Usage.NONE : usage;
        finishReason = finishReason == null ? FinishReason.STOP : finishReason;
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    public ChatResponse withLatency(double ms) {
        return new ChatResponse(id, text, modelId, provider, usage, ms, finishReason, metadata);
    }

    public ChatResponse withMetadata(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(metadata);
        m.put(key, value);
        return new ChatResponse(id, text, modelId, provider, usage, latencyMs, finishReason, m);
    }
}
