package dev.switchboard.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A generation request in canonical terms: every door maps into it and every provider maps out of it, so this is
 * the one place where the meaning of a request lives. {@code model} is optional: {@code provider:model}, a bare
 * model id, or null to let Switchboard choose. {@code metadata} is Switchboard's own (the task type);
 * {@link Origin} carries what the door received beyond the canonical fields.
 */
public record ChatRequest(
        List<Message> messages,
        String model,
        Requirements requirements,
        Integer maxTokens,
        Sampling sampling,
        List<String> stop,
        boolean stream,
        ToolUse toolUse,
        OutputShape output,
        String user,
        Map<String, Object> metadata,
        Origin origin,
        Caller caller) {

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
        sampling = sampling == null ? Sampling.DEFAULT : sampling;
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
        toolUse = toolUse == null ? ToolUse.NONE : toolUse;
        output = output == null ? OutputShape.DEFAULT : output;
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        origin = origin == null ? Origin.NONE : origin;
        caller = caller == null ? Caller.OPERATOR : caller;
        checkToolResults(messages);
    }

    /**
     * Every tool result answers a call an earlier assistant turn made: upstreams refuse a dangling result, and
     * translating one to another dialect would pair it with the wrong call.
     */
    private static void checkToolResults(List<Message> messages) {
        Set<String> calls = null;
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (m.role() == Role.ASSISTANT && !m.toolCalls().isEmpty()) {
                calls = calls == null ? new HashSet<>() : calls;
                for (ToolCall c : m.toolCalls()) {
                    if (c.id() != null) {
                        calls.add(c.id());
                    }
                }
            } else if (m.role() == Role.TOOL && m.toolCallId() != null && (calls == null || !calls.contains(m.toolCallId()))) {
                throw new InvalidRequestException("messages[" + i + "].tool_call_id", "'" + m.toolCallId()
                        + "' answers no tool call of an earlier assistant message");
            }
        }
    }

    public TaskType taskType() {
        return requirements.taskType();
    }

    public Double temperature() {
        return sampling.temperature();
    }

    public Double topP() {
        return sampling.topP();
    }

    public ChatRequest withModel(String newModel) {
        return toBuilder().model(newModel).build();
    }

    public ChatRequest withStream(boolean newStream) {
        return newStream == stream ? this : toBuilder().stream(newStream).build();
    }

    public ChatRequest withCaller(Caller newCaller) {
        return newCaller == caller ? this : toBuilder().caller(newCaller).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.messages.addAll(messages);
        b.model = model;
        b.requirements = requirements;
        b.maxTokens = maxTokens;
        b.sampling = sampling;
        b.stop = stop;
        b.stream = stream;
        b.toolUse = toolUse;
        b.output = output;
        b.user = user;
        b.metadata = metadata;
        b.origin = origin;
        b.caller = caller;
        return b;
    }

    public static final class Builder {
        private final List<Message> messages = new ArrayList<>();
        private String model;
        private Requirements requirements;
        private Integer maxTokens;
        private Sampling sampling = Sampling.DEFAULT;
        private List<String> stop;
        private boolean stream;
        private ToolUse toolUse;
        private OutputShape output;
        private String user;
        private Map<String, Object> metadata;
        private Origin origin;
        private Caller caller;

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

        public Builder sampling(Sampling s) {
            this.sampling = s == null ? Sampling.DEFAULT : s;
            return this;
        }

        public Builder temperature(Double t) {
            this.sampling = sampling.withTemperature(t);
            return this;
        }

        public Builder topP(Double p) {
            this.sampling = sampling.withTopP(p);
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

        public Builder toolUse(ToolUse t) {
            this.toolUse = t;
            return this;
        }

        public Builder output(OutputShape o) {
            this.output = o;
            return this;
        }

        public Builder user(String u) {
            this.user = u;
            return this;
        }

        public Builder metadata(Map<String, Object> m) {
            this.metadata = m;
            return this;
        }

        public Builder origin(Origin o) {
            this.origin = o;
            return this;
        }

        public Builder caller(Caller c) {
            this.caller = c;
            return this;
        }

        public ChatRequest build() {
            return new ChatRequest(messages, model, requirements, maxTokens, sampling, stop, stream, toolUse, output, user,
                    metadata, origin, caller);
        }
    }
}
