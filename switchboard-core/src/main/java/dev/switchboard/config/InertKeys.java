package dev.switchboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Keys of the seed's configuration that Switchboard accepts, so a seed file loads unchanged, but that change
 * nothing here. Each one a file sets is reported at start, with the reason, instead of being silently ignored.
 * {@code *} in a path stands for any one key (a provider's or a model's name).
 */
final class InertKeys {
    private static final Map<String, String> REASONS = Map.ofEntries(
            Map.entry("model_management.providers.*.auto_quantization",
                    "GGUF files come quantized; Switchboard loads them as they are"),
            Map.entry("model_management.selection_strategy.primary_criteria",
                    "the ranking is the weighted score (therapeutic_safety_weight, performance_weight, cost_weight)"),
            Map.entry("model_management.selection_strategy.fallback_criteria",
                    "the order after a failure follows fallback_config.fallback_strategy"),
            Map.entry("model_management.selection_strategy.algorithm",
                    "the ranking is the weighted score; routing_strategy picks between deployments of one model"),
            Map.entry("model_management.selection_strategy.require_streaming", "every provider streams"),
            Map.entry("model_management.max_total_memory_gb",
                    "local models are fitted against the free RAM and VRAM this machine reports"),
            Map.entry("model_management.models.*.model_path",
                    "in-process models are the GGUF files in providers.local.models_cache_dir"),
            Map.entry("model_management.models.*.revision",
                    "in-process models are pinned by SHA-256 in providers.local.trusted_model_revisions"),
            Map.entry("model_management.models.*.trust_remote_code", "GGUF models run no code of their own"),
            Map.entry("model_management.models.*.max_memory_gb",
                    "a local model's memory need comes from its file and context size"),
            Map.entry("model_management.models.*.max_gpu_memory_gb",
                    "GPU layers are sized by providers.local.gpu_memory_fraction"),
            Map.entry("model_management.models.*.priority",
                    "rank a model with performance_score, or list it in its provider's preferred_models"));

    private InertKeys() {}

    /** Adds a warning for each inert key the configuration sets. */
    static void report(JsonNode root, List<String> warnings) {
        REASONS.keySet().stream().sorted().forEach(path -> find(root, path.split("\\."), 0, "", path, warnings));
    }

    private static void find(JsonNode node, String[] parts, int i, String at, String pattern, List<String> warnings) {
        if (node == null || !node.isObject()) {
            return;
        }
        String part = parts[i];
        boolean last = i == parts.length - 1;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!part.equals("*") && !part.equals(e.getKey())) {
                continue;
            }
            String path = at.isEmpty() ? e.getKey() : at + "." + e.getKey();
            if (last) {
                if (!e.getValue().isNull()) {
                    warnings.add(path + ": accepted for compatibility, has no effect (" + REASONS.get(pattern) + ")");
                }
            } else {
                find(e.getValue(), parts, i + 1, path, pattern, warnings);
            }
        }
    }
}
