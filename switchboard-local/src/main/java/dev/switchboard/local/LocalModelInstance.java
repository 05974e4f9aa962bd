package dev.switchboard.local;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaOutput;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.FinishReason;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ModelStatus;
import dev.switchboard.model.ChatDelta;
import dev.switchboard.model.StreamSink;
import dev.switchboard.model.Usage;
import dev.switchboard.provider.ModelInstance;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A handle on a local model. Each call leases the loaded model from the provider (loading it again if it was
 * evicted), holds it for the whole generation, and streams llama.cpp's tokens as they come.
 */
final class LocalModelInstance implements ModelInstance {
    private final LocalProvider provider;
    private final String modelId;

    LocalModelInstance(LocalProvider provider, String modelId) {
        this.provider = provider;
        this.modelId = modelId;
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public String provider() {
        return provider.name();
    }

    @Override
    public ModelStatus status() {
        return provider.isLoaded(modelId) ? ModelStatus.READY : ModelStatus.AVAILABLE;
    }

    @Override
    public ChatResponse generate(ChatRequest request) {
        return run(request, null);
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamSink sink) {
        return run(request, sink);
    }

    private ChatResponse run(ChatRequest request, StreamSink sink) {
        long started = System.nanoTime();
        Instant deadline = Instant.now().plus(provider.requestTimeout());
        try (LocalProvider.Lease lease = provider.lease(modelId, deadline)) {
            LoadedModel m = lease.model;
            int ctx = m.file.contextSize();
            String prompt;
            int promptTokens;
            try {
                prompt = PromptFormat.render(m.llama, m.hasTemplate, request);
                promptTokens = m.llama.encode(prompt).length + (m.addBos ? 1 : 0);
            } catch (RuntimeException e) { // llama.cpp's LlamaException (not public) for a template it cannot render
                throw new ModelFailure.BadRequest(provider.name(), modelId, 0, "cannot format the conversation for "
                        + modelId + ": " + e.getMessage());
            }
            if (promptTokens >= ctx) {
                throw new ModelFailure.ContextTooLong(provider.name(), modelId, 0, "the prompt is " + promptTokens
                        + " tokens; local model " + modelId + " is loaded with a context of " + ctx);
            }
            int room = ctx - promptTokens;
            int maxTokens = request.maxTokens() == null ? room : Math.min(request.maxTokens(), room);
            InferenceParameters p = new InferenceParameters(prompt).setNPredict(maxTokens).setCachePrompt(false);
            Sampler.apply(request, p);

            long genStart = System.nanoTime();
            StringBuilder text = new StringBuilder();
            int outputs = 0;
            LlamaIterator it = m.llama.generate(p).iterator();
            try {
                while (it.hasNext()) {
                    LlamaOutput out = it.next();
                    outputs++;
                    if (!out.text.isEmpty()) {
                        text.append(out.text);
                        if (sink != null) {
                            sink.accept(ChatDelta.text(0, out.text));
                        }
                    }
                    if (Instant.now().isAfter(deadline)) {
                        throw new ModelFailure.Timeout(provider.name(), modelId, 0, "local model " + modelId
                                + " did not finish within the request timeout of " + provider.requestTimeout().toSeconds() + " s", null);
                    }
                }
            } catch (RuntimeException e) {
                it.cancel(); // a closed client or a timeout: free the slot for the next request
                if (!(e instanceof ModelFailure) && e.getClass().getName().equals("de.kherud.llama.LlamaException")) {
                    throw new ModelFailure.Unavailable(provider.name(), modelId, 0, "llama.cpp failed: " + e.getMessage(), e);
                }
                throw e;
            }
            long genNanos = System.nanoTime() - genStart;
            // Every stream ends with one final output that closes it; the ones before it are the generated tokens.
            int completionTokens = Math.max(0, outputs - 1);
            m.requests.incrementAndGet();
            m.completionTokens.addAndGet(completionTokens);
            m.generationNanos.addAndGet(genNanos);
            double tokensPerSecond = genNanos == 0 ? 0 : completionTokens / (genNanos / 1e9);
            Usage usage = Usage.of(promptTokens, completionTokens);
            usage = usage.withCost(usage.totalTokens() * provider.costPerToken());
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("tokens_per_second", Math.round(tokensPerSecond * 10) / 10.0);
            meta.put("prompt_format", m.hasTemplate ? PromptFormat.CHAT_TEMPLATE : PromptFormat.PLAIN);
            meta.put("gpu_layers", m.gpuLayers);
            FinishReason finish = completionTokens >= maxTokens ? FinishReason.LENGTH : FinishReason.STOP;
            return new ChatResponse("local-" + UUID.randomUUID(), text.toString(), modelId, provider.name(), usage,
                    (System.nanoTime() - started) / 1e6, finish, meta);
        }
    }

    /** The file is still there; an evicted model counts as healthy, it loads again on its next request. */
    @Override
    public boolean healthCheck() {
        return provider.fileExists(modelId);
    }

    @Override
    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loaded", provider.isLoaded(modelId));
        LoadedModel lm = provider.loadedModel(modelId);
        if (lm != null) {
            m.put("load_ms", Math.round(lm.loadMillis));
            m.put("requests", lm.requests.get());
            m.put("completion_tokens", lm.completionTokens.get());
            m.put("tokens_per_second", Double.parseDouble(String.format(Locale.ROOT, "%.1f", lm.tokensPerSecond())));
            m.put("gpu_layers", lm.gpuLayers);
            m.put("context_size", lm.file.contextSize());
        }
        return m;
    }
}
