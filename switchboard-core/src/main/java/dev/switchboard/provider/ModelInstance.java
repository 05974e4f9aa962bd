package dev.switchboard.provider;

import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.ModelStatus;
import dev.switchboard.model.StreamSink;
import java.util.Map;

/** A model ready to generate. Calls block; failures are {@link dev.switchboard.model.ModelFailure}s. */
public interface ModelInstance {
    String modelId();

    String provider();

    ModelStatus status();

    ChatResponse generate(ChatRequest request);

    /**
     * Streams the answer into {@code sink} as it arrives (text, tool-call fragments, finish reasons, per choice) and
     * returns the finished response, which equals what the deltas reassemble to, with usage. An exception from the
     * sink aborts the upstream request and propagates.
     */
    ChatResponse stream(ChatRequest request, StreamSink sink);

    /**
     * Embeds each input, in order. Models that cannot embed keep this default, which the APIs answer with a 400.
     */
    default dev.switchboard.model.Embeddings embed(java.util.List<String> inputs) {
        throw new dev.switchboard.model.InvalidRequestException("model", "model '" + modelId() + "' of provider '"
                + provider() + "' does not support embeddings");
    }

    /** A cheap check that the instance can still serve (no billable call). */
    boolean healthCheck();

    Map<String, Object> metrics();
}
