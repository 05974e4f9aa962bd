package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.json.Json;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.Dialect;
import dev.switchboard.model.Embeddings;
import dev.switchboard.model.FinishReason;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.StreamAccumulator;
import dev.switchboard.model.StreamSink;
import dev.switchboard.model.Usage;
import dev.switchboard.provider.CallKeys;
import dev.switchboard.provider.HttpModelInstance;
import dev.switchboard.provider.http.HttpErrors;
import dev.switchboard.provider.http.LineStream;
import dev.switchboard.provider.http.SseReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One model behind an OpenAI-compatible endpoint: chat (JSON or SSE) and embeddings. */
final class OpenAiModelInstance extends HttpModelInstance<OpenAiCompatibleProvider> {
    /** How long to wait for the body to end after [DONE], so the connection can go back to the pool. */
    private static final java.time.Duration END_GRACE = java.time.Duration.ofMillis(250);

    OpenAiModelInstance(OpenAiCompatibleProvider provider, String modelId) {
        super(provider, modelId);
    }

    @Override
    public ChatResponse generate(ChatRequest request) {
        byte[] body = Json.bytes(OpenAiMapper.toWire(request, modelId, false));
        CallKeys keys = provider.keysFor(request.caller());
        return counted(keys.caller(), () -> OpenAiMapper.fromWire(post(provider.chatUri(), keys, body,
                provider.requestTimeout(), OpenAiWire.ChatCompletion.class), provider.name(), modelId));
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamSink sink) {
        byte[] body = Json.bytes(OpenAiMapper.toWire(request, modelId, true));
        CallKeys keys = provider.keysFor(request.caller());
        return counted(keys.caller(), () -> {
            try (LineStream lines = openStream(provider.chatUri(), keys, body, provider.requestTimeout())) {
                return answeredWithJson(lines) ? unstreamed(lines.drain(), sink) : readStream(lines, sink, keys);
            }
        });
    }

    /** Some servers ignore {@code stream: true} and answer with one JSON body: pass it on as deltas. */
    private ChatResponse unstreamed(String body, StreamSink sink) {
        ChatResponse r = OpenAiMapper.fromWire(provider.parse(body.getBytes(StandardCharsets.UTF_8),
                OpenAiWire.ChatCompletion.class, modelId), provider.name(), modelId);
        StreamAccumulator.replay(r, sink);
        return r;
    }

    private ChatResponse readStream(LineStream lines, StreamSink sink, CallKeys keys) {
        SseReader sse = new SseReader(lines);
        StreamAccumulator answer = new StreamAccumulator();
        Map<String, JsonNode> extras = new LinkedHashMap<>();
        Usage usage = Usage.NONE;
        String id = null;
        String upstreamModel = null;
        boolean done = false;
        SseReader.Event event;
        while ((event = sse.next()) != null) {
            String data = event.data();
            if ("[DONE]".equals(data.strip())) {
                done = true;
                lines.finish(END_GRACE);
                break;
            }
            OpenAiWire.ChatCompletionChunk chunk = provider.parse(data.getBytes(StandardCharsets.UTF_8),
                    OpenAiWire.ChatCompletionChunk.class, modelId);
            if (chunk.error() != null && !chunk.error().isNull()) {
                throw midStreamError(chunk.error(), data, keys);
            }
            id = id == null ? chunk.id() : id;
            upstreamModel = upstreamModel == null ? chunk.model() : upstreamModel;
            OpenAiMapper.deltas(chunk, d -> {
                answer.add(d);
                sink.accept(d);
            }, extras);
            if (chunk.usage() != null) {
                usage = OpenAiMapper.usage(chunk.usage());
            }
        }
        if (!done && !answer.finished()) {
            throw new ModelFailure.Unavailable(provider.name(), modelId, 200,
                    provider.name() + " ended the stream before the answer was complete (no finish_reason, no [DONE])", null);
        }
        ChatResponse r = answer.response(id, modelId, provider.name(), usage, Dialect.OPENAI_CHAT, extras);
        if (r.choices().size() == 1 && r.finishReason() == FinishReason.CONTENT_FILTER && !answer.hasOutput()) {
            throw new ModelFailure.ContentRefused(provider.name(), modelId, 200, provider.name() + " filtered the answer");
        }
        return upstreamModel == null ? r : r.withMetadata("upstream_model", upstreamModel);
    }

    /** An error event after the stream started (OpenRouter does this): the HTTP status was already 200. */
    private ModelFailure midStreamError(JsonNode error, String data, CallKeys keys) {
        JsonNode code = error.path("code");
        int status = code.canConvertToInt() && code.asInt() >= 400 && code.asInt() < 600 ? code.asInt() : 502;
        return HttpErrors.classify(provider.name(), modelId, status, h -> null, data, keys.redact());
    }

    @Override
    public Embeddings embed(List<String> inputs) {
        byte[] body = Json.bytes(new OpenAiWire.EmbeddingRequest(modelId, inputs, null));
        return counted(() -> {
            OpenAiWire.EmbeddingResponse e = post(provider.embeddingsUri(), provider.headers(), body, provider.requestTimeout(),
                    OpenAiWire.EmbeddingResponse.class);
            return new Embeddings(modelId, provider.name(), inOrder(e, inputs.size()), OpenAiMapper.usage(e.usage()));
        });
    }

    /** The vectors by input position; a list that does not match the inputs one to one is a broken upstream. */
    private List<double[]> inOrder(OpenAiWire.EmbeddingResponse e, int inputs) {
        double[][] vectors = new double[inputs][];
        int n = e.data() == null ? 0 : e.data().size();
        for (int i = 0; i < n; i++) {
            OpenAiWire.EmbeddingItem item = e.data().get(i);
            int at = item == null || item.index() == null ? i : item.index();
            if (item == null || at < 0 || at >= inputs || item.embedding() == null || vectors[at] != null) {
                n = -1;
                break;
            }
            vectors[at] = item.embedding();
        }
        if (n != inputs) {
            throw new ModelFailure.Unavailable(provider.name(), modelId, 200, provider.name()
                    + " returned embeddings that do not match the " + inputs + " input(s) one to one", null);
        }
        return List.of(vectors);
    }
}
