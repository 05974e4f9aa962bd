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
        String k = apiKey != null ? apiKey : env.get("SWITCHBOARD_API_KEY");
        return new RemoteBackend(serviceUrl(env), k);
    }

    /** The service a command calls, or null when it runs embedded ({@code --config}). */
    String serviceUrl(Map<String, String> env) {
        if (config != null) {
            return null;
        }
        return url != null ? url : env.getOrDefault("SWITCHBOARD_URL", "http://127.0.0.1:8080");
    }

    /**
     * Switchboard in-process on the configuration {@code serve} would load here ({@code $SWITCHBOARD_CONFIG},
     * ./switchboard.yaml, ~/.switchboard/config.yaml or the built-in default), for a command that describes this
     * machine when no service answers. {@code source} receives where the configuration came from.
     */
    Backend openInProcess(Map<String, String> env, java.util.function.Consumer<String> source) {
        SwitchboardConfig.Loaded loaded = ConfigLoader.locateAndLoad(null, env, LocalDefaults.ZERO_CONFIG);
        source.accept(loaded.source());
        return new EmbeddedBackend(loaded.config().modelManagement(), env);
    }

    /**
     * Whether a service address names this machine (loopback or one of its own interfaces), so that answering
     * in-process describes the same hardware the service would have.
     */
    static boolean isThisMachine(String serviceUrl) {
        try {
            String host = java.net.URI.create(serviceUrl).getHost();
            if (host == null) {
                return false;
            }
            java.net.InetAddress address = java.net.InetAddress.getByName(host);
            return address.isLoopbackAddress() || address.isAnyLocalAddress()
                    || java.net.NetworkInterface.getByInetAddress(address) != null;
        } catch (IllegalArgumentException | java.io.IOException e) {
            return false;
        }
    }

    /** Commands that read the environment get it injected, so tests control it. */
    interface EnvAware {
        void env(Map<String, String> env);
    }
}
