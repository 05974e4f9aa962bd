package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "Recommend models for a task on this machine: installed models that fit first, then the seed's list.")
final class RecommendCommand extends JsonViewCommand {
    @Option(names = {"-t", "--task"}, paramLabel = "TASK", defaultValue = "general_chat",
            description = "Task type: narrative_generation, dialogue_generation, therapeutic_response, … (default: ${DEFAULT-VALUE}).")
    String task;

    @Override
    boolean answersInProcess() {
        return true;
    }

    @Override
    JsonNode fetch(Backend backend) {
        return backend.recommendations(task);
    }

    @Override
    void print(JsonNode rec, PrintWriter out) {
        JsonNode tiers = rec.path("tiers");
        out.printf("Task: %s   Machine: %s (%s GB RAM available), GPU %s%n", rec.path("task_type").asText(),
                tiers.path("ram_tier").asText("-"), tiers.path("ram_gb").asText("-"), tiers.path("gpu_tier").asText("-"));
        out.println();
        Table t = new Table("#", "MODEL", "PROVIDER", "INSTALLED", "FITS", "NEEDS RAM", "NEEDS VRAM", "WHY");
        int i = 1;
        for (JsonNode m : rec.path("models")) {
            JsonNode need = m.path("requirements");
            String fits = !m.path("local").asBoolean() ? "cloud"
                    : m.path("compatible").asBoolean() ? "yes" : "NO";
            String why = m.path("reason").asText("");
            if (m.path("local").asBoolean() && !m.path("compatible").asBoolean()) {
                why += " (" + HwCommand.warnings(m.path("warnings")) + ")";
            }
            t.row(Integer.toString(i++), m.path("model_id").asText(), m.path("provider").asText("-"),
                    m.path("present").asBoolean() ? "yes" : "no", fits, HwCommand.gb(need.path("ram_gb")),
                    HwCommand.gb(need.path("vram_gb")), why);
        }
        t.print(out);
    }
}
