package dev.switchboard.routing.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.config.BudgetConfig;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.model.Usage;
import dev.switchboard.routing.Pricing;
import dev.switchboard.routing.RouteContext;
import dev.switchboard.state.InMemorySpendStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pricing every call and holding spend to the caps. */
class BudgetsTest {
    static final Clock NOW = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

    static ModelConfig computeCost(double perHour) {
        return new ModelConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, List.of(), List.of(), null, null, null, null, null, List.of(), null, null, null, null, null,
                perHour, Map.of());
    }

    @Test
    void pricesComeFromTheUpstreamThenTokensThenComputeTime() {
        Pricing b = new Pricing(m -> m.modelId().equals("local") ? computeCost(3.6) : null);
        ModelInfo priced = ModelInfo.builder("p", ProviderType.OPENROUTER, "openrouter").pricing(0.000003, 0.000015).build();
        assertThat(b.price(priced, new Usage(100, 20, 120, 0.5), 10)).isEqualTo(0.5);
        assertThat(b.price(priced, Usage.of(100, 20), 10)).isCloseTo(100 * 0.000003 + 20 * 0.000015, within(1e-12));
        ModelInfo flat = ModelInfo.builder("f", ProviderType.CUSTOM_API, "c").costPerToken(0.000002).build();
        assertThat(b.price(flat, Usage.of(100, 20), 10)).isCloseTo(120 * 0.000002, within(1e-12));
        ModelInfo local = ModelInfo.basic("local", ProviderType.LOCAL, "local");
        // $3.60 an hour for 2 seconds of generation
        assertThat(b.price(local, Usage.of(100, 20), 2000)).isCloseTo(0.002, within(1e-12));
    }

    @Test
    void aCallThatWouldBreakAProviderCapIsRefusedNamingTheCap() {
        BudgetConfig caps = new BudgetConfig(null, null, Map.of("openrouter", new BudgetConfig(0.01, 1.0, null)));
        Budgets b = new Budgets(caps, new InMemorySpendStore(), new Pricing(m -> null), NOW);
        ModelInfo m = ModelInfo.builder("p", ProviderType.OPENROUTER, "openrouter").pricing(0.00001, 0.00001).build();
        RouteContext small = RouteContext.of(ChatRequest.builder().prompt("hi").maxTokens(100).build(), NOW.instant());
        assertThat(b.admit(m, small).reason()).isNull();
        b.record(m, 0.0095);
        assertThat(b.admit(m, small).reason()).startsWith("openrouter daily budget: $0.0095 spent of $0.01");
        ModelInfo free = ModelInfo.builder("f", ProviderType.OPENROUTER, "openrouter").free(true).build();
        assertThat(b.admit(free, small).reason()).as("a free model never breaks a budget").isNull();
        assertThat(b.report(List.of("openrouter")).toString()).contains("spent_today_usd=0.0095");
    }
}
