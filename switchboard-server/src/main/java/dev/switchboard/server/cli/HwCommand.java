package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;

@Command(name = "hw", mixinStandardHelpOptions = true,
        description = "Show this machine (CPU, RAM, disk, GPUs), its tiers and which model sizes and installed models fit.")
final class HwCommand extends JsonViewCommand {
    @Override
    boolean answersInProcess() {
        return true;
    }

    @Override
    JsonNode fetch(Backend backend) {
        return backend.system();
    }

    @Override
    void print(JsonNode system, PrintWriter out) {
        JsonNode r = system.path("system_resources");
        JsonNode tiers = system.path("tiers");
        Table machine = new Table("", "");
        machine.row("Platform", r.path("platform").asText("-") + " " + r.path("architecture").asText(""));
        machine.row("CPU", r.path("cpu_model").asText("-") + " (" + r.path("cpu_cores").asInt() + " logical cores)");
        machine.row("RAM", gb(r.path("total_ram_gb")) + " total, " + gb(r.path("available_ram_gb")) + " available");
        machine.row("Disk", gb(r.path("disk_space_gb")) + " free in the data directory");
        machine.row("GPU", r.path("has_gpu").asBoolean() ? r.path("gpu_count").asInt() + " GPU(s), "
                + gb(r.path("total_gpu_memory_gb")) + " in total" : "none");
        machine.row("Tier", tiers.path("ram_tier").asText("-") + ", GPU " + tiers.path("gpu_tier").asText("-") + ": "
                + tiers.path("description").asText(""));
        machine.printBody(out);

        if (r.path("gpu_info").size() > 0) {
            out.println();
            Table gpus = new Table("GPU", "NAME", "VENDOR", "MEMORY", "FREE", "UNIFIED");
            for (JsonNode g : r.path("gpu_info")) {
                gpus.row(g.path("index").asText(), g.path("name").asText(), g.path("type").asText(),
                        gb(g.path("memory_gb")), g.path("free_memory_gb").isNumber() ? gb(g.path("free_memory_gb")) : "-",
                        g.path("unified_memory").asBoolean() ? "yes" : "no");
            }
            gpus.print(out);
        }

        out.println();
        Table classes = new Table("MODEL SIZE", "NEEDS RAM", "NEEDS VRAM", "FITS", "ON GPU");
        for (JsonNode c : system.path("size_classes")) {
            classes.row(c.path("parameters").asText(), gb(c.path("ram_gb")), gb(c.path("vram_gb")),
                    c.path("compatible").asBoolean() ? "yes" : "no", c.path("gpu").asBoolean() ? "yes" : "no");
        }
        classes.print(out);

        JsonNode local = system.path("local_models");
        out.println();
        if (local.isEmpty()) {
            out.println("No local models installed (in-process GGUF, Ollama, LM Studio).");
        } else {
            Table models = new Table("LOCAL MODEL", "PROVIDER", "NEEDS RAM", "NEEDS VRAM", "FROM", "FITS", "NOTES");
            for (JsonNode m : local) {
                JsonNode need = m.path("requirements");
                models.row(m.path("model_id").asText(), m.path("provider").asText(), gb(need.path("ram_gb")),
                        gb(need.path("vram_gb")), need.path("source").asText("-"),
                        m.path("compatible").asBoolean() ? (m.path("gpu").asBoolean() ? "yes (GPU)" : "yes") : "NO",
                        warnings(m.path("warnings")));
            }
            models.print(out);
        }
    }

    static String gb(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.1f GB", n.asDouble()) : "-";
    }

    static String warnings(JsonNode list) {
        if (list == null || list.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        list.forEach(w -> sb.append(sb.isEmpty() ? "" : "; ").append(w.asText()));
        return sb.toString();
    }
}
