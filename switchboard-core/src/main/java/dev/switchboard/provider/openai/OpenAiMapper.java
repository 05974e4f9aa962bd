package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.model.ChatDelta;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.Choice;
import dev.switchboard.model.ContentPart;
import dev.switchboard.model.Dialect;
import dev.switchboard.model.FinishReason;
import dev.switchboard.model.ImageSource;
import dev.switchboard.model.Message;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.Origin;
import dev.switchboard.model.ResponseFormat;
import dev.switchboard.model.Role;
import dev.switchboard.model.Tool;
import dev.switchboard.model.ToolCall;
import dev.switchboard.model.ToolChoice;
import dev.switchboard.model.Usage;
import dev.switchboard.provider.RequestSupport;
import dev.switchboard.provider.WireChecks;
import dev.switchboard.provider.openai.OpenAiWire.ChatCompletion;
import dev.switchboard.provider.openai.OpenAiWire.ChatCompletionRequest;
import dev.switchboard.provider.openai.OpenAiWire.FunctionCall;
import dev.switchboard.provider.openai.OpenAiWire.WireMessage;
import dev.switchboard.provider.openai.OpenAiWire.WireToolCall;
import dev.switchboard.provider.openai.OpenAiWire.WireUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Canonical ↔ OpenAI Chat Completions, for calling an OpenAI-compatible upstream. Everything the canonical model
 * holds maps to a field of its own; what a client sent in this same dialect beyond that (its extras) goes along
 * unchanged, and what the upstream answers beyond the canonical fields comes back in the response's extras.
 */
public final class OpenAiMapper {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Fields of another dialect this dialect has an equivalent for. */
    private static final Set<String> UNDERSTOOD = Set.of();

    private OpenAiMapper() {}

    /** Every OpenAI field, own or foreign-but-advisory, can go to an OpenAI-compatible upstream. */
    public static RequestSupport support(String who) {
        return r -> WireChecks.foreign(r, Dialect.OPENAI_CHAT, UNDERSTOOD, who);
    }

    public static ChatCompletionRequest toWire(ChatRequest r, String upstreamModel, boolean stream) {
        boolean legacy = r.origin().spelled(Origin.Spelling.LEGACY_FUNCTIONS);
        List<WireMessage> messages = new ArrayList<>(r.messages().size());
        for (Message m : r.messages()) {
            messages.add(message(m, legacy));
        }
        boolean completionTokens = r.origin().spelled(Origin.Spelling.MAX_COMPLETION_TOKENS);
        List<JsonNode> tools = r.toolUse().any() ? tools(r.toolUse().tools()) : null;
        JsonNode choice = r.toolUse().choice() == null ? null : toolChoice(r.toolUse().choice(), legacy);
        Map<String, JsonNode> extras = r.origin().extrasFor(Dialect.OPENAI_CHAT);
        return new ChatCompletionRequest(
                upstreamModel,
                messages,
                completionTokens ? null : r.maxTokens(),
                completionTokens ? r.maxTokens() : null,
                r.sampling().temperature(),
                r.sampling().topP(),
                r.sampling().topK(),
                stop(r.stop()),
                stream ? Boolean.TRUE : null,
                stream ? new OpenAiWire.StreamOptions(true, null) : null,
                r.output().n(),
                r.user(),
                r.sampling().seed(),
                r.sampling().presencePenalty(),
                r.sampling().frequencyPenalty(),
                responseFormat(r.output().format()),
                legacy ? null : tools,
                legacy ? null : choice,
                r.toolUse().parallelCalls(),
                legacy && tools != null ? tools.stream().map(t -> t.get("function")).toList() : null,
                legacy ? choice : null,
                r.output().logprobs(),
                r.output().topLogprobs(),
                extras.isEmpty() ? null : extras);
    }

    private static WireMessage message(Message m, boolean legacy) {
        List<WireToolCall> calls = null;
        FunctionCall functionCall = null;
        if (!m.toolCalls().isEmpty()) {
            if (legacy) {
                ToolCall c = m.toolCalls().getFirst();
                functionCall = new FunctionCall(c.name(), c.arguments());
            } else {
                calls = new ArrayList<>(m.toolCalls().size());
                for (ToolCall c : m.toolCalls()) {
                    calls.add(new WireToolCall(c.id(), "function", new FunctionCall(c.name(), c.arguments())));
                }
            }
        }
        boolean functionResult = legacy && m.role() == Role.TOOL;
        return new WireMessage(functionResult ? "function" : m.role().wire(), content(m.content()), m.name(), calls,
                functionResult ? null : m.toolCallId(), m.refusal(), functionCall, m.extras().isEmpty() ? null : m.extras());
    }

