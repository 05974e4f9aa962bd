package dev.switchboard.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.json.Json;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.FinishReason;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.TokenSink;
import dev.switchboard.model.Usage;
import dev.switchboard.provider.HttpModelInstance;
import dev.switchboard.provider.http.HttpErrors;
import dev.switchboard.provider.http.LineStream;
import dev.switchboard.provider.http.SseReader;
import java.util.Map;

/** One model behind an OpenAI-compatible endpoint. */
final class OpenAiModelInstance extends HttpModelInstance<OpenAiCompatibleProvider> {
    /** How long to wait for the body to end after [DONE], so the connection can go back to the pool. */
    private static final java.time.Duration END_GRACE = java.time.Duration.ofMillis(250);

    OpenAiModelInstance(OpenAiCompatibleProvider provider, String modelId) {
        super(provider, modelId);
    }

    @Override
    public ChatResponse generate(ChatRequest request) {
        byte[] body = Json.bytes(OpenAiMapper.toWire(request, modelId, false, false));
        return counted(() -> OpenAiMapper.fromWire(post(provider.chatUri(), provider.headers(), body, provider.requestTimeout(),
                OpenAiWire.ChatCompletion.class), provider.name(), modelId));
    }

    @Override
    public ChatResponse stream(ChatRequest request, TokenSink sink) {
        byte[] body = Json.bytes(OpenAiMapper.toWire(request, modelId, true, true));
        return counted(() -> {
            try (LineStream lines = openStream(provider.chatUri(), provider.headers(), body, provider.requestTimeout())) {
                return answeredWithJson(lines) ? unstreamed(lines.drain(), sink) : readStream(lines, sink);
            }
        });
    }

    /** Some servers ignore {@code stream: true} and answer with one JSON body: pass it on as a single chunk. */
    private ChatResponse unstreamed(String body, TokenSink sink) {
        ChatResponse r = OpenAiMapper.fromWire(provider.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                OpenAiWire.ChatCompletion.class, modelId), provider.name(), modelId);
        if (!r.text().isEmpty()) {
            sink.token(r.text());
        }
        return r;
    }

    private ChatResponse readStream(LineStream lines, TokenSink sink) {
        SseReader sse = new SseReader(lines);
        StringBuilder text = new StringBuilder();
        Usage usage = Usage.NONE;
        String finish = null;
        String id = null;
        boolean done = false;
        SseReader.Event event;
        while ((event = sse.next()) != null) {
            String data = event.data();
            if ("[DONE]".equals(data.strip())) {
                done = true;
                lines.finish(END_GRACE);
                break;
            }
            OpenAiWire.ChatCompletionChunk chunk = provider.parse(data.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    OpenAiWire.ChatCompletionChunk.class, modelId);
            if (chunk.error() != null && !chunk.error().isNull()) {
                throw midStreamError(chunk.error(), data);
            }
            if (id == null) {
                id = chunk.id();
            }
            if (chunk.choices() != null && !chunk.choices().isEmpty()) {
                OpenAiWire.ChunkChoice choice = chunk.choices().getFirst();
                if (choice.delta() != null && choice.delta().content() != null && !choice.delta().content().isEmpty()) {
                    text.append(choice.delta().content());
                    sink.token(choice.delta().content());
                }
                if (choice.finishReason() != null) {
                    finish = choice.finishReason();
                }
            }
            if (chunk.usage() != null) {
                usage = OpenAiMapper.usage(chunk.usage());
            }
        }
        if (!done && finish == null) {
            throw new ModelFailure.Unavailable(provider.name(), modelId, 200,
                    provider.name() + " ended the stream before the answer was complete (no finish_reason, no [DONE])", null);
        }
        FinishReason reason = FinishReason.fromWire(finish);
        if (reason == FinishReason.CONTENT_FILTER && text.isEmpty()) {
            throw new ModelFailure.ContentRefused(provider.name(), modelId, 200, provider.name() + " refused the request");
        }
        return new ChatResponse(id, text.toString(), modelId, provider.name(), usage, 0, reason, Map.of());
    }

    /** An error event after the stream started (OpenRouter does this): the HTTP status was already 200. */
    private ModelFailure midStreamError(JsonNode error, String data) {
        JsonNode code = error.path("code");
        int status = code.canConvertToInt() && code.asInt() >= 400 && code.asInt() < 600 ? code.asInt() : 502;
        return HttpErrors.classify(provider.name(), modelId, status, h -> null, data, provider.redact());
    }
}
