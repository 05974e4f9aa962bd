package dev.switchboard.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generation request in domain terms. Either {@code messages} or a plain {@code prompt} (which becomes one
 * user message). {@code model} is optional: {@code provider:model}, a bare model id, or null to let Switchboard
 * choose. {@code options} carries sampling knobs that only some upstreams understand (seed, penalties,
 * response_format); providers pass on the ones they support.
 */
public record ChatRequest(
        List<Message> messages,
        String model,
        Requirements requirements,
        Integer maxTokens,
        Double temperature,
        Double topP,
        List<String> stop,
        boolean stream,
        Map<String, Object> metadata,
        Map<String, Object> options) {

    /** Far above any model's output limit; anything larger is a client bug, not a request. */
    public static final int MAX_TOKENS_LIMIT = 1_000_000;
    public static final int MAX_STOP_SEQUENCES = 16;

    public ChatRequest {
        if (messages == null || messages.isEmpty()) {
            throw new InvalidRequestException("messages", "at least one message (or a prompt) is required");
        }
        messages = List.copyOf(messages);
        requirements = requirements == null ? Requirements.forTask(TaskType.GENERAL_CHAT) : requirements;
        if (model != null && model.isBlank()) {
            model = null;
        }
        if (maxTokens != null && (maxTokens < 1 || maxTokens > MAX_TOKENS_LIMIT)) {
            throw new InvalidRequestException("max_tokens", "must be between 1 and " + MAX_TOKENS_LIMIT + ", got " + maxTokens);
        }
        if (temperature != null && (temperature.isNaN() || temperature < 0 || temperature > 2)) {
            throw new InvalidRequestException("temperature", "must be between 0 and 2, got " + temperature);
        }
        if (topP != null && (topP.isNaN() || topP <= 0 || topP > 1)) {
            throw new InvalidRequestException("top_p", "must be greater than 0 and at most 1, got " + topP);
        }
        if (stop != null) {
            // Checked before copying: List.copyOf would throw a bare NullPointerException on a null entry.
            for (String s : stop) {
                if (s == null || s.isEmpty()) {
                    throw new InvalidRequestException("stop", "stop sequences must be non-empty strings");
                }
            }
        }
        stop = stop == null ? List.of() : List.copyOf(stop);
        if (stop.size() > MAX_STOP_SEQUENCES) {
            throw new InvalidRequestException("stop", "at most " + MAX_STOP_SEQUENCES + " stop sequences, got " + stop.size());
        }
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    public TaskType taskType() {
        return requirements.taskType();
    }

    public ChatRequest withModel(String newModel) {
        return new ChatRequest(messages, newModel, requirements, maxTokens, temperature, topP, stop, stream, metadata, options);
    }

    public ChatRequest withStream(boolean newStream) {
        return new ChatRequest(messages, model, requirements, maxTokens, temperature, topP, stop, newStream, metadata, options);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final List<Message> messages = new ArrayList<>();
        private String model;
        private Requirements requirements;
        private Integer maxTokens;
        private Double temperature;
        private Double topP;
        private List<String> stop;
        private boolean stream;
        private Map<String, Object> metadata;
        private Map<String, Object> options;

        public Builder prompt(String prompt) {
            if (prompt == null || prompt.isEmpty()) {
                throw new InvalidRequestException("prompt", "must be a non-empty string");
            }
            messages.add(Message.user(prompt));
            return this;
        }

        public Builder message(Message m) {
            messages.add(m);
            return this;
        }

        public Builder messages(List<Message> ms) {
            messages.addAll(ms);
            return this;
        }

        public Builder model(String m) {
            this.model = m;
            return this;
        }

        public Builder requirements(Requirements r) {
            this.requirements = r;
            return this;
        }

        public Builder taskType(TaskType t) {
            this.requirements = Requirements.forTask(t);
            return this;
        }

        public Builder maxTokens(Integer n) {
            this.maxTokens = n;
            return this;
        }

        public Builder temperature(Double t) {
            this.temperature = t;
            return this;
        }

        public Builder topP(Double p) {
            this.topP = p;
            return this;
        }

        public Builder stop(List<String> s) {
            this.stop = s;
            return this;
        }

        public Builder stream(boolean s) {
            this.stream = s;
            return this;
        }

        public Builder metadata(Map<String, Object> m) {
            this.metadata = m;
            return this;
        }

        public Builder options(Map<String, Object> o) {
            this.options = o;
            return this;
        }

        public ChatRequest build() {
            return new ChatRequest(messages, model, requirements, maxTokens, temperature, topP, stop, stream, metadata, options);
        }
    }
}
