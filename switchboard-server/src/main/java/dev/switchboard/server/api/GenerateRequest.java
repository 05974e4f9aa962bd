package dev.switchboard.server.api;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.Message;
import dev.switchboard.model.OutputShape;
import dev.switchboard.model.Requirements;
import dev.switchboard.model.Sampling;
import dev.switchboard.model.TaskType;
import dev.switchboard.server.openai.ChatMessages;
import dev.switchboard.server.openai.ChatTools;
import dev.switchboard.server.openai.ChatWire;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The seed's {@code POST /api/v1/models/generate} body, with its defaults (max_tokens 2048, temperature 0.7,
 * top_p 0.9, max_latency_ms 5000, min_quality_score 6.0), plus an optional {@code model_id} and {@code messages}
 * in OpenAI's shape (text or content parts with images, assistant tool calls, tool results), {@code tools},
 * {@code tool_choice} and {@code response_format}. Without a model, the request is routed by task and these
 * requirements (plus the seed's requirement fields max_cost_per_token, required_capabilities,
 * context_length_needed, therapeutic_safety_required).
 */
public record GenerateRequest(
        String prompt,
        List<ChatWire.InMessage> messages,
        String taskType,
        @JsonAlias("model") String modelId,
        Integer maxTokens,
        Double temperature,
        Double topP,
        Boolean stream,
        Integer maxLatencyMs,
        Double minQualityScore,
        Double maxCostPerToken,
        List<String> requiredCapabilities,
        Integer contextLengthNeeded,
        Boolean therapeuticSafetyRequired,
        @JsonAlias("stop") List<String> stopSequences,
        Map<String, Object> metadata,
        List<JsonNode> tools,
        JsonNode toolChoice,
        Boolean parallelToolCalls,
        JsonNode responseFormat) {

    public ChatRequest toChatRequest() {
        List<Message> msgs = new ArrayList<>();
        if (messages != null) {
            msgs.addAll(ChatMessages.read(messages));
        }
        if (prompt != null) {
            if (prompt.isEmpty()) {
                throw new InvalidRequestException("prompt", "must be a non-empty string");
            }
            msgs.add(Message.user(prompt));
        }
        if (msgs.isEmpty()) {
            throw new InvalidRequestException("prompt", "is required (or give messages)");
        }
        TaskType task = taskType == null ? TaskType.GENERAL_CHAT : TaskType.fromWire(taskType);
        Requirements req = new Requirements(task, maxLatencyMs == null ? 5000 : maxLatencyMs,
                minQualityScore == null ? 6.0 : minQualityScore, maxCostPerToken, requiredCapabilities, contextLengthNeeded,
                therapeuticSafetyRequired);
        return ChatRequest.builder()
                .messages(msgs)
                .model(modelId)
                .requirements(req)
                .maxTokens(maxTokens == null ? 2048 : maxTokens)
                .sampling(new Sampling(temperature == null ? 0.7 : temperature, topP == null ? 0.9 : topP, null, null, null, null))
                .stop(stopSequences)
                .stream(Boolean.TRUE.equals(stream))
                .toolUse(ChatTools.read(tools, toolChoice, parallelToolCalls))
                .output(new OutputShape(null, null, null, ChatTools.format(responseFormat)))
                .metadata(metadata)
                .build();
    }
}
