package dev.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.AliasConfig;
import dev.switchboard.config.SelectionStrategyConfig;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.model.Requirements;
import dev.switchboard.model.TaskType;
import dev.switchboard.provider.Health;
import dev.switchboard.provider.ModelFilter;
import dev.switchboard.provider.ModelInstance;
import dev.switchboard.provider.ModelProvider;
import dev.switchboard.provider.ProviderSettings;
import dev.switchboard.provider.ProviderStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The selector's promises over generated catalogs and requirements. */
class SelectorProperties {
    static final List<String> CAPS = List.of("chat", "creative_writing", "storytelling", "empathy", "vision", "analysis");

    @Provide
    Arbitrary<List<ModelInfo>> catalogs() {
        Arbitrary<ModelInfo> model = Combinators.combine(
                Arbitraries.of(ProviderType.values()),
                Arbitraries.doubles().between(0, 10).injectNull(0.3),
                Arbitraries.doubles().between(0, 10).injectNull(0.3),
                Arbitraries.doubles().between(0, 0.02).ofScale(8).injectNull(0.2),
                Arbitraries.integers().between(1024, 200_000).injectNull(0.2),
                Arbitraries.subsetOf(CAPS),
                Arbitraries.of("meta-llama/llama-3.1-8b", "anthropic/claude-3", "qwen/qwen2.5-7b", "mistral-7b", "gpt-4o"),
                Arbitraries.of(true, false))
                .as((type, perf, safety, cost, ctx, caps, family, free) -> ModelInfo.builder(family, type, type.wire())
                        .performanceScore(perf).therapeuticSafetyScore(safety).costPerToken(free ? Double.valueOf(0) : cost)
                        .free(free).contextLength(ctx).capabilities(List.copyOf(caps)).build());
        // unique keys: make each model id distinct by its position
        return model.list().ofMinSize(0).ofMaxSize(40).map(list -> {
            List<ModelInfo> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                out.add(rename(list.get(i), list.get(i).modelId() + "-" + i));
            }
            return out;
        });
    }

    static ModelInfo rename(ModelInfo m, String id) {
        return new ModelInfo(id, m.name(), m.providerType(), m.provider(), m.description(), m.contextLength(), m.costPerToken(),
                m.isFree(), m.capabilities(), m.therapeuticSafetyScore(), m.performanceScore(), m.promptPricePerToken(),
                m.completionPricePerToken(), m.maxCompletionTokens(), m.loaded(), m.supportedTasks(), m.details());
    }

    @Provide
    Arbitrary<Requirements> requirements() {
        return Combinators.combine(
                Arbitraries.of(TaskType.values()),
                Arbitraries.integers().between(100, 10_000).injectNull(0.5),
                Arbitraries.doubles().between(0, 10).injectNull(0.5),
                Arbitraries.doubles().between(0, 0.02).ofScale(8).injectNull(0.5),
                Arbitraries.subsetOf(CAPS).map(List::copyOf).injectNull(0.3),
                Arbitraries.integers().between(0, 150_000).injectNull(0.5),
                Arbitraries.of(true, false))
                .as(Requirements::new);
    }

    static Selector selector() {
        return new Selector(SelectionStrategyConfig.defaults(), Signals.NONE);
    }

    static List<String> keys(Selector.Ranking r) {
        return r.ranked().stream().map(x -> x.model().key()).toList();
    }

    @Property(tries = 300)
    void rankingIsDeterministicForEqualInputs(@ForAll("catalogs") List<ModelInfo> catalog, @ForAll("requirements") Requirements req) {
        Selector.Ranking first = selector().rank(catalog, req);
        Selector.Ranking second = selector().rank(List.copyOf(catalog), req);
        assertThat(keys(second)).isEqualTo(keys(first));
        assertThat(second.excluded().stream().map(x -> x.model() + " " + x.reason()).toList())
                .isEqualTo(first.excluded().stream().map(x -> x.model() + " " + x.reason()).toList());
    }

    @Property(tries = 300)
    void anExcludedModelNeverAppearsInTheRankingAndNoModelIsLost(@ForAll("catalogs") List<ModelInfo> catalog,
                                                                  @ForAll("requirements") Requirements req) {
        Selector.Ranking r = selector().rank(catalog, req);
        Set<String> ranked = new HashSet<>(keys(r));
        Set<String> excluded = new HashSet<>();
        r.excluded().forEach(x -> excluded.add(x.model()));
        Set<String> both = new HashSet<>(ranked);
        both.retainAll(excluded);
        assertThat(both).isEmpty();
        assertThat(ranked.size() + excluded.size()).isEqualTo(catalog.size());
        // and the order really is by score, best first
        for (int i = 1; i < r.ranked().size(); i++) {
            assertThat(r.ranked().get(i - 1).score()).isGreaterThanOrEqualTo(r.ranked().get(i).score());
        }
    }

    @Property(tries = 300)
    void raisingAModelsCostNeverRaisesItsRank(@ForAll("catalogs") List<ModelInfo> catalog, @ForAll("requirements") Requirements req,
                                              @ForAll int pick, @ForAll("raises") double raise) {
        if (catalog.isEmpty()) {
            return;
        }
        int i = Math.floorMod(pick, catalog.size());
        ModelInfo before = catalog.get(i);
        double cost = (before.costPerToken() == null ? 0 : before.costPerToken()) + raise;
        ModelInfo after = before.toBuilder().costPerToken(cost).free(false).build();
        List<ModelInfo> changed = new ArrayList<>(catalog);
        changed.set(i, after);
        int oldRank = keys(selector().rank(catalog, req)).indexOf(before.key());
        int newRank = keys(selector().rank(changed, req)).indexOf(after.key());
        if (oldRank < 0) {
            assertThat(newRank).as("a model that was excluded stays excluded when it gets dearer").isNegative();
        } else if (newRank >= 0) {
            assertThat(newRank).isGreaterThanOrEqualTo(oldRank);
        }
    }

    @Provide
    Arbitrary<Double> raises() {
        return Arbitraries.doubles().between(1e-9, 0.05).ofScale(10);
    }

    @Property(tries = 200)
    void theExplanationListsEveryCatalogModelExactlyOnce(@ForAll("catalogs") List<ModelInfo> catalog,
                                                         @ForAll("requirements") Requirements req) {
        Catalog cat = new Catalog(List.of(new StaticProvider("p", catalog)), Map.of());
        Planner planner = new Planner(cat, selector(), SelectionStrategyConfig.defaults(), Map.<String, AliasConfig>of(),
                null, new DeploymentStats(), Signals.NONE);
        Planner.Plan plan = planner.select(req);
        List<String> listed = new ArrayList<>();
        plan.candidates().forEach(c -> listed.add(c.model()));
        plan.excluded().forEach(x -> listed.add(x.model()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(cat.all().stream().map(ModelInfo::key).toList());
        plan.excluded().forEach(x -> assertThat(x.reason()).isNotBlank());
    }

    /** A provider with a fixed catalog; the properties never call it. */
    static final class StaticProvider implements ModelProvider {
        private final String name;
        private final List<ModelInfo> models;

        StaticProvider(String name, List<ModelInfo> models) {
            this.name = name;
            Map<String, ModelInfo> byKey = new LinkedHashMap<>();
            models.forEach(m -> byKey.putIfAbsent(m.key(), m));
            this.models = List.copyOf(byKey.values());
        }

        @Override public String name() { return name; }
        @Override public ProviderType type() { return ProviderType.CUSTOM_API; }
        @Override public void initialize(ProviderSettings settings) { }
        @Override public List<ModelInfo> availableModels(ModelFilter filter) { return models; }
        @Override public ModelInstance load(String modelId, Map<String, Object> options) { throw new UnsupportedOperationException(); }
        @Override public boolean unload(String modelId) { return false; }
        @Override public Health healthCheck() { return Health.ok("static"); }
        @Override public ProviderStatus status() { return null; }
        @Override public void close() { }
    }
}
