package dev.switchboard.provider.openrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.ProviderConfig;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.provider.FreeModelFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Where each filter setting comes from, and what the three settings do to a catalog. */
class FreeModelPolicyProperties {

    // --- precedence: API (stored) > config > env > defaults --------------------------------------------

    @Property(tries = 500)
    void eachSettingComesFromTheFirstSourceThatHasIt(
            @ForAll Optional<Boolean> storedShow, @ForAll Optional<Boolean> configShow, @ForAll Optional<Boolean> envShow,
            @ForAll Optional<Boolean> storedPrefer, @ForAll Optional<Boolean> configPrefer, @ForAll Optional<Boolean> envPrefer,
            @ForAll("caps") Optional<Double> storedCap, @ForAll("caps") Optional<Double> configCap,
            @ForAll("caps") Optional<Double> envCap) {
        Map<String, String> env = new HashMap<>();
        envShow.ifPresent(v -> env.put(FreeModelPolicy.ENV_SHOW_FREE_ONLY, v.toString()));
        envPrefer.ifPresent(v -> env.put(FreeModelPolicy.ENV_PREFER_FREE, v ? "yes" : "0"));
        envCap.ifPresent(v -> env.put(FreeModelPolicy.ENV_MAX_COST, v.toString()));
        StringBuilder yaml = new StringBuilder("api_key: k\n");
        configShow.ifPresent(v -> yaml.append("show_free_only: ").append(v).append('\n'));
        configPrefer.ifPresent(v -> yaml.append("prefer_free_models: ").append(v).append('\n'));
        configCap.ifPresent(v -> yaml.append("max_cost_per_token: ").append(v).append('\n'));
        ProviderConfig config = Routers.config(yaml.toString(), Map.of());

        FreeModelFilter f = FreeModelPolicy.resolve(
                new FreeModelPolicy.Stored(storedShow.orElse(null), storedPrefer.orElse(null), storedCap.orElse(null)), config, env);

        assertThat(f.showFreeOnly()).isEqualTo(storedShow.or(() -> configShow).or(() -> envShow).orElse(false));
        assertThat(f.preferFree()).isEqualTo(storedPrefer.or(() -> configPrefer).or(() -> envPrefer).orElse(true));
        assertThat(f.maxCostPerToken()).isEqualTo(storedCap.or(() -> configCap).or(() -> envCap).orElse(0.001));
    }

    @Provide
    Arbitrary<Optional<Double>> caps() {
        return Arbitraries.of(0.0, 1e-7, 9e-6, 0.001, 0.5).optional();
    }

    @Example
    void nothingAnywhereGivesTheSeedDefaults() {
        FreeModelFilter f = FreeModelPolicy.resolve(null, Routers.config("api_key: k\n", Map.of()), Map.of());
        assertThat(f).isEqualTo(new FreeModelFilter(false, true, 0.001));
    }

    @Property(tries = 200)
    void aBadEnvironmentValueNamesTheVariable(@ForAll("envNames") String name, @ForAll("junk") String value) {
        assertThatThrownBy(() -> FreeModelPolicy.resolve(null, Routers.config("api_key: k\n", Map.of()), Map.of(name, value)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name).hasMessageContaining(value);
    }

    @Provide
    Arbitrary<String> envNames() {
        return Arbitraries.of(FreeModelPolicy.ENV_SHOW_FREE_ONLY, FreeModelPolicy.ENV_PREFER_FREE, FreeModelPolicy.ENV_MAX_COST);
    }

    @Provide
    Arbitrary<String> junk() {
        return Arbitraries.oneOf(Arbitraries.strings().alpha().ofMinLength(2).ofMaxLength(8)
                        .filter(s -> !List.of("true", "false", "yes", "no", "on", "off", "nan", "infinity").contains(s.toLowerCase())),
                Arbitraries.of("-1", "-0.5", "maybe"));
    }

    @Example
    void aStoredCapThatIsNotAPriceIsIgnored() {
        FreeModelFilter f = FreeModelPolicy.resolve(new FreeModelPolicy.Stored(true, null, -3.0),
                Routers.config("api_key: k\nmax_cost_per_token: 0.00002\n", Map.of()), Map.of());
        assertThat(f).isEqualTo(new FreeModelFilter(true, true, 0.00002));
    }

    @Property(tries = 100)
    void aCapThatIsNotAFiniteNonNegativeNumberIsABadRequest(@ForAll("badCaps") double cap, @ForAll boolean a, @ForAll boolean b) {
        assertThatThrownBy(() -> FreeModelPolicy.validated(new FreeModelFilter(a, b, cap)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("max_cost_per_token");
    }

    @Provide
    Arbitrary<Double> badCaps() {
        return Arbitraries.oneOf(Arbitraries.doubles().lessThan(0), Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY));
    }

    // --- what the settings do -------------------------------------------------------------------------

    @Property(tries = 1000)
    void showFreeOnlyKeepsExactlyTheFreeModelsInOrder(@ForAll("catalogs") List<ModelInfo> catalog, @ForAll boolean prefer,
                                                       @ForAll("capValues") double cap) {
        List<ModelInfo> out = FreeModelPolicy.apply(catalog, new FreeModelFilter(true, prefer, cap));
        assertThat(out).containsExactlyElementsOf(catalog.stream().filter(ModelInfo::isFree).toList());
    }

    @Property(tries = 1000)
    void preferFreeListsFreeModelsFirstThenPricedModelsUnderTheCap(@ForAll("catalogs") List<ModelInfo> catalog,
                                                                   @ForAll("capValues") double cap) {
        List<ModelInfo> out = FreeModelPolicy.apply(catalog, new FreeModelFilter(false, true, cap));

        List<ModelInfo> expected = new ArrayList<>(catalog.stream().filter(ModelInfo::isFree).toList());
        expected.addAll(catalog.stream()
                .filter(m -> !m.isFree() && m.costPerToken() != null && m.costPerToken() <= cap).toList());
        assertThat(out).containsExactlyElementsOf(expected);
        assertThat(out).noneMatch(m -> !m.isFree() && m.costPerToken() == null);
    }

    @Property(tries = 300)
    void withNeitherEveryModelStays(@ForAll("catalogs") List<ModelInfo> catalog, @ForAll("capValues") double cap) {
        assertThat(FreeModelPolicy.apply(catalog, new FreeModelFilter(false, false, cap))).isSameAs(catalog);
    }

    @Provide
    Arbitrary<Double> capValues() {
        return Arbitraries.of(0.0, 1e-6, 9e-6, 1e-5, 0.001, 1.0);
    }

    @Provide
    Arbitrary<List<ModelInfo>> catalogs() {
        Arbitrary<Double> prices = Arbitraries.of(0.0, 1.5e-7, 3e-6, 9e-6, 1e-5, 1.5e-5, 0.0006, 0.002).injectNull(0.15);
        Arbitrary<ModelInfo> model = Combinators.combine(Arbitraries.integers().between(0, 10_000), prices, prices)
                .as((n, p, c) -> ModelInfo.builder("m" + n, ProviderType.OPENROUTER, "openrouter")
                        .pricing(p, c).costPerToken(p == null || c == null ? null : (p + c) / 2)
                        .free(p != null && c != null && p == 0 && c == 0).build());
        return model.list().ofMaxSize(20);
    }
}
