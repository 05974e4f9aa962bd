package dev.switchboard.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.json.Json;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.Message;
import dev.switchboard.model.Requirements;
import dev.switchboard.model.Role;
import dev.switchboard.model.TaskType;
import dev.switchboard.model.Usage;
import dev.switchboard.provider.openai.OpenAiWire;
import dev.switchboard.provider.openai.OpenAiWire.ChatCompletionRequest;
import dev.switchboard.provider.openai.OpenAiWire.WireMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI wire ↔ domain for Switchboard's own {@code /v1} API. What we cannot honour (tools, n > 1, logprobs,
 * image parts) is refused with a 400 naming the field, never silently dropped.
 */
final class OpenAiApiMapper {
    /** Model names that mean "let Switchboard choose". */
    private static final java.util.Set<String> AUTO = java.util.Set.of("auto", "switchboard/auto", "switchboard");

    private OpenAiApiMapper() {}

    static ChatRequest toDomain(ChatCompletionRequest r, String taskHeader) {
        refuseUnsupported(r);
        if (r.messages() == null || r.messages().isEmpty()) {
            throw new InvalidRequestException("messages", "is required and must contain at least one message");
        }
        List<Message> messages = new ArrayList<>(r.messages().size());
        for (int i = 0; i < r.messages().size(); i++) {
            messages.add(message(r.messages().get(i), "messages[" + i + "]"));
        }
        Map<String, Object> metadata = r.metadata() == null || !r.metadata().isObject() ? Map.of()
                : Json.mapper().convertValue(r.metadata(), Map.class);
        String task = taskHeader != null ? taskHeader : metadata.get("task_type") instanceof String s ? s : null;
        Requirements requirements = Requirements.forTask(task == null ? TaskType.GENERAL_CHAT : TaskType.fromWire(task));
        Integer maxTokens = r.maxCompletionTokens() != null ? r.maxCompletionTokens() : r.maxTokens();
        String model = r.model() == null || AUTO.contains(r.model()) ? null : r.model();
        Map<String, Object> options = new LinkedHashMap<>();
        if (r.seed() != null) {
            options.put("seed", r.seed());
        }
        if (r.presencePenalty() != null) {
            range("presence_penalty", r.presencePenalty(), -2, 2);
            options.put("presence_penalty", r.presencePenalty());
        }
        if (r.frequencyPenalty() != null) {
            range("frequency_penalty", r.frequencyPenalty(), -2, 2);
            options.put("frequency_penalty", r.frequencyPenalty());
        }
        if (r.responseFormat() != null && !r.responseFormat().isNull()) {
            options.put("response_format", r.responseFormat());
        }
        return new ChatRequest(messages, model, requirements, maxTokens, r.temperature(), r.topP(), stop(r.stop()),
                Boolean.TRUE.equals(r.stream()), metadata, options);
    }

    private static void refuseUnsupported(ChatCompletionRequest r) {
        if (present(r.tools()) || present(r.functions()) || present(r.toolChoice()) || present(r.functionCall())) {
            throw new InvalidRequestException("tools", "tool and function calling are not supported by this gateway yet");
        }
        if (r.n() != null && r.n() != 1) {
            throw new InvalidRequestException("n", "only n=1 is supported, got " + r.n());
        }
        if (Boolean.TRUE.equals(r.logprobs())) {
            throw new InvalidRequestException("logprobs", "logprobs are not supported");
        }
        if (r.model() != null && r.model().isBlank()) {
            throw new InvalidRequestException("model", "must not be empty");
        }
    }

    private static Message message(WireMessage m, String path) {
        if (m == null) {
            throw new InvalidRequestException(path, "must be an object with role and content");
        }
        if (m.role() == null) {
            throw new InvalidRequestException(path + ".role", "is required");
        }
        Role role;
        try {
            role = Role.fromWire(m.role());
        } catch (InvalidRequestException e) {
            throw new InvalidRequestException(path + ".role", "unknown role '" + m.role() + "'");
        }
        if (role == Role.TOOL || present(m.toolCalls())) {
            throw new InvalidRequestException(path, "tool messages are not supported by this gateway yet");
        }
        return new Message(role, content(m.content(), path + ".content", role), m.name());
    }

