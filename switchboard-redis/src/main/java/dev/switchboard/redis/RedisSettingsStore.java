package dev.switchboard.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.switchboard.json.Json;
import dev.switchboard.state.SettingsStore;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settings shared by every replica: the hash {@code switchboard:settings}, one field per key holding the value's
 * JSON. Reads go to Redis, so a change made on one replica is what the next read anywhere returns; each value read
 * or written is also cached here, and answers while Redis is unavailable. A value written while Redis is
 * unavailable is kept and written when it answers again (the last write wins, as it would have).
 */
final class RedisSettingsStore implements SettingsStore {
    private static final Logger log = LoggerFactory.getLogger(RedisSettingsStore.class);
    static final String HASH = "switchboard:settings";

    private final RedisLink link;
    private final Map<String, String> cache = new ConcurrentHashMap<>();
    private final Map<String, String> unsaved = new ConcurrentHashMap<>();

    RedisSettingsStore(RedisLink link) {
        this.link = link;
    }

    @Override
    public <T> Optional<T> get(String key, Class<T> type) {
        String json = link.attempt(redis -> read(redis, key), () -> cache.get(key));
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(Json.mapper().readValue(json, type));
        } catch (JsonProcessingException e) {
            log.warn("ignoring unreadable setting {} in {}: {}", key, HASH, e.getOriginalMessage());
            return Optional.empty();
        }
    }

    @Override
    public void put(String key, Object value) {
        String json = Json.string(value);
        cache.put(key, json);
        boolean saved = link.attempt(redis -> {
            redis.hset(HASH, key, json);
            return true;
        }, () -> false);
        if (saved) {
            unsaved.remove(key);
        } else {
            unsaved.put(key, json);
        }
    }

    private String read(RedisCommands<String, String> redis, String key) {
        String mine = unsaved.get(key);
        if (mine != null) {
            return mine;
        }
        String json = redis.hget(HASH, key);
        if (json == null) {
            cache.remove(key);
        } else {
            cache.put(key, json);
        }
        return json;
    }

    int unsavedCount() {
        return unsaved.size();
    }

    /** Writes what was set while Redis was unavailable; throws (keeping the rest) when it fails again. */
    void replay(RedisCommands<String, String> redis) {
        for (Map.Entry<String, String> e : unsaved.entrySet()) {
            redis.hset(HASH, e.getKey(), e.getValue());
            unsaved.remove(e.getKey(), e.getValue());
        }
    }
}
