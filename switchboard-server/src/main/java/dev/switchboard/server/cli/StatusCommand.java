package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Show providers, their health and the loaded models.")
final class StatusCommand extends JsonViewCommand {
    @Override
    JsonNode fetch(Backend backend) {
        return backend.status();
    }

    @Override
    void print(JsonNode status, PrintWriter out) {
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