    /** A lone plain text part travels as a string, which every compatible server takes; anything else as parts. */
    static JsonNode content(List<ContentPart> parts) {
        if (parts.isEmpty()) {
            return null;
        }
        if (parts.size() == 1 && parts.getFirst() instanceof ContentPart.Text t && t.extras().isEmpty()) {
            return TextNode.valueOf(t.text());
        }
        ArrayNode out = NODES.arrayNode(parts.size());
        for (ContentPart p : parts) {
            out.add(part(p));
        }
        return out;
    }

    private static JsonNode part(ContentPart p) {
        return switch (p) {
            case ContentPart.Text t -> withExtras(NODES.objectNode().put("type", "text").put("text", t.text()), t.extras());
            case ContentPart.Image i -> {
                ObjectNode url = NODES.objectNode();
                switch (i.source()) {
                    case ImageSource.Url u -> url.put("url", u.url());
                    case ImageSource.Inline in -> url.putPOJO("url", in.dataUrlJson());
                }
                if (i.detail() != null) {
                    url.put("detail", i.detail());
                }
                ObjectNode part = NODES.objectNode().put("type", "image_url");
                part.set("image_url", url);
                yield withExtras(part, i.extras());
            }
            case ContentPart.Opaque o -> o.raw();
        };
    }

    private static ObjectNode withExtras(ObjectNode node, Map<String, JsonNode> extras) {
        extras.forEach(node::set);
        return node;
    }

    /** Function tools in the OpenAI shape, which Ollama and others take too. */
    public static List<JsonNode> tools(List<Tool> tools) {
        List<JsonNode> out = new ArrayList<>(tools.size());
        for (Tool t : tools) {
            out.add(switch (t) {
                case Tool.Function f -> {
                    ObjectNode fn = NODES.objectNode().put("name", f.name());
                    if (f.description() != null) {
                        fn.put("description", f.description());
                    }
                    if (f.parameters() != null) {
                        fn.set("parameters", f.parameters());
                    }
                    if (f.strict() != null) {
                        fn.put("strict", f.strict());
                    }
                    ObjectNode tool = NODES.objectNode().put("type", "function");
                    tool.set("function", fn);
                    yield tool;
                }
                case Tool.Opaque o -> o.raw();
            });
        }
        return out;
    }

    static JsonNode toolChoice(ToolChoice c, boolean legacy) {
        return switch (c) {
            case ToolChoice.Auto a -> TextNode.valueOf("auto");
            case ToolChoice.None n -> TextNode.valueOf("none");
            case ToolChoice.Required r -> TextNode.valueOf("required");
            case ToolChoice.Named n -> legacy ? NODES.objectNode().put("name", n.name())
                    : named(n.name());
            case ToolChoice.Opaque o -> o.raw();
        };
    }

    private static JsonNode named(String name) {
        ObjectNode choice = NODES.objectNode().put("type", "function");
        choice.putObject("function").put("name", name);
        return choice;
    }

    static JsonNode responseFormat(ResponseFormat f) {
        if (f == null) {
            return null;
        }
        return switch (f) {
            case ResponseFormat.Text t -> NODES.objectNode().put("type", "text");
            case ResponseFormat.JsonObject j -> NODES.objectNode().put("type", "json_object");
            case ResponseFormat.JsonSchema s -> {
                ObjectNode out = NODES.objectNode().put("type", "json_schema");
                ObjectNode schema = out.putObject("json_schema").put("name", s.name());
                if (s.description() != null) {
                    schema.put("description", s.description());
                }
                if (s.schema() != null) {
                    schema.set("schema", s.schema());
                }
                if (s.strict() != null) {
                    schema.put("strict", s.strict());
                }
                yield out;
            }
        };
    }

    private static JsonNode stop(List<String> stop) {
        if (stop.isEmpty()) {
            return null;
        }
        ArrayNode arr = NODES.arrayNode(stop.size());
        stop.forEach(arr::add);
        return arr;
    }

    /** A complete non-streamed answer; an answer without choices is a broken upstream, not an empty reply. */
    public static ChatResponse fromWire(ChatCompletion completion, String provider, String modelId) {
        if (completion.choices() == null || completion.choices().isEmpty()) {
            throw new ModelFailure.Unavailable(provider, modelId, 200, provider + " returned a completion without choices", null);
        }
        List<Choice> choices = new ArrayList<>(completion.choices().size());
        for (int i = 0; i < completion.choices().size(); i++) {
            OpenAiWire.Choice c = completion.choices().get(i);
            if (c == null || c.message() == null) {
                throw new ModelFailure.Unavailable(provider, modelId, 200, provider + " returned a choice without a message", null);
            }
            choices.add(choice(c, i));
        }
        Choice first = choices.getFirst();
        if (choices.size() == 1 && first.finishReason() == FinishReason.CONTENT_FILTER && first.message().text().isEmpty()
                && first.message().refusal() == null && first.message().toolCalls().isEmpty()) {
            throw new ModelFailure.ContentRefused(provider, modelId, 200, provider + " filtered the answer (finish_reason content_filter)");
        }
        Map<String, Object> meta = completion.model() == null ? Map.of() : Map.of("upstream_model", completion.model());
        return new ChatResponse(completion.id(), choices, modelId, provider, usage(completion.usage()), 0, meta,
                Dialect.OPENAI_CHAT, completion.extras());
    }

