package dev.switchboard.monitor;

import dev.switchboard.config.ConfigException;
import dev.switchboard.config.ModelManagementConfig;
import dev.switchboard.config.MonitoringConfig;
import dev.switchboard.monitor.sqlite.SqliteDatabase;
import dev.switchboard.monitor.sqlite.SqliteExpiringState;
import dev.switchboard.monitor.sqlite.SqliteFallbackStats;
import dev.switchboard.monitor.sqlite.SqliteMetricsStore;
import dev.switchboard.monitor.sqlite.SqliteSettingsStore;
import dev.switchboard.monitor.sqlite.SqliteSpendStore;
import dev.switchboard.routing.AttemptListener;
import dev.switchboard.routing.Routing;
import dev.switchboard.routing.Signals;
import dev.switchboard.state.ExpiringState;
import dev.switchboard.state.FallbackStatsStore;
import dev.switchboard.state.FileSettingsStore;
import dev.switchboard.state.InMemoryRoutingState;
import dev.switchboard.state.LocalRateLimits;
import dev.switchboard.state.PersistedRoutingState;
import dev.switchboard.state.SettingsStore;
import dev.switchboard.state.SharedState;
import dev.switchboard.state.SharedStateFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything Switchboard keeps, assembled from configuration: the embedded SQLite database (spend, fallback
 * statistics, settings, expiring values; metrics when {@code sqlite} is a store), the shared state when
 * {@code shared_state: redis}, the metrics stores and the performance monitor over them. Opened when the manager
 * starts, closed when it stops, after the last record is delivered.
 */
public final class Monitoring implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Monitoring.class);

    private final Path dataDir;
    private final SqliteDatabase db;
    private final SharedState shared;
    private final PerformanceMonitor monitor;
    private final SettingsStore settings;
    private final ExpiringState expiring;
    private final Routing.Extensions extensions;

    private Monitoring(Path dataDir, SqliteDatabase db, SharedState shared, PerformanceMonitor monitor,
                       SettingsStore settings, ExpiringState expiring, Routing.Extensions extensions) {
        this.dataDir = dataDir;
        this.db = db;
        this.shared = shared;
        this.monitor = monitor;
        this.settings = settings;
        this.expiring = expiring;
        this.extensions = extensions;
    }

    public static Monitoring open(ModelManagementConfig cfg, Map<String, String> env, MeterRegistry registry, Clock clock) {
        MonitoringConfig mc = cfg.monitoring();
        Path dataDir = mc.dataDir(env);
        SqliteDatabase db = SqliteDatabase.open(dataDir);
        SharedState shared = null;
        List<MetricsStore> stores = new ArrayList<>();
        try {
            if (cfg.sharedState().equals("redis")) {
                shared = factory(SharedStateFactory.class, "redis", SharedStateFactory::kind,
                        "shared_state 'redis' needs the switchboard-redis module on the class path").open(mc, env);
            }
            PerformanceMonitor monitor = null;
            if (cfg.performanceMonitoringEnabled()) {
                for (String kind : mc.stores()) {
                    stores.add(kind.equals("sqlite") ? new SqliteMetricsStore(db)
                            : factory(MetricsStoreFactory.class, kind, MetricsStoreFactory::kind, "metrics store '" + kind
                            + "' needs the switchboard-" + kind + " module on the class path").open(mc, dataDir, env));
                }
                if (stores.isEmpty()) {
                    stores.add(new MemoryMetricsStore(mc.maxMetricsPerModel()));
                }
                monitor = new PerformanceMonitor(mc, cfg.selectionStrategy(), stores, registry, clock);
            }
            FallbackStatsStore fallbackStats = new SqliteFallbackStats(db);
            SettingsStore legacy = new FileSettingsStore(dataDir);
            SettingsStore settings = shared != null ? shared.settings() : new SqliteSettingsStore(db, legacy);
            ExpiringState expiring = shared != null ? shared.expiring() : new SqliteExpiringState(db, clock);
            Routing.Extensions ext = new Routing.Extensions(
                    monitor == null ? Signals.NONE : monitor.signals(),
                    shared != null ? shared.routing()
                            : new PersistedRoutingState(new InMemoryRoutingState(), fallbackStats, clock.instant()),
                    shared != null ? shared.spend() : new SqliteSpendStore(db),
                    monitor == null ? AttemptListener.NONE : monitor,
                    null, clock,
                    shared != null ? shared.rateLimits() : new LocalRateLimits(),
                    fallbackStats);
            if (monitor != null) {
                monitor.start();
            }
            log.info("data in {}; metrics to {}; shared state: {}", dataDir, monitor == null ? "nowhere (monitoring disabled)"
                    : String.join(", ", stores.stream().map(MetricsStore::name).toList()), cfg.sharedState());
            return new Monitoring(dataDir, db, shared, monitor, settings, expiring, ext);
        } catch (RuntimeException e) {
            stores.forEach(s -> {
                if (!(s instanceof SqliteMetricsStore)) {
                    s.close();
                }
            });
            if (shared != null) {
                shared.close();
            }
            db.close();
            throw e;
        }
    }

    private static <F> F factory(Class<F> type, String kind, java.util.function.Function<F, String> kindOf, String missing) {
        for (F f : ServiceLoader.load(type)) {
            if (kindOf.apply(f).equals(kind)) {
                return f;
            }
        }
        throw new ConfigException(missing);
    }

    /** What routing gets: history signals, the attempt listener, state, spend, limits, fallback statistics. */
    public Routing.Extensions extensions() {
        return extensions;
    }

    public SettingsStore settings() {
        return settings;
    }

    /**
     * Sessions, one-time sign-in states and frontend events: in Redis when {@code shared_state: redis}, so every
     * replica sees them, else in the embedded database.
     */
    public ExpiringState expiring() {
        return expiring;
    }

    /** The monitor, or null when {@code performance_monitoring_enabled} is false. */
    public PerformanceMonitor monitor() {
        return monitor;
    }

    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data_dir", dataDir.toString());
        m.put("database", db.file().toString());
        m.put("monitoring", monitor == null ? Map.of("enabled", false) : monitor.status());
        m.put("shared_state", shared == null ? Map.of("kind", "local") : shared.status());
        return m;
    }

    /** Delivers what the monitor holds (a few seconds at most), then closes the stores, the shared state, the database. */
    @Override
    public void close() {
        if (monitor != null) {
            monitor.close();
        }
        if (shared != null) {
            shared.close();
        }
        db.close();
    }
}
