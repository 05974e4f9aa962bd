package dev.switchboard.provider.anthropic;

import dev.switchboard.json.Json;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.TokenSink;
import dev.switchboard.provider.HttpModelInstance;
import dev.switchboard.provider.anthropic.AnthropicWire.StreamEvent;
import dev.switchboard.provider.anthropic.AnthropicWire.WireUsage;
import dev.switchboard.provider.http.HttpErrors;
import dev.switchboard.provider.http.LineStream;
import dev.switchboard.provider.http.SseReader;
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
        return counted(() -> AnthropicMapper.fromWire(post(provider.messagesUri(), provider.headers(), body,
                provider.requestTimeout(), AnthropicWire.Message.class), provider.name(), modelId));
    }

    @Override
    public ChatResponse stream(ChatRequest request, TokenSink sink) {
        byte[] body = Json.bytes(AnthropicMapper.toWire(request, modelId, provider.defaultMaxTokens(), true));
        return counted(() -> {
            try (LineStream lines = openStream(provider.messagesUri(), provider.headers(), body, provider.requestTimeout())) {
                return answeredWithJson(lines) ? unstreamed(lines.drain(), sink) : readStream(lines, sink);
            }
        });
    }

    /** A proxy that ignores {@code stream: true} answers with one JSON message: pass it on as a single chunk. */
    private ChatResponse unstreamed(String body, TokenSink sink) {
        ChatResponse r = AnthropicMapper.fromWire(provider.parse(body.getBytes(StandardCharsets.UTF_8),
                AnthropicWire.Message.class, modelId), provider.name(), modelId);
        if (!r.text().isEmpty()) {
            sink.token(r.text());
        }
        return r;
    }

    private ChatResponse readStream(LineStream lines, TokenSink sink) {
        SseReader sse = new SseReader(lines);
        StringBuilder text = new StringBuilder();
        WireUsage usage = null;
        String id = null;
        String stopReason = null;
        SseReader.Event event;
        while ((event = sse.next()) != null) {
            StreamEvent e = provider.parse(event.data().getBytes(StandardCharsets.UTF_8), StreamEvent.class, modelId);
            switch (e.type() != null ? e.type() : event.type()) {
                case "message_start" -> {
                    if (e.message() != null) {
                        id = e.message().id();
                        usage = AnthropicMapper.latest(usage, e.message().usage());
                    }
                }
                case "content_block_delta" -> {
                    // Only text deltas are answer text; thinking, signature and tool-input deltas are not.
                    if (e.delta() != null && "text_delta".equals(e.delta().type())
                            && e.delta().text() != null && !e.delta().text().isEmpty()) {
                        text.append(e.delta().text());
                        sink.token(e.delta().text());
                    }
                }
                case "message_delta" -> {
                    if (e.delta() != null && e.delta().stopReason() != null) {
                        stopReason = e.delta().stopReason();
                    }
                    usage = AnthropicMapper.latest(usage, e.usage());
                }
                case "error" -> throw midStreamError(e, event.data());
                case "message_stop" -> {
                    lines.finish(END_GRACE);
                    return AnthropicMapper.response(id, text.toString(), stopReason, AnthropicMapper.usage(usage),
                            provider.name(), modelId);
                }
                default -> { } // ping, content_block_start/stop, and event types added in later API versions
            }
        }
        throw new ModelFailure.Unavailable(provider.name(), modelId, 200,
                provider.name() + " ended the stream before the answer was complete (no message_stop)", null);
    }

    /** An error event after the 200 head (overload, mostly): classified as if it had been the status it names. */
    private ModelFailure midStreamError(StreamEvent e, String data) {
        int status = AnthropicMapper.statusOf(e.error() == null ? null : e.error().type());
        return HttpErrors.classify(provider.name(), modelId, status, h -> null, data, provider.redact());
    }
}
