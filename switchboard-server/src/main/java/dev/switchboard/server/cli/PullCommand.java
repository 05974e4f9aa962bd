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

@Command(name = "pull", mixinStandardHelpOptions = true,
        description = "Download a model into Ollama, with a progress bar (bytes, percent, rate, ETA).")
final class PullCommand implements Callable<Integer>, ClientOptions.EnvAware {
    enum Progress { auto, bar, plain }

    @Mixin
    ClientOptions client;

    @Option(names = "--provider", paramLabel = "NAME", description = "The provider to pull into (default: ollama).")
    String provider;

    @Option(names = "--progress", paramLabel = "MODE",
            description = "bar (redrawn in place), plain (one line per step) or auto: bar on a terminal (default).")
    Progress progress = Progress.auto;

    @Parameters(paramLabel = "MODEL", description = "The model, e.g. llama3.2:3b or ollama:llama3.2:3b.")
    String model;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Map<String, String> env = System.getenv();

    @Override
    public void env(Map<String, String> e) {
        this.env = e;
    }

    /**
     * Whether stdout is a terminal. From JDK 22 {@code System.console()} exists even when redirected and
     * {@code Console.isTerminal()} tells; on 21 a console exists only on a terminal.
     */
    static boolean onTerminal() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    @Override
    public Integer call() {
        ModelRef ref = ModelRef.parse(model, provider, "ollama");
        PrintWriter out = spec.commandLine().getOut();
        boolean terminal = switch (progress) {
            case bar -> true;
            case plain -> false;
            case auto -> onTerminal();
        };
        PullProgressBar bar = new PullProgressBar(out, terminal, System::nanoTime);
        try (Backend backend = client.open(env)) {
            try {
                backend.pull(ref.provider(), ref.model(), bar);
            } finally {
                bar.finish();
            }
        }
        out.println("pulled " + new DeploymentKey(ref.provider(), ref.model()));
        out.flush();
        return 0;
    }
}
