package dev.switchboard.hardware;

import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.TaskType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine and its fit as JSON-ready maps, built here only: {@code /status.system_resources} (the seed's
 * {@code detect_system_resources} field names) and {@code GET /api/v1/models/system}.
 */
public final class SystemReport {
    private SystemReport() {}

    /** The seed's {@code system_resources}: its field names, GB rounded to two places. */
    public static Map<String, Object> systemResources(HardwareInfo hw) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total_ram_gb", round2(hw.totalRamGb()));
        m.put("available_ram_gb", round2(hw.availableRamGb()));
        m.put("cpu_cores", hw.cpuCount());
        m.put("cpu_model", hw.cpuModel());
        m.put("gpu_count", hw.gpus().size());
        List<Map<String, Object>> gpus = new ArrayList<>();
        for (GpuInfo g : hw.gpus()) {
            Map<String, Object> gm = new LinkedHashMap<>();
            gm.put("index", g.index());
            gm.put("name", g.name());
            gm.put("memory_gb", round2(g.memoryTotalGb()));
            gm.put("free_memory_gb", g.memoryFreeMb() < 0 ? null : round2(g.memoryFreeGb()));
            gm.put("type", g.vendor());
            gm.put("unified_memory", g.unifiedMemory());
            gm.put("available", true);
            gpus.add(gm);
        }
        m.put("gpu_info", gpus);
        m.put("disk_space_gb", round2(hw.freeDiskGb()));
        m.put("platform", hw.platform());
        m.put("architecture", hw.architecture());
        m.put("has_gpu", hw.hasGpu());
        m.put("total_gpu_memory_gb", round2(hw.gpus().stream().mapToDouble(GpuInfo::memoryTotalGb).sum()));
        m.put("detected_at", hw.detectedAt().toString());
        return m;
    }

    /** {@code GET /api/v1/models/system}: the machine, its tiers, how each size class and installed model fits. */
    public static Map<String, Object> system(HardwareInfo hw, List<ModelInfo> catalog) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("system_resources", systemResources(hw));
        m.put("tiers", Recommender.tiers(hw));
        List<Map<String, Object>> classes = new ArrayList<>();
        double from = 0;
        for (RequirementEstimator.SizeClass c : RequirementEstimator.SIZE_CLASSES) {
            Compatibility fit = Compatibility.check(hw, new ModelRequirements(c.ramGb(), c.vramGb(), "table"));
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("parameters", (from == 0 ? "up to " : trim(from) + "-") + trim(c.maxBillions()) + "B");
            cm.put("ram_gb", c.ramGb());
            cm.put("vram_gb", c.vramGb());
            cm.put("compatible", fit.compatible());
            cm.put("gpu", fit.gpu());
            classes.add(cm);
            from = c.maxBillions();
        }
        m.put("size_classes", classes);
        List<Map<String, Object>> local = new ArrayList<>();
        for (ModelInfo model : catalog) {
            if (!HardwareFit.isLocal(model)) {
                continue;
            }
            Compatibility fit = Compatibility.check(hw, RequirementEstimator.estimate(model));
            Map<String, Object> lm = new LinkedHashMap<>();
            lm.put("model_id", model.modelId());
            lm.put("provider", model.provider());
            lm.put("loaded", model.loaded());
            lm.put("requirements", fit.requirements());
            lm.put("compatible", fit.compatible() || Boolean.TRUE.equals(model.loaded()));
            lm.put("gpu", fit.gpu());
            lm.put("warnings", fit.warnings());
            local.add(lm);
        }
        m.put("local_models", local);
        m.put("recommendations", Recommender.recommend(hw, TaskType.GENERAL_CHAT, catalog).ids());
        return m;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
