package dev.switchboard.server.cli;

import dev.switchboard.config.ModelManagementConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.local.DemoModel;
import dev.switchboard.local.LocalProvider;
import dev.switchboard.model.ProviderType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the server does out of the box: without a configuration file it serves the local models directory, and a
 * directory without models gets the demo model, so {@code local:switchboard-demo} answers on a fresh machine with
 * no keys and no network.
 */
final class LocalDefaults {
    static final String ZERO_CONFIG = """
            model_management:
              default_provider: local
              providers:
                local: {}
            """;

    private LocalDefaults() {}

    /** The models directories of the enabled local providers, in configuration order. */
    static List<Path> modelsDirs(ModelManagementConfig mm, Map<String, String> env) {
        List<Path> dirs = new ArrayList<>();
        if (!mm.enabled()) {
            return dirs;
        }
        for (Map.Entry<String, ProviderConfig> e : mm.providers().entrySet()) {
            ProviderConfig pc = e.getValue();
            String kind = pc.providerType() != null ? pc.providerType() : e.getKey();
            if (pc.enabled() && ProviderType.LOCAL.wire().equalsIgnoreCase(kind)) {
                dirs.add(LocalProvider.modelsDir(pc, env));
            }
        }
        return dirs;
    }

    /** Writes the demo model into each local models directory that has no GGUF file yet; returns the files written. */
    static List<Path> writeDemoWhereEmpty(ModelManagementConfig mm, Map<String, String> env) {
        List<Path> written = new ArrayList<>();
        for (Path dir : modelsDirs(mm, env)) {
            try {
                Path file = DemoModel.writeIfNoModels(dir);
                if (file != null) {
                    written.add(file);
                }
            } catch (IOException e) {
                throw new CliException("cannot write the demo model into " + dir + ": " + e.getMessage());
            }
        }
        return written;
    }
}
