package dev.switchboard.server.cli;

import dev.switchboard.model.DeploymentKey;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete a downloaded model (ollama:<model>).")
final class RmCommand implements Callable<Integer>, ClientOptions.EnvAware {
    @Mixin
    ClientOptions client;

    @Option(names = "--provider", paramLabel = "NAME", description = "The provider to delete from (default: ollama).")
    String provider;

    @Parameters(paramLabel = "MODEL", description = "The model, e.g. ollama:llama3.2:3b.")
    String model;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Map<String, String> env = System.getenv();

    @Override
    public void env(Map<String, String> e) {
        this.env = e;
    }

    @Override
    public Integer call() {
        ModelRef ref = ModelRef.parse(model, provider, "ollama");
        try (Backend backend = client.open(env)) {
            if (!backend.delete(ref.provider(), ref.model())) {
                throw new CliException("model " + ref.model() + " is not downloaded in " + ref.provider());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("deleted " + new DeploymentKey(ref.provider(), ref.model()));
        out.flush();
        return 0;
    }
}
