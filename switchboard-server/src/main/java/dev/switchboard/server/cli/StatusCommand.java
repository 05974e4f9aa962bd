package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.json.Json;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Show providers, their health and the loaded models.")
final class StatusCommand implements Callable<Integer>, ClientOptions.EnvAware {
    @Mixin
    ClientOptions client;

    @Option(names = "--json", description = "Print the raw status JSON.")
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
            JsonNode status = backend.status();
            if (json) {
                out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(status));
            } else {
                out.printf("initialized: %s   active models: %d%n", status.path("initialized").asBoolean(),
                        status.path("active_models").asInt());
                Table t = new Table("PROVIDER", "TYPE", "HEALTHY", "MODELS", "LOADED", "ENDPOINT", "LAST ERROR");
                Iterator<Map.Entry<String, JsonNode>> it = status.path("providers").fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode p = e.getValue();
                    t.row(e.getKey(), p.path("provider_type").asText("-"), p.path("healthy").asBoolean() ? "yes" : "NO",
                            Integer.toString(p.path("available_models_count").asInt()),
                            Integer.toString(p.path("loaded_models_count").asInt()),
                            p.path("endpoint").asText("-"),
                            p.path("last_error").isNull() || p.path("last_error").isMissingNode() ? "-" : p.path("last_error").asText());
                }
                t.print(out);
            }
        }
        out.flush();
        return 0;
    }
}