    private static Choice choice(OpenAiWire.Choice c, int position) {
        OpenAiWire.ResponseMessage m = c.message();
        List<ToolCall> calls = new ArrayList<>(m.toolCalls() == null ? 0 : m.toolCalls().size());
        if (m.toolCalls() != null) {
            for (WireToolCall t : m.toolCalls()) {
                if (t != null && t.function() != null && t.function().name() != null) {
                    calls.add(new ToolCall(t.id(), t.function().name(), t.function().arguments()));
                }
            }
        }
        if (m.functionCall() != null && m.functionCall().name() != null) {
            calls.add(new ToolCall(null, m.functionCall().name(), m.functionCall().arguments()));
        }
        List<ContentPart> content = m.content() == null ? List.of() : List.of(new ContentPart.Text(m.content()));
        Message message = new Message(Role.ASSISTANT, content, null, calls, null, m.refusal(), m.extras());
        return new Choice(c.index() == null ? position : c.index(), message, FinishReason.fromWire(c.finishReason()),
                c.logprobs(), c.extras());
    }

    /**
     * One streamed chunk as deltas, in order; the chunk's own fields beyond the canonical ones go to
     * {@code chunkExtras}. Role-only deltas carry nothing and are not passed on.
     */
    public static void deltas(OpenAiWire.ChatCompletionChunk chunk, Consumer<ChatDelta> out,
                              Map<String, JsonNode> chunkExtras) {
        if (chunk.extras() != null) {
            chunkExtras.putAll(chunk.extras());
        }
        if (chunk.choices() == null) {
            return;
        }
        for (OpenAiWire.ChunkChoice c : chunk.choices()) {
            int index = c.index() == null ? 0 : c.index();
            OpenAiWire.Delta d = c.delta();
            Map<String, JsonNode> extras = merged(d == null ? null : d.extras(), c.extras());
            if (d != null && d.toolCalls() != null) {
                for (OpenAiWire.ToolCallDelta t : d.toolCalls()) {
                    FunctionCall f = t.function();
                    out.accept(ChatDelta.toolCall(index, t.index() == null ? 0 : t.index(), t.id(),
                            f == null ? null : f.name(), f == null ? null : f.arguments()));
                }
            }
            if (d != null && d.functionCall() != null) {
                out.accept(ChatDelta.toolCall(index, 0, null, d.functionCall().name(), d.functionCall().arguments()));
            }
            String text = d == null ? null : d.content();
            String refusal = d == null ? null : d.refusal();
            JsonNode logprobs = c.logprobs() == null || c.logprobs().isNull() ? null : c.logprobs();
            FinishReason finish = c.finishReason() == null ? null : FinishReason.fromWire(c.finishReason());
            if (text != null || refusal != null || logprobs != null || finish != null || !extras.isEmpty()) {
                out.accept(new ChatDelta(index, text, refusal, null, logprobs, finish, extras));
            }
        }
    }

    private static Map<String, JsonNode> merged(Map<String, JsonNode> a, Map<String, JsonNode> b) {
        if ((a == null || a.isEmpty()) && (b == null || b.isEmpty())) {
            return Map.of();
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (a != null) {
            out.putAll(a);
        }
        if (b != null) {
            out.putAll(b);
        }
        return out;
    }

    public static Usage usage(WireUsage u) {
        if (u == null) {
            return Usage.NONE;
        }
        int prompt = u.promptTokens() == null ? 0 : u.promptTokens();
        int completion = u.completionTokens() == null ? 0 : u.completionTokens();
        int total = u.totalTokens() == null ? prompt + completion : u.totalTokens();
        Map<String, JsonNode> extras = u.extras() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(u.extras());
        if (u.cost() != null) {
            extras.put("cost", NODES.numberNode(u.cost())); // OpenRouter's, for a client of the same dialect
        }
        Integer cached = count(extras.get("prompt_tokens_details"), "cached_tokens");
        Integer reasoning = count(extras.get("completion_tokens_details"), "reasoning_tokens");
        return new Usage(prompt, completion, total, u.cost(), cached, null, reasoning, extras);
    }

    private static Integer count(JsonNode details, String field) {
        JsonNode n = details == null ? null : details.get(field);
        return n != null && n.canConvertToInt() ? n.asInt() : null;
    }
}
