package dev.switchboard.manager;

import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.Embeddings;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.Requirements;
import dev.switchboard.model.StreamSink;
import dev.switchboard.model.TokenSink;
import dev.switchboard.routing.Explanation;
import dev.switchboard.routing.Router;
import dev.switchboard.routing.Routing;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Generation: every request is routed (the model named, an alias or a selection by task), with retries, fallback,
 * limits and budgets, and recorded; embeddings go the same way. What the front doors call.
 */
public final class ChatService {
    private final Supplier<Routing> routing;
    private final ModelLifecycle models;

    ChatService(Supplier<Routing> routing, ModelLifecycle models) {
        this.routing = routing;
        this.models = models;
    }

    public ChatResponse generate(ChatRequest request) {
        return generate(request, null);
    }

    /**
     * As {@link #generate(ChatRequest)}, under the caller's request id (the OpenAI API's {@code chatcmpl-} id):
     * the response carries it, the recorded attempts carry it, and feedback names it. Null: one is made up.
     */
    public ChatResponse generate(ChatRequest request, String requestId) {
        return routing.get().route(request, m -> models.instanceFor(m).generate(request), new Router.Progress(requestId));
    }

    public ChatResponse stream(ChatRequest request, TokenSink sink) {
        return stream(request, null, StreamSink.text(sink), m -> { });
    }

    public ChatResponse stream(ChatRequest request, TokenSink sink, Consumer<ModelInfo> servedBy) {
        return stream(request, null, StreamSink.text(sink), servedBy);
    }

    /**
     * Streams the answer into {@code sink}. {@code servedBy} hears which deployment is answering just before its
     * first delta: a failure before that falls back unseen, so only then is the serving model known.
     */
    public ChatResponse stream(ChatRequest request, String requestId, StreamSink sink, Consumer<ModelInfo> servedBy) {
        return routing.get().stream(request, (m, s) -> models.instanceFor(m).stream(request, s), sink, servedBy,
                new Router.Progress(requestId));
    }

    /**
     * Embeds the inputs with a model ({@code provider:model} or a bare id) through the router: its deployments and
     * {@code fallback_models}, retries, limits, budgets, spend and a monitor record, as for chat. A model that does
     * not embed is a 400.
     */
    public Embeddings embed(String modelRef, List<String> inputs) {
        return embed(modelRef, inputs, null);
    }

    public Embeddings embed(String modelRef, List<String> inputs, String requestId) {
        Routing r = routing.get();
        if (modelRef == null || modelRef.isBlank()) {
            throw new InvalidRequestException("model", "is required for embeddings");
        }
        if (inputs == null || inputs.isEmpty()) {
            throw new InvalidRequestException("input", "at least one input is required");
        }
        return r.embed(modelRef, inputs, m -> models.instanceFor(m).embed(inputs), new Router.Progress(requestId));
    }

    /** The ranking and explanation for a set of requirements, calling nothing ({@code POST /select}). */
    public Explanation select(Requirements requirements) {
        return routing.get().select(requirements);
    }
}
