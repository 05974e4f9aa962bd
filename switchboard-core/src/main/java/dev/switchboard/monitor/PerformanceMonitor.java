package dev.switchboard.monitor;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.config.MonitoringConfig;
import dev.switchboard.config.SelectionStrategyConfig;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.Usage;
import dev.switchboard.routing.AttemptListener;
import dev.switchboard.routing.Signals;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's PerformanceMonitor: records every attempt the router makes (and callers' feedback), feeds the
 * selector's history term, counts into Micrometer, and hands each record to every configured store through that
 * store's own buffer. Recording never blocks and never fails a request. Aggregates ({@code /performance}) are
 * read back from the first store that answers.
 */
public final class PerformanceMonitor implements AttemptListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PerformanceMonitor.class);

    private final MonitoringConfig config;
    private final List<StoreWriter> writers = new ArrayList<>();
    private final History history;
    private final MonitorMeters meters;
    private final Clock clock;
    private final Cache<String, Served> served;
    private final ScheduledExecutorService refresher;
    private volatile boolean closed;

    /** Which deployment answered a request, kept a day so feedback can be attributed to it. */
    public record Served(String requestId, String modelId, String provider, String providerType, String taskType) {}

    public PerformanceMonitor(MonitoringConfig config, SelectionStrategyConfig selection, List<MetricsStore> stores,
                              MeterRegistry registry, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.history = new History(Duration.ofMinutes(config.historyWindowMinutes()),
                selection.maxAcceptableLatencyMs(), clock);
        this.meters = new MonitorMeters(registry);
        // Maintenance on the caller's thread, amortised: the default hands it to the common pool, a thread wake-up
        // per few requests on the request path.
        this.served = Caffeine.newBuilder().maximumSize(200_000).expireAfterWrite(Duration.ofHours(24))
                .executor(Runnable::run).build();
        for (MetricsStore s : stores) {
            StoreWriter w = new StoreWriter(s, config.bufferSize(), config.batchSize(),
                    Duration.ofDays(config.retentionDays()), clock);
            writers.add(w);
            meters.bindWriter(w);
        }
        this.refresher = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("switchboard-history").factory());
    }

    /** Loads the history window from the first store that answers, then starts delivering. */
    public void start() {
        Instant since = clock.instant().minus(Duration.ofMinutes(config.historyWindowMinutes()));
        for (StoreWriter w : writers) {
            try {
                long[] n = {0};
                w.store().scan(null, since, r -> {
                    history.add(r);
                    n[0]++;
                });
                log.info("history: {} record(s) of the last {} min loaded from {}", n[0], config.historyWindowMinutes(),
                        w.name());
                break;
            } catch (Exception e) {
                log.warn("history: cannot read {} ({}); trying the next store", w.name(), e.getMessage());
            }
        }
        writers.forEach(StoreWriter::start);
        refresher.scheduleWithFixedDelay(history::refresh, 5, 5, TimeUnit.SECONDS);
    }

    /** The selector's view of the history: bonus and observed latency per deployment. */
    public Signals signals() {
        return history;
    }

    @Override
    public void attempted(Attempt a) {
        Usage u = a.usage();
        Integer prompt = u == null ? null : u.promptTokens();
        Integer completion = u == null ? null : u.completionTokens();
        Integer total = u == null ? null : u.totalTokens();
        Double ttft = Double.isNaN(a.ttftMs()) ? null : a.ttftMs();
        MetricRecord r = new MetricRecord(MetricRecord.ATTEMPT, a.at(), a.requestId(), a.model().modelId(),
                a.model().provider(), a.model().providerType().wire(), taskOf(a), a.outcome(), a.latencyMs(), ttft,
                tokensPerSecond(completion, a.latencyMs(), ttft), prompt, completion, total,
                a.succeeded() ? a.costUsd() : null, null, null, a.stream(),
                a.fallbackFrom() == null ? null : a.fallbackFrom().modelId(),
                a.fallbackFrom() == null ? null : a.fallbackFrom().provider(), a.error(),
                a.caller().paysFor(a.model().providerType()) ? a.caller().id() : null);
        record(r);
        if (a.succeeded()) {
            served.put(a.requestId(), new Served(a.requestId(), a.model().modelId(), a.model().provider(),
                    a.model().providerType().wire(), taskOf(a)));
        }
    }

    /** Embedding calls are recorded under the task {@code embeddings}, apart from every chat task. */
    private static String taskOf(Attempt a) {
        return a.operation() == AttemptListener.Operation.EMBEDDINGS ? "embeddings" : a.task().wire();
    }

    /** Generation speed: completion tokens over the time spent producing them (after the first token, if streamed). */
    static Double tokensPerSecond(Integer completion, double latencyMs, Double ttftMs) {
        if (completion == null || completion <= 0 || latencyMs <= 0) {
            return null;
        }
        double ms = ttftMs != null && latencyMs > ttftMs ? latencyMs - ttftMs : latencyMs;
        return completion * 1000.0 / ms;
    }

    /** Records one entry: history, meters, and every store's buffer. Cheap and non-blocking. */
    public void record(MetricRecord r) {
        if (closed) {
            return;
        }
        try {
            history.add(r);
            meters.record(r);
        } catch (RuntimeException e) {
            log.warn("recording a metric failed: {}", e.toString());
        }
        for (StoreWriter w : writers) {
            w.offer(r);
        }
    }

    /** The deployment that answered {@code requestId} in the last 24 h, if this process served it. */
    public Served served(String requestId) {
        return served.getIfPresent(requestId);
    }

    /** Records a caller's quality and safety scores for the deployment that served the request. */
    public void feedback(String requestId, ModelInfo model, String taskType, Double quality, Double safety) {
        record(MetricRecord.feedback(clock.instant(), requestId, model.modelId(), model.provider(),
                model.providerType().wire(), taskType, quality, safety));
    }

    /** The seed's message for a model with no record in the window. */
    public static final String NO_METRICS = "No metrics available for the specified timeframe";

    /**
     * The seed's {@code get_model_performance}: figures for one model over the last {@code hours}, across the
     * providers serving it (or one, when {@code provider} is given), with a per-provider breakdown. A window without
     * a record carries the seed's {@code message} and {@code metrics_count: 0} beside the (empty) figures.
     */
    public Map<String, Object> modelPerformance(String modelId, String provider, double hours) {
        Instant since = clock.instant().minus(Duration.ofMillis((long) (hours * 3_600_000)));
        Read<Map<String, Aggregate>> read = read(modelId, since, TreeMap::new, (byProvider, r) -> {
            if (provider == null || provider.equals(r.provider())) {
                byProvider.computeIfAbsent(String.valueOf(r.provider()), k -> new Aggregate()).add(r);
            }
        });
        Aggregate all = new Aggregate();
        read.value().values().forEach(all::merge);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_id", modelId);
        if (provider != null) {
            out.put("provider", provider);
        }
        out.put("timeframe_hours", hoursValue(hours));
        if (all.records() == 0) {
            out.put("message", NO_METRICS);
        }
        out.putAll(all.toMap());
        Map<String, Object> providers = new LinkedHashMap<>();
        read.value().forEach((p, a) -> providers.put(p, a.toMap()));
        out.put("providers", providers);
        out.put("recent_history", history.snapshot(modelId, provider));
        out.put("source", read.store());
        out.put("timestamp", clock.instant().toString());
        return out;
    }

    /**
     * The seed's {@code get_system_performance}: totals over every model, and each model's figures. The seed's
     * fields ({@code total_models}, {@code active_models}, {@code total_requests}, {@code average_response_time_ms},
     * {@code average_quality_score}, {@code overall_success_rate}, {@code models} with {@code requests},
     * {@code avg_response_time_ms} and {@code success_rate} per model, {@code timestamp}) come first, then
     * Switchboard's. Counted over the window, where the seed counts {@code total_models} over everything stored:
     * {@code total_models} is every model with a record (requests or feedback), {@code active_models} those with a
     * request. {@code average_quality_score} is, as the seed weighs it, each active model's average quality
     * weighted by its requests.
     */
    public Map<String, Object> systemPerformance(double hours) {
        Instant since = clock.instant().minus(Duration.ofMillis((long) (hours * 3_600_000)));
        Read<Map<String, Aggregate>> read = read(null, since, TreeMap::new,
                (byModel, r) -> byModel.computeIfAbsent(String.valueOf(r.modelId()), k -> new Aggregate()).add(r));
        Aggregate all = new Aggregate();
        read.value().values().forEach(all::merge);
        double qualityWeighted = 0;
        long qualityRequests = 0;
        for (Aggregate a : read.value().values()) {
            Double q = a.averageQuality();
            if (q != null && a.requests() > 0) {
                qualityWeighted += q * a.requests();
                qualityRequests += a.requests();
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("timeframe_hours", hoursValue(hours));
        out.put("total_models", read.value().values().stream().filter(a -> a.records() > 0).count());
        out.put("active_models", read.value().values().stream().filter(a -> a.requests() > 0).count());
        Map<String, Object> totals = all.toMap();
        out.put("total_requests", totals.get("total_requests"));
        out.put("average_response_time_ms", totals.get("average_response_time_ms"));
        out.put("average_quality_score", qualityRequests == 0 ? null
                : Math.round(qualityWeighted / qualityRequests * 1000) / 1000.0);
        out.put("overall_success_rate", totals.get("success_rate"));
        out.put("total_tokens", totals.get("total_tokens"));
        out.put("total_errors", totals.get("total_errors"));
        out.put("p95_response_time_ms", totals.get("p95_response_time_ms"));
        out.put("p99_response_time_ms", totals.get("p99_response_time_ms"));
        out.put("total_cost_usd", totals.get("total_cost_usd"));
        Map<String, Object> models = new LinkedHashMap<>();
        read.value().forEach((k, a) -> {
            Map<String, Object> figures = a.toMap();
            Map<String, Object> entry = new LinkedHashMap<>();
            // The seed's three names first; every figure of the per-model view after them.
            entry.put("requests", figures.get("total_requests"));
            entry.put("avg_response_time_ms", figures.get("average_response_time_ms"));
            entry.put("success_rate", figures.get("success_rate"));
            figures.forEach(entry::putIfAbsent);
            models.put(k, entry);
        });
        out.put("models", models);
        out.put("history", history.snapshot(null, null));
        out.put("monitor", status());
        out.put("source", read.store());
        out.put("timestamp", clock.instant().toString());
        return out;
    }

    /** Whole hours as an integer, as the seed's {@code int} parameter prints; a fraction as it is. */
    static Number hoursValue(double hours) {
        return hours == Math.rint(hours) && Math.abs(hours) < Long.MAX_VALUE ? (Number) (long) hours : (Number) hours;
    }

    private record Read<A>(A value, String store) {}

    /**
     * Aggregates from the first store that answers, after giving it half a second to take what is still buffered
     * (a caller who just made a request expects to see it). A store failing midway is abandoned with its partial
     * result, and the next one starts from scratch.
     */
    private <A> Read<A> read(String modelId, Instant since, java.util.function.Supplier<A> fresh,
                             java.util.function.BiConsumer<A, MetricRecord> add) {
        List<String> errors = new ArrayList<>();
        for (StoreWriter w : writers) {
            if (!w.up()) {
                errors.add(w.name() + ": down");
                continue;
            }
            w.flush(Duration.ofMillis(500));
            A acc = fresh.get();
            try {
                w.store().scan(modelId, since, r -> add.accept(acc, r));
                return new Read<>(acc, w.name());
            } catch (Exception e) {
                errors.add(w.name() + ": " + e.getMessage());
            }
        }
        throw new MetricsUnavailableException(writers.isEmpty() ? "no metrics store is configured"
                : "no metrics store can be read: " + String.join("; ", errors));
    }

    /** For {@code /status} and the dashboard: each store's buffer and delivery figures. */
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> stores = new ArrayList<>();
        long dropped = 0;
        for (StoreWriter w : writers) {
            stores.add(w.status());
            dropped += w.dropped();
        }
        m.put("stores", stores);
        m.put("dropped_total", dropped);
        m.put("buffer_size", config.bufferSize());
        m.put("retention_days", config.retentionDays());
        m.put("history_window_minutes", config.historyWindowMinutes());
        return m;
    }

    /** Updates the cooldown gauges from the router's deployment states (called just before a scrape). */
    public void deploymentStates(Map<String, Map<String, Object>> states) {
        meters.deploymentStates(states, clock.instant());
    }

    public MeterRegistry registry() {
        return meters.registry();
    }

    /** Waits until every store took what was recorded so far; false when one did not within the timeout. */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean all = true;
        for (StoreWriter w : writers) {
            all &= w.flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        return all;
    }

    /** Stops recording, gives each store a few seconds to take what is buffered, and closes the stores. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        refresher.shutdownNow();
        writers.forEach(w -> w.close(Duration.ofSeconds(5)));
        meters.close();
    }

    /** No store could be read for aggregates. */
    public static final class MetricsUnavailableException extends RuntimeException {
        public MetricsUnavailableException(String message) {
            super(message);
        }
    }
}
