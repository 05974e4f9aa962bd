package dev.switchboard.redis;

import dev.switchboard.config.MonitoringConfig;
import dev.switchboard.state.SharedState;
import dev.switchboard.state.SharedStateFactory;
import java.util.Map;

/** {@code shared_state: redis} at {@code monitoring.redis_url}. Opens even when Redis is down (see {@link RedisSharedState}). */
public final class RedisSharedStateFactory implements SharedStateFactory {
    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public SharedState open(MonitoringConfig config, Map<String, String> env) {
        return new RedisSharedState(config);
    }
}
