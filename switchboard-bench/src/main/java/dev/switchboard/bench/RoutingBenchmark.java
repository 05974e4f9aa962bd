package dev.switchboard.bench;

import dev.switchboard.config.SelectionStrategyConfig;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.model.Requirements;
import dev.switchboard.model.TaskType;
import dev.switchboard.routing.RouteContext;
import dev.switchboard.routing.Selector;
import dev.switchboard.routing.Signals;
import dev.switchboard.routing.guard.Admission;
import dev.switchboard.routing.guard.ContextGuard;
import dev.switchboard.routing.guard.CooldownGuard;
import dev.switchboard.state.InMemoryRoutingState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The selector ranking a 10,000-model catalog (targets: p99 under 1 ms) and single guard checks (under 1 µs),
 * both for a catalog the selector has seen (the steady state) and right after a refresh.
 * SampleTime mode reports percentiles. The catalog mixes providers, prices, scores, context windows and
 * capabilities, with a fifth of it excluded by the requirements, so both paths of the filter run.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RoutingBenchmark {
    List<ModelInfo> catalog;
    Selector selector;
    Requirements requirements;
    CooldownGuard cooldown;
    ContextGuard context;
    RouteContext ctx;
    ModelInfo cooling;
    ModelInfo healthy;

    @Setup
    public void setup() {
        Random r = new Random(42);
        String[] families = {"meta-llama/llama-3.1-8b", "anthropic/claude-3", "qwen/qwen2.5-7b", "mistral-7b", "gpt-4o"};
        String[] caps = {"chat", "creative_writing", "storytelling", "empathy", "analysis"};
        ProviderType[] types = ProviderType.values();
        catalog = new ArrayList<>(10_000);
        for (int i = 0; i < 10_000; i++) {
            ProviderType t = types[r.nextInt(types.length)];
            List<String> c = new ArrayList<>();
            for (String cap : caps) {
                if (r.nextBoolean()) {
                    c.add(cap);
                }
            }
            boolean free = r.nextInt(5) == 0;
            catalog.add(ModelInfo.builder(families[r.nextInt(families.length)] + "-" + i, t, "provider-" + (i % 7))
                    .performanceScore(r.nextInt(10) == 0 ? null : 3 + r.nextDouble() * 7)
                    .therapeuticSafetyScore(r.nextInt(4) == 0 ? null : 6 + r.nextDouble() * 4)
                    .costPerToken(free ? 0.0 : r.nextDouble() * 0.00002).free(free)
                    .contextLength(r.nextBoolean() ? 8192 : 131072)
                    .capabilities(c).build());
        }
        selector = new Selector(SelectionStrategyConfig.defaults(), Signals.NONE);
        requirements = new Requirements(TaskType.NARRATIVE_GENERATION, 5000, 4.0, 0.000015, List.of("chat"), 4000, true);
        InMemoryRoutingState state = new InMemoryRoutingState();
        cooling = catalog.get(1);
        healthy = catalog.get(2);
        state.extendCooldown(cooling.key(), Instant.now().plusSeconds(3600));
        cooldown = new CooldownGuard(state);
        context = new ContextGuard();
        ctx = RouteContext.of(ChatRequest.builder().prompt("Tell me a story about a lighthouse keeper.").maxTokens(256).build(),
                Instant.now());
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Selector.Ranking rank10k() {
        return selector.rank(catalog, requirements);
    }

    /**
     * The same ranking right after a catalog refresh: the per-task part of each score is recomputed (the
     * selector caches it per catalog object, and a copy is a new catalog).
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Selector.Ranking rank10kFreshCatalog() {
        return selector.rank(new ArrayList<>(catalog), requirements);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Admission cooldownGuardHealthy() {
        return cooldown.admit(healthy, ctx);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Admission cooldownGuardCooling() {
        return cooldown.admit(cooling, ctx);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Admission contextGuard() {
        return context.admit(healthy, ctx);
    }
}
