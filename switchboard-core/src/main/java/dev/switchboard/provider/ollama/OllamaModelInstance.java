package dev.switchboard.provider.ollama;

import dev.switchboard.json.Json;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.Embeddings;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ChatDelta;
import dev.switchboard.model.Choice;
import dev.switchboard.model.StreamAccumulator;
import dev.switchboard.model.StreamSink;
import dev.switchboard.model.Usage;
import dev.switchboard.model.Dialect;
import dev.switchboard.provider.HttpModelInstance;
import dev.switchboard.provider.WireChecks;
import dev.switchboard.provider.http.HttpCall;
import dev.switchboard.provider.http.HttpResult;
import dev.switchboard.provider.http.LineStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** One model in Ollama: chat over {@code /api/chat} (NDJSON when streamed) and embeddings over {@code /api/embed}. */
final class OllamaModelInstance extends HttpModelInstance<OllamaProvider> {
    private static final Duration END_GRACE = Duration.ofMillis(250);

    OllamaModelInstance(OllamaProvider provider, String modelId) {
        super(provider, modelId);
    }

    @Override
    public ChatResponse generate(ChatRequest request) {
        byte[] body = Json.bytes(OllamaChatMapper.toWire(request, modelId, false, provider.keepAlive()));
        return call(() -> {
            HttpResult r = provider.send(HttpCall.post(provider.uri("/api/chat"), provider.headers(), body,
                    provider.requestTimeout()), modelId);
            OllamaWire.ChatChunk c = provider.parse(r.body(), OllamaWire.ChatChunk.class, modelId);
            if (c.error() != null) {
                throw errorLine(c.error());
            }
            StreamAccumulator answer = new StreamAccumulator();
            OllamaChatMapper.deltas(c, 0, answer::add);
            return WireChecks.noted(request, finished(answer, c), Dialect.OLLAMA);
        });
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamSink sink) {
        byte[] body = Json.bytes(OllamaChatMapper.toWire(request, modelId, true, provider.keepAlive()));
        return call(() -> {
            try (LineStream lines = provider.transport().stream(HttpCall.post(provider.uri("/api/chat"),
                    provider.headers(), body, provider.requestTimeout()), ctx)) {
                if (lines.status() < 200 || lines.status() >= 300) {
                    throw provider.failure(modelId, lines.status(), lines.header(), lines.drain());
                }
                StreamAccumulator answer = new StreamAccumulator();
                int[] calls = {0};
                String line;
                while ((line = lines.nextLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    OllamaWire.ChatChunk c = provider.parse(line.getBytes(StandardCharsets.UTF_8), OllamaWire.ChatChunk.class, modelId);
                    if (c.error() != null) {
                        throw errorLine(c.error());
                    }
                    OllamaChatMapper.deltas(c, calls[0], d -> {
                        if (d.toolCall() != null) {
                            calls[0]++;
                        }
                        answer.add(d);
                        sink.accept(d);
                    });
                    if (Boolean.TRUE.equals(c.done())) {
                        lines.finish(END_GRACE);
                        ChatResponse r = WireChecks.noted(request, finished(answer, c), Dialect.OLLAMA);
                        sink.accept(ChatDelta.finish(0, r.finishReason()));
                        return r;
                    }
                }
                throw new ModelFailure.Unavailable(provider.name(), modelId, 200,
                        provider.name() + " ended the stream before the answer was complete (no done:true)", null);
            }
        });
    }

    /** The answer the deltas make up, ended the way the final object says. */
    private ChatResponse finished(StreamAccumulator answer, OllamaWire.ChatChunk last) {
        Choice c = answer.choices().getFirst();
        Choice ended = new Choice(0, c.message(), OllamaChatMapper.finish(last, !c.message().toolCalls().isEmpty()), null, null);
        return OllamaChatMapper.response(List.of(ended), last, provider.name(), modelId);
    }

    @Override
    public Embeddings embed(List<String> inputs) {
        if (inputs == null || inputs.isEmpty()) {
            throw new InvalidRequestException("input", "at least one input is required");
        }
        byte[] body = Json.bytes(new OllamaWire.EmbedRequest(modelId, inputs, provider.keepAlive()));
        try {
            HttpResult r = provider.send(HttpCall.post(provider.uri("/api/embed"), provider.headers(), body,
                    provider.requestTimeout()), modelId);
            OllamaWire.EmbedResponse e = provider.parse(r.body(), OllamaWire.EmbedResponse.class, modelId);
            if (e.error() != null) {
                throw errorLine(e.error());
            }
            if (e.embeddings() == null || e.embeddings().size() != inputs.size()) {
                throw new ModelFailure.Unavailable(provider.name(), modelId, 200, provider.name() + " returned "
                        + (e.embeddings() == null ? 0 : e.embeddings().size()) + " embeddings for " + inputs.size() + " inputs", null);
            }
            int tokens = e.promptEvalCount() == null ? 0 : e.promptEvalCount();
            provider.observe(null);
            return new Embeddings(modelId, provider.name(), e.embeddings(), new Usage(tokens, 0, tokens, null));
        } catch (ModelFailure f) {
            provider.observe(f);
            if (f.upstreamStatus() == 404) {
                provider.refreshQuietly();
            }
            throw f;
        }
    }

    /** Counts the call; a model Ollama no longer has drops out of the listing. */
    private ChatResponse call(Supplier<ChatResponse> call) {
        try {
            return counted(call);
        } catch (ModelFailure f) {
            if (f.upstreamStatus() == 404) {
                provider.refreshQuietly();
            }
            throw f;
        }
    }

    /**
     * A JSON line with {@code error} (mid-stream, or instead of an answer): Ollama hit trouble running the model.
     * Classified as a server error so the message still tells context overflows apart.
     */
    private ModelFailure errorLine(String error) {
        return provider.failure(modelId, 500, h -> null, "{\"error\":" + Json.string(error) + "}");
    }
}
