package dev.switchboard.hardware;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.TaskType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The seed's {@code recommend_models}: a list by available RAM (≥32, ≥16, ≥8 GB, below that cloud only), GPU
 * models put first by total VRAM (≥24, ≥12, ≥6 GB), then the task's favourites first for narrative, therapeutic and
 * dialogue tasks; top ten. Ahead of that list go the models this installation actually has (local GGUF files,
 * Ollama and LM Studio models) that fit the machine now, GPU fits first, then the task's favoured families, then the
 * largest. Pure: the caller passes the hardware and the catalog.
 */
public final class Recommender {
    public static final int LIMIT = 10;

    private Recommender() {}

    /** One recommended model. {@code provider} is null when no configured provider lists it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Recommendation(String modelId, String provider, boolean present, boolean local, boolean compatible,
                                 ModelRequirements requirements, List<String> warnings, String reason) {
        public Recommendation {
            warnings = warnings == null ? List.of() : List.copyOf(warnings);
        }
    }

    /** The tiers this machine falls in, with what each means. */
    public record Tiers(String ramTier, String gpuTier, double ramGb, double vramGb, String description) {}

    public record Recommendations(String taskType, Tiers tiers, List<Recommendation> models) {
        public Recommendations {
            models = List.copyOf(models);
        }

        /** The model ids in order: the seed's {@code recommend_models} answer. */
        @com.fasterxml.jackson.annotation.JsonProperty("recommendations")
        public List<String> ids() {
            return models.stream().map(Recommendation::modelId).toList();
        }
    }

    public static Tiers tiers(HardwareInfo hw) {
        double ram = hw.availableRamGb();
        double vram = gpuMemoryGb(hw);
        String ramTier = ram >= 32 ? "high_end" : ram >= 16 ? "mid_range" : ram >= 8 ? "low_end" : "cloud_only";
        String gpuTier = vram >= 24 ? "high_vram" : vram >= 12 ? "medium_vram" : vram >= 6 ? "low_vram" : "none";
        String ramText = switch (ramTier) {
            case "high_end" -> "large models (up to 70B with a GPU)";
            case "mid_range" -> "medium models (7B-8B)";
            case "low_end" -> "small models (2B-4B)";
            default -> "too little free RAM for local models: cloud models only";
        };
        String gpuText = switch (gpuTier) {
            case "high_vram" -> "; the GPU takes 70B-class models quantized";
            case "medium_vram" -> "; the GPU takes 7B-14B models";
            case "low_vram" -> "; the GPU takes small to 7B models";
            default -> hw.hasGpu() ? "; the GPU has under 6 GB" : "; no GPU";
        };
        return new Tiers(ramTier, gpuTier, round2(ram), round2(vram), ramText + gpuText);
    }

    /**
     * Memory a GPU can give a model, for the VRAM tiers: dedicated VRAM in total (as the seed counts it); on a
     * unified-memory machine three quarters of the RAM, what macOS lets the GPU take by default.
     */
    static double gpuMemoryGb(HardwareInfo hw) {
        double dedicated = hw.totalVramGb();
        if (dedicated > 0) {
            return dedicated;
        }
        return hw.gpus().stream().anyMatch(GpuInfo::unifiedMemory) ? hw.totalRamGb() * 0.75 : 0;
    }

    /** The seed's list for this machine and task, with why each entry is there, in order. */
    static LinkedHashMap<String, String> seedList(HardwareInfo hw, TaskType task) {
        List<String> list = new ArrayList<>();
        Map<String, String> why = new LinkedHashMap<>();
        double ram = hw.availableRamGb();
        String tier;
        if (ram >= 32) {
            tier = "≥32 GB RAM available";
            list.addAll(List.of("meta-llama/llama-3.1-70b-instruct", "meta-llama/llama-3.1-8b-instruct",
                    "mistralai/mixtral-8x7b-instruct", "qwen/qwen2.5-14b-instruct"));
        } else if (ram >= 16) {
            tier = "≥16 GB RAM available";
            list.addAll(List.of("meta-llama/llama-3.1-8b-instruct", "qwen/qwen2.5-7b-instruct",
                    "microsoft/phi-3-medium-4k-instruct", "mistralai/mistral-7b-instruct"));
        } else if (ram >= 8) {
            tier = "≥8 GB RAM available";
            list.addAll(List.of("qwen/qwen2.5-3b-instruct", "microsoft/phi-3-mini-4k-instruct", "google/gemma-2b-it"));
        } else {
            tier = "under 8 GB RAM available: cloud";
            list.addAll(List.of("openrouter/free-models", "meta-llama/llama-3.1-8b-instruct:free"));
        }
        list.forEach(id -> why.put(id, tier));
        double vram = hw.hasGpu() ? gpuMemoryGb(hw) : 0;
        if (vram >= 24) {
            list.addFirst("meta-llama/llama-3.1-70b-instruct");
            why.put("meta-llama/llama-3.1-70b-instruct", "GPU with ≥24 GB");
        } else if (vram >= 12) {
            list.add(0, "meta-llama/llama-3.1-8b-instruct");
            list.add(1, "qwen/qwen2.5-14b-instruct");
            why.put("meta-llama/llama-3.1-8b-instruct", "GPU with ≥12 GB");
            why.put("qwen/qwen2.5-14b-instruct", "GPU with ≥12 GB");
        } else if (vram >= 6) {
            list.addFirst("qwen/qwen2.5-7b-instruct");
            why.put("qwen/qwen2.5-7b-instruct", "GPU with ≥6 GB");
        }
        List<String> favoured = favoured(task);
        if (!favoured.isEmpty()) {
            List<String> reordered = new ArrayList<>(favoured);
            list.stream().filter(m -> !favoured.contains(m)).forEach(reordered::add);
            list = reordered;
            favoured.forEach(m -> why.put(m, "favoured for " + task.wire()));
        }
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        for (String m : list) {
            out.putIfAbsent(m, why.get(m));
        }
        return out;
    }

