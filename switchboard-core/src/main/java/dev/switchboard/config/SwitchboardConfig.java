package dev.switchboard.config;

import java.util.List;

/** The whole configuration file: the seed's {@code model_management:} section and our {@code server:} section. */
public record SwitchboardConfig(ModelManagementConfig modelManagement, ServerConfig server) {
    public SwitchboardConfig {
        modelManagement = modelManagement == null ? ModelManagementConfig.defaults() : modelManagement;
        server = server == null ? ServerConfig.defaults() : server;
    }

    public static SwitchboardConfig defaults() {
        return new SwitchboardConfig(null, null);
    }

    /** A loaded configuration, where it came from, and the warnings (unknown keys) found on the way. */
    public record Loaded(SwitchboardConfig config, String source, List<String> warnings) {}
}
