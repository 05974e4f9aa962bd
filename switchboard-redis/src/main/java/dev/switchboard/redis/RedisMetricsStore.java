package dev.switchboard.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.switchboard.monitor.MetricRecord;
import dev.switchboard.monitor.MetricsStore;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metric records in the seed's layout, so the seed and tools that read its Redis keep working: a list
 * {@code metrics:<model_id>} of JSON entries, newest first, trimmed to {@code max_metrics_per_model} and expiring
 * {@code retention_days} after its last write, plus a set {@code switchboard:metric_models} naming the models
 * Switchboard wrote. Each entry has the seed's fields as the seed's reader takes them and Switchboard's beside them
 * ({@link SeedEntries}); entries the seed wrote into the same lists are read too, and reading every model also
 * finds the lists only the seed wrote (a {@code SCAN} for {@code metrics:*} lists, as the seed looks for them).
 *
 * <p>A batch is written by one Lua script, so it lands whole or not at all. The script first claims a marker named
 * by the batch's digest; the monitor retries the same batch after a failure, and when the failed attempt had in
 * fact landed (the reply was lost, not the write) the retry finds the marker and adds nothing.
 */
public final class RedisMetricsStore implements MetricsStore {
    private static final Logger log = LoggerFactory.getLogger(RedisMetricsStore.class);
    static final String LIST_PREFIX = "metrics:";
    static final String MODELS = "switchboard:metric_models";
    static final String BATCH_PREFIX = "switchboard:metric_batch:";
    /** How long a written batch is remembered; a retry comes within the writer's backoff, far sooner. */
    static final Duration BATCH_MEMORY = Duration.ofDays(1);

    private static final LuaScript WRITE = new LuaScript("""
            -- KEYS[1] batch marker, KEYS[2] model set, KEYS[3..] one metrics list per model, in ARGV's group order
            -- ARGV: max per model, list ttl (s), marker ttl (s), then per list: model id, n, n entries oldest first
            if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[3]) then
              return 0
            end
            local a = 4
            for i = 3, #KEYS do
              local model, n = ARGV[a], tonumber(ARGV[a + 1])
              a = a + 2
              for j = a, a + n - 1 do
                redis.call('LPUSH', KEYS[i], ARGV[j])
              end
              a = a + n
              redis.call('LTRIM', KEYS[i], 0, tonumber(ARGV[1]) - 1)
              redis.call('EXPIRE', KEYS[i], ARGV[2])
              redis.call('SADD', KEYS[2], model)
            end
            redis.call('EXPIRE', KEYS[2], ARGV[2])
            return 1
            """);

    // Checks and removes in one step, so a list written between the check and the removal keeps its name.
    private static final LuaScript FORGET_EXPIRED_MODELS = new LuaScript("""
            -- KEYS[1] model set; ARGV[1] list key prefix
            local gone = 0
            for _, model in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              if redis.call('EXISTS', ARGV[1] .. model) == 0 then
                redis.call('SREM', KEYS[1], model)
                gone = gone + 1
              end
            end
            return gone
            """);

    /** Keys per SCAN step when looking for the lists only the seed wrote. */
    static final int SCAN_COUNT = 1000;

    private final RedisLink link;
    private final int maxPerModel;
    private final long retentionSeconds;
    private final SeedEntries entries;
    private final AtomicBoolean reportedUnreadable = new AtomicBoolean();
    private final AtomicBoolean reportedUntimed = new AtomicBoolean();

    /** Seed timestamps in this JVM's zone, which is the one Python's {@code datetime.now()} uses on the same host. */
    RedisMetricsStore(RedisLink link, int maxPerModel, Duration retention) {
        this(link, maxPerModel, retention, ZoneId.systemDefault());
    }