    /**
     * The seed's {@code recommend_models} answer, exactly its rule: the RAM tier's list, the GPU's picks put first,
     * the task's favourites ahead of the rest, duplicates dropped, the first ten. Installed models are not in it
     * (they lead {@link #recommend}'s list).
     */
    public static List<String> seedRecommendations(HardwareInfo hw, TaskType task) {
        List<String> ids = new ArrayList<>(seedList(hw, task).keySet());
        return List.copyOf(ids.subList(0, Math.min(LIMIT, ids.size())));
    }

    /** The seed's task-specific favourites, best first. */
    static List<String> favoured(TaskType task) {
        return switch (task) {
            case NARRATIVE_GENERATION -> List.of("anthropic/claude-3-haiku", "meta-llama/llama-3.1-8b-instruct",
                    "qwen/qwen2.5-7b-instruct");
            case THERAPEUTIC_RESPONSE -> List.of("anthropic/claude-3-haiku", "openai/gpt-4o-mini",
                    "meta-llama/llama-3.1-8b-instruct");
            case DIALOGUE_GENERATION -> List.of("meta-llama/llama-3.1-8b-instruct", "anthropic/claude-3-haiku",
                    "qwen/qwen2.5-7b-instruct");
            default -> List.of();
        };
    }

    /** Model families the task favours, as letters and digits only ("llama31", "qwen25"), best first. */
    static List<String> favouredFamilies(TaskType task) {
        return switch (task) {
            case NARRATIVE_GENERATION -> List.of("claude", "llama31", "qwen25");
            case THERAPEUTIC_RESPONSE -> List.of("claude", "gpt4", "llama31");
            case DIALOGUE_GENERATION -> List.of("llama31", "claude", "qwen25");
            default -> List.of();
        };
    }

    public static Recommendations recommend(HardwareInfo hw, TaskType task, List<ModelInfo> catalog) {
        return recommend(hw, task, catalog, LIMIT);
    }

    public static Recommendations recommend(HardwareInfo hw, TaskType task, List<ModelInfo> catalog, int limit) {
        List<Recommendation> out = new ArrayList<>();
        List<String> families = favouredFamilies(task);
        record Present(ModelInfo model, Compatibility fit, int family) {}
        List<Present> present = new ArrayList<>();
        for (ModelInfo m : catalog) {
            if (!HardwareFit.isLocal(m) || embeddingsOnly(m)) {
                continue;
            }
            Compatibility c = Compatibility.check(hw, RequirementEstimator.estimate(m));
            if (c.compatible() || Boolean.TRUE.equals(m.loaded())) {
                present.add(new Present(m, c, familyRank(m.modelId(), families)));
            }
        }
        present.sort(Comparator.<Present>comparingInt(p -> p.fit().gpu() ? 0 : 1)
                .thenComparingInt(Present::family)
                .thenComparing(p -> -p.fit().requirements().ramGb())
                .thenComparing(p -> p.model().key()));
        for (Present p : present) {
            List<String> reasons = new ArrayList<>();
            reasons.add("installed here and fits " + (p.fit().gpu() ? "the GPU" : "in RAM")
                    + (Boolean.TRUE.equals(p.model().loaded()) ? " (loaded)" : ""));
            if (p.family() < Integer.MAX_VALUE) {
                reasons.add("favoured family for " + task.wire());
            }
            out.add(new Recommendation(p.model().modelId(), p.model().provider(), true, true, true,
                    p.fit().requirements(), p.fit().warnings(), String.join("; ", reasons)));
        }
        for (Map.Entry<String, String> e : seedList(hw, task).entrySet()) {
            String id = e.getKey();
            if (out.stream().anyMatch(r -> r.modelId().equalsIgnoreCase(id))) {
                continue;
            }
            ModelInfo listed = find(catalog, id);
            boolean cloud = cloudOnly(id) || (listed != null && !HardwareFit.isLocal(listed));
            if (cloud) {
                out.add(new Recommendation(id, listed == null ? null : listed.provider(), listed != null, false, true,
                        null, List.of(), e.getValue() + "; runs in the cloud"));
            } else {
                Compatibility c = Compatibility.check(hw, listed != null ? RequirementEstimator.estimate(listed)
                        : RequirementEstimator.estimate(id));
                out.add(new Recommendation(id, listed == null ? null : listed.provider(), listed != null, true,
                        c.compatible(), c.requirements(), c.warnings(), e.getValue()));
            }
        }
        return new Recommendations(task.wire(), tiers(hw), out.subList(0, Math.min(Math.max(limit, 0), out.size())));
    }

    /** Models no machine here runs: hosted APIs, and the seed's pointer to free cloud models. */
    static boolean cloudOnly(String id) {
        String s = id.toLowerCase(Locale.ROOT);
        return s.startsWith("anthropic/") || s.startsWith("openai/") || s.startsWith("openrouter/") || s.endsWith(":free");
    }

    private static boolean embeddingsOnly(ModelInfo m) {
        return m.capabilities().contains("embeddings") && !m.capabilities().contains("chat");
    }

    private static ModelInfo find(List<ModelInfo> catalog, String id) {
        for (ModelInfo m : catalog) {
            if (m.modelId().equalsIgnoreCase(id)) {
                return m;
            }
        }
        return null;
    }

    static int familyRank(String modelId, List<String> families) {
        String flat = modelId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        for (int i = 0; i < families.size(); i++) {
            if (flat.contains(families.get(i))) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
