package dev.switchboard.server.cli;

import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.MonitoringConfig;
import dev.switchboard.local.DemoModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo-model", mixinStandardHelpOptions = true,
        description = {"Write the built-in demo model (switchboard-demo.gguf, about 470 KB) into the local models directory.",
                "It only continues byte sequences (abc -> defghijklm): it proves that local models load and answer, "
                        + "it cannot chat. Serve it as local:switchboard-demo."})
final class DemoModelCommand implements Callable<Integer>, ClientOptions.EnvAware {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration whose local provider's models_cache_dir to use (default: found like `serve` does).")
    Path config;

    @Option(names = "--dir", paramLabel = "DIR", description = "Write into this directory instead.")
    Path dir;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private Map<String, String> env = System.getenv();

    @Override
    public void env(Map<String, String> e) {
        this.env = e;
    }

    @Override
    public Integer call() {
        Path target = dir;
        if (target == null) {
            var mm = ConfigLoader.locateAndLoad(config, env, LocalDefaults.ZERO_CONFIG).config().modelManagement();
            List<Path> dirs = LocalDefaults.modelsDirs(mm, env);
            target = dirs.isEmpty() ? MonitoringConfig.defaults().dataDir(env).resolve("models") : dirs.getFirst();
        }
        try {
            Path file = DemoModel.writeTo(target);
            var out = spec.commandLine().getOut();
            out.printf("wrote %s (%d bytes, sha256 %s)%n", file, Files.size(file), DemoModel.sha256());
            out.println("model: local:switchboard-demo (continues byte sequences: abc -> defghijklm)");
            out.flush();
        } catch (IOException e) {
            throw new CliException("cannot write the demo model into " + target + ": " + e.getMessage());
        }
        return 0;
    }
}
