package dev.switchboard.state;

import dev.switchboard.config.MonitoringConfig;
import java.util.Map;

/** Opens the {@code shared_state} named in configuration; found with {@link java.util.ServiceLoader}. */
public interface SharedStateFactory {
    /** The value of {@code shared_state} this factory serves ({@code redis}). */
    String kind();

    SharedState open(MonitoringConfig config, Map<String, String> env);
}
