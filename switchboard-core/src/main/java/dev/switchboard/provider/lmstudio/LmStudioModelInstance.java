package dev.switchboard.provider.lmstudio;

import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ModelStatus;
import dev.switchboard.model.Embeddings;
import dev.switchboard.model.StreamSink;
import dev.switchboard.provider.ModelInstance;
import java.util.Map;

/** The OpenAI-compatible instance, telling the provider how each call went so it can keep loading states current. */
final class LmStudioModelInstance implements ModelInstance {
    private final ModelInstance chat;
    private final LmStudioProvider provider;

    LmStudioModelInstance(ModelInstance chat, LmStudioProvider provider) {
        this.chat = chat;
        this.provider = provider;
    }

    @Override
    public String modelId() {
        return chat.modelId();
    }

    @Override
    public String provider() {
        return chat.provider();
    }

    @Override
    public ModelStatus status() {
        return chat.status();
    }

    @Override
    public ChatResponse generate(ChatRequest request) {
        ChatResponse response;
        try {
            response = chat.generate(request);
        } catch (ModelFailure f) {
            provider.failed(f);
            throw f;
        }
        provider.answered(modelId());
        return response;
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamSink sink) {
        ChatResponse response;
        try {
            response = chat.stream(request, sink);
        } catch (ModelFailure f) {
            provider.failed(f);
            throw f;
        }
        provider.answered(modelId());
        return response;
    }

    @Override
    public Embeddings embed(java.util.List<String> inputs) {
        try {
            return chat.embed(inputs);
        } catch (ModelFailure f) {
            provider.failed(f);
            throw f;
        }
    }

    @Override
    public boolean healthCheck() {
        return chat.healthCheck();
    }

    @Override
    public Map<String, Object> metrics() {
        return chat.metrics();
    }
}