    private static String content(JsonNode c, String path, Role role) {
        if (c == null || c.isNull()) {
            if (role == Role.ASSISTANT) {
                return "";
            }
            throw new InvalidRequestException(path, "is required");
        }
        if (c.isTextual()) {
            return c.asText();
        }
        if (c.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < c.size(); i++) {
                JsonNode part = c.get(i);
                String type = part.path("type").asText("");
                if (!"text".equals(type) || !part.path("text").isTextual()) {
                    throw new InvalidRequestException(path + "[" + i + "]",
                            "only text content parts are supported" + (type.isEmpty() ? "" : ", got type '" + type + "'"));
                }
                sb.append(part.get("text").asText());
            }
            return sb.toString();
        }
        throw new InvalidRequestException(path, "must be a string or an array of content parts");
    }

    private static List<String> stop(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isTextual()) {
            return List.of(stop.asText());
        }
        if (stop.isArray()) {
            List<String> out = new ArrayList<>();
            for (JsonNode s : stop) {
                if (!s.isTextual()) {
                    throw new InvalidRequestException("stop", "must be a string or an array of strings");
                }
                out.add(s.asText());
            }
            return out;
        }
        throw new InvalidRequestException("stop", "must be a string or an array of strings");
    }

    private static void range(String field, double v, double lo, double hi) {
        if (Double.isNaN(v) || v < lo || v > hi) {
            throw new InvalidRequestException(field, "must be between " + (int) lo + " and " + (int) hi + ", got " + v);
        }
    }

    private static boolean present(JsonNode n) {
        return n != null && !n.isNull() && !(n.isArray() && n.isEmpty());
    }

    /** The completion, with Switchboard's routing explanation under {@code metadata} (SDKs ignore the extra field). */
    static OpenAiWire.ChatCompletion completion(ChatResponse r, String id, long created) {
        return new OpenAiWire.ChatCompletion(id, "chat.completion", created, r.modelId(),
                List.of(new OpenAiWire.Choice(0, new OpenAiWire.ResponseMessage("assistant", r.text(), null), null,
                        r.finishReason().wire())),
                usage(r.usage()), null, metadata(r));
    }

    static OpenAiWire.ChatCompletionChunk chunk(String id, long created, String model, OpenAiWire.Delta delta, String finish) {
        return new OpenAiWire.ChatCompletionChunk(id, "chat.completion.chunk", created, model,
                List.of(new OpenAiWire.ChunkChoice(0, delta, null, finish)), null, null, null);
    }

    /** The last content-free chunk: the finish reason, and the routing explanation as on a completion. */
    static OpenAiWire.ChatCompletionChunk finishChunk(String id, long created, String model, ChatResponse done) {
        return new OpenAiWire.ChatCompletionChunk(id, "chat.completion.chunk", created, model,
                List.of(new OpenAiWire.ChunkChoice(0, new OpenAiWire.Delta(null, null, null), null, done.finishReason().wire())),
                null, null, metadata(done));
    }

    static OpenAiWire.ChatCompletionChunk usageChunk(String id, long created, String model, Usage usage) {
        return new OpenAiWire.ChatCompletionChunk(id, "chat.completion.chunk", created, model, List.of(), usage(usage), null, null);
    }

    private static Map<String, Object> metadata(ChatResponse r) {
        Object routing = r.metadata().get("routing");
        return routing == null ? null : Map.of("routing", routing);
    }

    static OpenAiWire.WireUsage usage(Usage u) {
        return new OpenAiWire.WireUsage(u.promptTokens(), u.completionTokens(), u.totalTokens(), null);
    }
}
