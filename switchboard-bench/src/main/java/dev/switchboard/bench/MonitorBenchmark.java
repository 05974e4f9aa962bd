package dev.switchboard.bench;

import dev.switchboard.config.MonitoringConfig;
import dev.switchboard.config.SelectionStrategyConfig;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.model.TaskType;
import dev.switchboard.model.Usage;
import dev.switchboard.monitor.MetricsStore;
import dev.switchboard.monitor.PerformanceMonitor;
import dev.switchboard.monitor.sqlite.SqliteDatabase;
import dev.switchboard.monitor.sqlite.SqliteMetricsStore;
import dev.switchboard.routing.AttemptListener;
import dev.switchboard.routing.Router;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What recording one attempt costs the request thread: {@link PerformanceMonitor#attempted} builds the metric
 * record, adds it to the history that feeds selection, updates the Micrometer meters (a Prometheus registry, as
 * the server has) and the served-request cache, and offers it to the SQLite store's buffer, whose writer thread
 * runs alongside. Sampled per call, so the percentiles are those of single recordings. The bar: p99 under
 * 10 µs. {@code deployments} spreads the attempts over that many model/provider pairs.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class MonitorBenchmark {
    @Param({"1", "50"})
    int deployments;

    Path dir;
    SqliteDatabase db;
    PerformanceMonitor monitor;
    AttemptListener.Attempt[] attempts;
    int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("switchboard-bench-monitor");
        db = SqliteDatabase.open(dir);
        MetricsStore store = new SqliteMetricsStore(db);
        MonitoringConfig cfg = new MonitoringConfig(List.of("sqlite"), dir.toString(), 30, 100_000, null, 1000, null, 60, 500);
        monitor = new PerformanceMonitor(cfg, SelectionStrategyConfig.defaults(), List.of(store),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC());
        monitor.start();
        attempts = new AttemptListener.Attempt[1024];
        for (int i = 0; i < attempts.length; i++) {
            int d = i % deployments;
            ModelInfo m = ModelInfo.basic("model-" + d, ProviderType.CUSTOM_API, "provider-" + (d % 5));
            boolean ok = i % 20 != 0;
            Usage usage = ok ? new Usage(120, 80, 200, null) : null;
            attempts[i] = new AttemptListener.Attempt(Router.newRequestId(), m, TaskType.NARRATIVE_GENERATION,
                    AttemptListener.Operation.CHAT, i % 3 == 0, Instant.now(), ok ? "success" : "unavailable",
                    300 + i % 700, i % 3 == 0 ? 120 : Double.NaN, usage, null, ok ? null : "upstream 503",
                    ok ? 0.0004 : 0, null, dev.switchboard.model.Caller.OPERATOR);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        monitor.close();
        db.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void recordAttempt() {
        monitor.attempted(attempts[next++ & 1023]);
    }
}
