package dev.switchboard.hardware;

import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ModelStatus;
import dev.switchboard.model.ProviderType;
import dev.switchboard.model.ChatDelta;
import dev.switchboard.model.StreamSink;
import dev.switchboard.model.UnknownModelException;
import dev.switchboard.model.Usage;
import dev.switchboard.provider.Health;
import dev.switchboard.provider.ModelFilter;
import dev.switchboard.provider.ModelInstance;
import dev.switchboard.provider.ModelProvider;
import dev.switchboard.provider.ProviderFactory;
import dev.switchboard.provider.ProviderSettings;
import dev.switchboard.provider.ProviderStatus;
import java.util.List;
import java.util.Map;

/** An in-process ({@code local}) provider with a fixed catalog that answers "name: prompt"; no native code. */
public final class FakeLocalProvider implements ModelProvider {
    private final List<ModelInfo> models;
    private String name = "local";

    public FakeLocalProvider(List<ModelInfo> models) {
        this.models = models;
    }

    /** A GGUF-like model: parameter count and quantization as a GGUF header gives them. */
    public static ModelInfo gguf(String id, long parameters, String fileType, Boolean loaded) {
        return ModelInfo.builder(id, ProviderType.LOCAL, "local").free(true).costPerToken(0.0).contextLength(4096)
                .capabilities(List.of("chat")).loaded(loaded)
                .detail(RequirementEstimator.PARAMETER_COUNT, Long.toString(parameters))
                .detail(RequirementEstimator.FILE_TYPE, fileType).build();
    }

    public static ProviderFactory factory(List<ModelInfo> models) {
        return new ProviderFactory() {
            @Override
            public String kind() {
                return "local";
            }

            @Override
            public ModelProvider create() {
                return new FakeLocalProvider(models);
            }
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ProviderType type() {
        return ProviderType.LOCAL;
    }

    @Override
    public void initialize(ProviderSettings settings) {
        name = settings.name();
    }

    @Override
    public List<ModelInfo> availableModels(ModelFilter filter) {
        return models;
    }

    @Override
    public ModelInstance load(String modelId, Map<String, Object> options) {
        ModelInfo m = models.stream().filter(x -> x.modelId().equals(modelId)).findFirst()
                .orElseThrow(() -> new UnknownModelException("no model " + modelId));
        return new ModelInstance() {
            @Override
            public String modelId() {
                return m.modelId();
            }

            @Override
            public String provider() {
                return name;
            }

            @Override
            public ModelStatus status() {
                return ModelStatus.READY;
            }

            @Override
            public ChatResponse generate(ChatRequest request) {
                String text = m.modelId() + ": " + request.messages().getLast().text();
                return new ChatResponse(null, text, m.modelId(), name, Usage.of(1, 1), 0, null, null);
            }

            @Override
            public ChatResponse stream(ChatRequest request, StreamSink sink) {
                ChatResponse r = generate(request);
                sink.accept(ChatDelta.text(0, r.text()));
                return r;
            }

            @Override
            public boolean healthCheck() {
                return true;
            }

            @Override
            public Map<String, Object> metrics() {
                return Map.of();
            }
        };
    }

    @Override
    public boolean unload(String modelId) {
        return true;
    }

    @Override
    public Health healthCheck() {
        return Health.ok("fake");
    }

    @Override
    public ProviderStatus status() {
        return new ProviderStatus(name, ProviderType.LOCAL, null, true, true, 0, models.size(), null, null, List.of(), null);
    }

    @Override
    public void close() {
    }
}
