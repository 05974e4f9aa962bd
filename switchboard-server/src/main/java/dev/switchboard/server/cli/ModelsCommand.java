package dev.switchboard.server.cli;

import dev.switchboard.json.Json;
import dev.switchboard.model.ModelInfo;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "models", mixinStandardHelpOptions = true, description = "List the models Switchboard can serve.")
final class ModelsCommand implements Callable<Integer>, ClientOptions.EnvAware {
    @Mixin
    ClientOptions client;

    @Option(names = "--free", description = "Only free models.")
    boolean free;

    @Option(names = "--provider", paramLabel = "NAME", description = "Only this provider's models.")
    String provider;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Map<String, String> env = System.getenv();

    @Override
    public void env(Map<String, String> e) {
        this.env = e;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Backend backend = client.open(env)) {
            List<ModelInfo> models = backend.models(free, provider);
            if (json) {
                out.println(Json.string(Map.of("models", models)));
            } else if (models.isEmpty()) {
                out.println(free ? "No free models available." : "No models available.");
            } else {
                Table t = new Table("MODEL", "PROVIDER", "CONTEXT", "$/1M TOKENS", "FREE");
                for (ModelInfo m : models) {
                    t.row(m.modelId(), m.provider(),
                            m.contextLength() == null ? "-" : Integer.toString(m.contextLength()),
                            m.costPerToken() == null ? "-" : String.format(java.util.Locale.ROOT, "%.4f", m.costPerToken() * 1_000_000),
                            m.isFree() ? "yes" : "no");
                }
                t.print(out);
            }
        }
        out.flush();
        return 0;
    }
}
