package dev.switchboard.provider.anthropic;

import dev.switchboard.json.Json;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.StreamAccumulator;
import dev.switchboard.model.StreamSink;
import dev.switchboard.provider.HttpModelInstance;
import dev.switchboard.provider.WireChecks;
import dev.switchboard.provider.anthropic.AnthropicWire.StreamEvent;
import dev.switchboard.provider.http.HttpErrors;
import dev.switchboard.provider.http.LineStream;
import dev.switchboard.provider.http.SseReader;
import dev.switchboard.model.Dialect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** One model behind a Messages API endpoint. Holds no connection of its own; loading it is free. */
final class AnthropicModelInstance extends HttpModelInstance<AnthropicProvider> {
    /** How long to wait for the body to end after message_stop, so the connection can go back to the pool. */
    private static final Duration END_GRACE = Duration.ofMillis(250);

    AnthropicModelInstance(AnthropicProvider provider, String modelId) {
        super(provider, modelId);
    }

    @Override
    public ChatResponse generate(ChatRequest request) {
        // A conversation the API cannot take is refused here, before anything is sent or counted.
        byte[] body = Json.bytes(AnthropicMapper.toWire(request, modelId, provider.defaultMaxTokens(), false));
        String jsonTool = AnthropicMapper.jsonTool(request);
        return counted(() -> noted(request, AnthropicAnswers.fromWire(post(provider.messagesUri(), provider.headers(), body,
                provider.requestTimeout(), AnthropicWire.Message.class), provider.name(), modelId, jsonTool)));
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamSink sink) {
        byte[] body = Json.bytes(AnthropicMapper.toWire(request, modelId, provider.defaultMaxTokens(), true));
        String jsonTool = AnthropicMapper.jsonTool(request);
        return counted(() -> {
            try (LineStream lines = openStream(provider.messagesUri(), provider.headers(), body, provider.requestTimeout())) {
                return noted(request, answeredWithJson(lines) ? unstreamed(lines.drain(), sink, jsonTool)
                        : readStream(lines, sink, jsonTool));
            }
        });
    }

    private static ChatResponse noted(ChatRequest request, ChatResponse r) {
        return WireChecks.noted(request, r, Dialect.ANTHROPIC_MESSAGES);
    }

    /** A proxy that ignores {@code stream: true} answers with one JSON message: pass it on as deltas. */
    private ChatResponse unstreamed(String body, StreamSink sink, String jsonTool) {
        ChatResponse r = AnthropicAnswers.fromWire(provider.parse(body.getBytes(StandardCharsets.UTF_8),
                AnthropicWire.Message.class, modelId), provider.name(), modelId, jsonTool);
        StreamAccumulator.replay(r, sink);
        return r;
    }

    private ChatResponse readStream(LineStream lines, StreamSink sink, String jsonTool) {
        SseReader sse = new SseReader(lines);
        AnthropicStream stream = new AnthropicStream(jsonTool, sink::accept);
        SseReader.Event event;
        while ((event = sse.next()) != null) {
            StreamEvent e = provider.parse(event.data().getBytes(StandardCharsets.UTF_8), StreamEvent.class, modelId);
            String type = e.type() != null ? e.type() : event.type();
            if ("error".equals(type)) {
                throw midStreamError(e, event.data());
            }
            if (stream.accept(type, e)) {
                lines.finish(END_GRACE);
                return stream.response(provider.name(), modelId);
            }
        }
        throw new ModelFailure.Unavailable(provider.name(), modelId, 200,
                provider.name() + " ended the stream before the answer was complete (no message_stop)", null);
    }

    /** An error event after the 200 head (overload, mostly): classified as if it had been the status it names. */
    private ModelFailure midStreamError(StreamEvent e, String data) {
        int status = AnthropicAnswers.statusOf(e.error() == null ? null : e.error().type());
        return HttpErrors.classify(provider.name(), modelId, status, h -> null, data, provider.redact());
    }
}