    RedisMetricsStore(RedisLink link, int maxPerModel, Duration retention, ZoneId seedZone) {
        this.link = link;
        this.maxPerModel = maxPerModel;
        this.retentionSeconds = Math.max(1, retention.toSeconds());
        this.entries = new SeedEntries(seedZone);
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public void write(List<MetricRecord> batch) {
        Map<String, List<String>> byModel = new LinkedHashMap<>();
        MessageDigest digest = sha256();
        for (MetricRecord r : batch) {
            if (r.timestamp() == null) {
                // The seed's reader needs a timestamp on every entry, and one entry it cannot read empties its
                // whole read of the model; such a record could not be read back here either.
                if (reportedUntimed.compareAndSet(false, true)) {
                    log.warn("dropping metric records without a timestamp (reported once)");
                }
                continue;
            }
            String json = entries.write(r);
            byModel.computeIfAbsent(r.modelId() == null ? "unknown" : r.modelId(), k -> new ArrayList<>()).add(json);
            digest.update(json.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
        }
        if (byModel.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>(byModel.size() + 2);
        keys.add(BATCH_PREFIX + HexFormat.of().formatHex(digest.digest()));
        keys.add(MODELS);
        List<String> args = new ArrayList<>(batch.size() + 2 * byModel.size() + 3);
        args.add(Integer.toString(maxPerModel));
        args.add(Long.toString(retentionSeconds));
        args.add(Long.toString(BATCH_MEMORY.toSeconds()));
        byModel.forEach((model, list) -> {
            keys.add(LIST_PREFIX + model);
            args.add(model);
            args.add(Integer.toString(list.size()));
            args.addAll(list);
        });
        Long written = call(redis -> WRITE.run(redis, ScriptOutputType.INTEGER, keys.toArray(String[]::new),
                args.toArray(String[]::new)));
        if (written == 0) {
            log.debug("batch of {} record(s) was already written by an earlier attempt", batch.size());
        }
    }

    @Override
    public void scan(String modelId, Instant since, Consumer<MetricRecord> sink) {
        Set<String> models = modelId != null ? Set.of(modelId) : models();
        for (String model : models) {
            for (String json : call(redis -> redis.lrange(LIST_PREFIX + model, 0, -1))) {
                MetricRecord r = parse(model, json);
                if (r != null && r.timestamp() != null && !r.timestamp().isBefore(since)) {
                    sink.accept(r);
                }
            }
        }
    }

    /** The models Switchboard wrote (its set) and those whose list only the seed wrote (a SCAN, as the seed's KEYS). */
    private Set<String> models() {
        Set<String> models = new LinkedHashSet<>(call(redis -> redis.smembers(MODELS)));
        call(redis -> {
            KeyScanArgs args = KeyScanArgs.Builder.matches(LIST_PREFIX + "*").limit(SCAN_COUNT).type("list");
            ScanCursor cursor = ScanCursor.INITIAL;
            KeyScanCursor<String> page;
            do {
                page = redis.scan(cursor, args);
                page.getKeys().forEach(key -> models.add(key.substring(LIST_PREFIX.length())));
                cursor = page;
            } while (!page.isFinished());
            return null;
        });
        return models;
    }

    /** Lists expire by themselves; this only forgets the names of models whose list has expired. */
    @Override
    public void prune(Instant before) {
        call(redis -> FORGET_EXPIRED_MODELS.run(redis, ScriptOutputType.INTEGER, new String[] {MODELS}, LIST_PREFIX));
    }

    /** One Redis call; a failure is recorded and thrown (with credentials scrubbed) for the monitor to retry. */
    private <T> T call(Function<RedisCommands<String, String>, T> op) {
        T result;
        try {
            result = op.apply(link.connection().sync());
        } catch (RuntimeException e) {
            throw link.failed(e);
        }
        link.succeeded();
        return result;
    }

    /** An entry another writer got wrong is skipped, not fatal: one bad entry must not hide a model's history. */
    private MetricRecord parse(String model, String json) {
        try {
            return entries.read(model, json);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            if (reportedUnreadable.compareAndSet(false, true)) {
                log.warn("skipping unreadable entries in {}{} (reported once): {}", LIST_PREFIX, model,
                        e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage());
            }
            return null;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        link.close();
    }
}
