package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.config.ModelManagementConfig;
import dev.switchboard.json.Json;
import dev.switchboard.manager.ModelManager;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.TokenSink;
import java.util.List;
import java.util.Map;

/** Runs Switchboard in-process from a configuration file, for one command. */
final class EmbeddedBackend implements Backend {
    private final ModelManager manager;

    EmbeddedBackend(ModelManagementConfig config, Map<String, String> env) {
        this.manager = new ModelManager(config, dev.switchboard.manager.ProviderRegistry.discover(), env);
        manager.onLoadProgress(new LoadProgressPrinter(new java.io.PrintWriter(System.err, true)));
        manager.start();
    }

    @Override
    public List<ModelInfo> models(boolean freeOnly, String provider) {
        return manager.models().availableModels(provider, freeOnly);
    }

    @Override
    public ChatResponse generate(ChatRequest request, TokenSink sink) {
        if (!request.stream()) {
            ChatResponse r = manager.chat().generate(request);
            sink.token(r.text());
            return r;
        }
        return manager.chat().stream(request, sink);
    }

    @Override
    public JsonNode status() {
        return Json.mapper().valueToTree(manager.diagnostics().status());
    }

    @Override
    public JsonNode system() {
        return Json.mapper().valueToTree(manager.diagnostics().systemReport());
    }

    @Override
    public JsonNode recommendations(String taskType) {
        return Json.mapper().valueToTree(manager.diagnostics().recommendations(dev.switchboard.model.TaskType.fromWire(taskType)));
    }

    @Override
    public void pull(String provider, String model, dev.switchboard.provider.PullProgress progress) {
        manager.models().pull(provider, model, progress);
    }

    @Override
    public boolean delete(String provider, String model) {
        return manager.models().delete(provider, model);
    }

    @Override
    public void close() {
        manager.stop();
    }
}
