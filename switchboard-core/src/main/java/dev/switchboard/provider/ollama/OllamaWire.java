package dev.switchboard.provider.ollama;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** Ollama's native REST API, as records. Streams are newline-delimited JSON; durations are nanoseconds. */
public final class OllamaWire {
    private OllamaWire() {}

    /** {@code GET /api/tags} and {@code GET /api/ps}. */
    public record ModelList(List<Model> models) {}

    /** One local model; {@code expiresAt} and {@code sizeVram} are set by {@code /api/ps} only. */
    public record Model(String name, String model, String modifiedAt, Long size, String digest, Details details,
                        String expiresAt, Long sizeVram) {}

    public record Details(String format, String family, List<String> families, String parameterSize,
                          String quantizationLevel) {}

    /** {@code POST /api/show}. */
    public record ShowRequest(String model) {}

    public record ShowResponse(Details details, Map<String, JsonNode> modelInfo, List<String> capabilities) {}

    /**
     * A chat message. {@code images} are base64 data without a data-URL prefix; a tool result names the function it
     * answers in {@code toolName}; {@code thinking} is a thinking model's reasoning (answers only).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Message(String role, String content, List<JsonNode> images, List<ToolCall> toolCalls, String toolName,
                          String thinking) {
        public Message(String role, String content) {
            this(role, content, null, null, null, null);
        }
    }

    /** A tool call; Ollama gives the arguments as a JSON object, not as text, and newer versions an id. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ToolCall(String id, Function function) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Function(Integer index, String name, JsonNode arguments) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Options(Double temperature, Double topP, Integer topK, Long seed, Double presencePenalty,
                          Double frequencyPenalty, Integer numPredict, List<String> stop) {}

    /**
     * {@code POST /api/chat}. {@code keepAlive} is a duration string or a number of seconds; {@code format} is
     * {@code "json"} or a JSON Schema; {@code tools} are OpenAI-shaped function tools.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ChatRequest(String model, List<Message> messages, boolean stream, Options options, Object keepAlive,
                              List<JsonNode> tools, JsonNode format) {}

    /** One line of a chat stream, or the whole answer; {@code error} replaces everything on failure. */
    public record ChatChunk(String model, String createdAt, Message message, Boolean done, String doneReason,
                            Long totalDuration, Long loadDuration, Integer promptEvalCount, Long promptEvalDuration,
                            Integer evalCount, Long evalDuration, String error) {}

    /** {@code POST /api/generate} with an empty prompt: loads ({@code keep_alive} > 0) or unloads (0) a model. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GenerateRequest(String model, String prompt, boolean stream, Object keepAlive) {}

    public record GenerateResponse(String model, String response, Boolean done, String doneReason, String error) {}

    /** {@code POST /api/pull}. */
    public record PullRequest(String model, boolean stream) {}

    public record PullStatus(String status, String digest, Long total, Long completed, String error) {}

    /** {@code DELETE /api/delete}. */
    public record DeleteRequest(String model) {}

    /** {@code POST /api/embed}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EmbedRequest(String model, List<String> input, Object keepAlive) {}

    public record EmbedResponse(String model, List<double[]> embeddings, Long totalDuration, Long loadDuration,
                                Integer promptEvalCount, String error) {}
}
