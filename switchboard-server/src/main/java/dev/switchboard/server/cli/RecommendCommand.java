package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.json.Json;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "Recommend models for a task on this machine: installed models that fit first, then the seed's list.")
final class RecommendCommand implements Callable<Integer>, ClientOptions.EnvAware {
    @Mixin
    ClientOptions client;

    @Option(names = {"-t", "--task"}, paramLabel = "TASK", defaultValue = "general_chat",
            description = "Task type: narrative_generation, dialogue_generation, therapeutic_response, … (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--json", description = "Print the raw JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Map<String, String> env = System.getenv();

    @Override
    public void env(Map<String, String> e) {
        this.env = e;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Backend backend = client.open(env)) {
            JsonNode rec = backend.recommendations(task);
            if (json) {
                out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(rec));
            } else {
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
        out.flush();
        return 0;
    }
}
