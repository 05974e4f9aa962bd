package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.json.Json;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.FinishReason;
import dev.switchboard.model.Message;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.Usage;
import dev.switchboard.provider.openai.OpenAiWire.ChatCompletion;
import dev.switchboard.provider.openai.OpenAiWire.ChatCompletionRequest;
import dev.switchboard.provider.openai.OpenAiWire.StreamOptions;
import dev.switchboard.provider.openai.OpenAiWire.WireMessage;
import dev.switchboard.provider.openai.OpenAiWire.WireUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Domain ↔ OpenAI wire, for calling an OpenAI-compatible upstream. */
public final class OpenAiMapper {
    private OpenAiMapper() {}

    public static ChatCompletionRequest toWire(ChatRequest request, String upstreamModel, boolean stream, boolean includeUsage) {
        List<WireMessage> messages = new ArrayList<>(request.messages().size());
        for (Message m : request.messages()) {
            messages.add(new WireMessage(m.role().wire(), TextNode.valueOf(m.content()), m.name(), null, null));
        }
        Map<String, Object> o = request.options();
        return new ChatCompletionRequest(
                upstreamModel,
                messages,
                request.maxTokens(),
                null,
                request.temperature(),
                request.topP(),
                stop(request.stop()),
                stream ? Boolean.TRUE : null,
                stream && includeUsage ? new StreamOptions(true) : null,
                null,
                null,
                o.get("seed") instanceof Number n ? n.longValue() : null,
                o.get("presence_penalty") instanceof Number n ? n.doubleValue() : null,
                o.get("frequency_penalty") instanceof Number n ? n.doubleValue() : null,
                o.get("response_format") == null ? null : Json.mapper().valueToTree(o.get("response_format")),
                null, null, null, null, null, null);
    }

    private static JsonNode stop(List<String> stop) {
        if (stop.isEmpty()) {
            return null;
        }
        ArrayNode arr = JsonNodeFactory.instance.arrayNode();
        stop.forEach(arr::add);
        return arr;
    }

    /** A complete non-streamed answer; an answer without choices is a broken upstream, not an empty reply. */
    public static ChatResponse fromWire(ChatCompletion completion, String provider, String modelId) {
        if (completion.choices() == null || completion.choices().isEmpty() || completion.choices().getFirst().message() == null) {
            throw new ModelFailure.Unavailable(provider, modelId, 200, provider + " returned a completion without choices", null);
        }
        OpenAiWire.Choice choice = completion.choices().getFirst();
        FinishReason finish = FinishReason.fromWire(choice.finishReason());
        String text = choice.message().content();
        if (finish == FinishReason.CONTENT_FILTER && (text == null || text.isEmpty())) {
            String refusal = choice.message().refusal();
            throw new ModelFailure.ContentRefused(provider, modelId, 200,
                    provider + " refused the request" + (refusal == null ? "" : ": " + refusal));
        }
        if (text == null && choice.message().refusal() != null) {
            throw new ModelFailure.ContentRefused(provider, modelId, 200, provider + " refused: " + choice.message().refusal());
        }
        return new ChatResponse(completion.id(), text, modelId, provider, usage(completion.usage()), 0, finish, Map.of());
    }

    public static Usage usage(WireUsage u) {
        if (u == null) {
            return Usage.NONE;
        }
        int prompt = u.promptTokens() == null ? 0 : u.promptTokens();
        int completion = u.completionTokens() == null ? 0 : u.completionTokens();
        int total = u.totalTokens() == null ? prompt + completion : u.totalTokens();
        return new Usage(prompt, completion, total, u.cost());
    }
}
