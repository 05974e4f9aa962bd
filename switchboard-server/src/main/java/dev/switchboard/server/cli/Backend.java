package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.TokenSink;
import java.util.List;

/** What the CLI needs from Switchboard: a running service over HTTP, or an embedded one from a config file. */
interface Backend extends AutoCloseable {
    List<ModelInfo> models(boolean freeOnly, String provider);

    ChatResponse generate(ChatRequest request, TokenSink sink);

    JsonNode status();

    /** {@code GET /api/v1/models/system}: this machine, its tiers, how models fit. */
    JsonNode system();

    /** {@code GET /api/v1/models/recommendations/details?task_type=}: installed models that fit first, then the seed's list. */
    JsonNode recommendations(String taskType);

    /** Downloads a model into a provider's store, reporting each progress line; returns when it is complete. */
    void pull(String provider, String model, dev.switchboard.provider.PullProgress progress);

    /** Deletes a downloaded model; false when the provider does not have it. */
    boolean delete(String provider, String model);

    @Override
    void close();
}
