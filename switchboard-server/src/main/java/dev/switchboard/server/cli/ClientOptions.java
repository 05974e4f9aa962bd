package dev.switchboard.server.cli;

import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.SwitchboardConfig;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** How a client command reaches Switchboard: a running service ({@code --url}) or embedded ({@code --config}). */
final class ClientOptions {
    @Option(names = "--url", paramLabel = "URL",
            description = "Switchboard service to talk to (default: $SWITCHBOARD_URL or http://127.0.0.1:8080).")
    String url;

    @Option(names = "--api-key", paramLabel = "KEY", description = "API key for the service (default: $SWITCHBOARD_API_KEY).")
    String apiKey;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Run embedded from this configuration file instead of calling a service.")
    Path config;

    Backend open(Map<String, String> env) {
        if (config != null) {
            SwitchboardConfig.Loaded loaded = ConfigLoader.load(config, env);
            return new EmbeddedBackend(loaded.config().modelManagement(), env);
        }
        String u = url != null ? url : env.getOrDefault("SWITCHBOARD_URL", "http://127.0.0.1:8080");
        String k = apiKey != null ? apiKey : env.get("SWITCHBOARD_API_KEY");
        return new RemoteBackend(u, k);
    }

    /** Commands that read the environment get it injected, so tests control it. */
    interface EnvAware {
        void env(Map<String, String> env);
    }
}
