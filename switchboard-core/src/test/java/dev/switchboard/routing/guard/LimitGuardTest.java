package dev.switchboard.routing.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.ModelConfig;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.routing.RouteContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** rpm, tpm and max_parallel_requests per deployment, as the router's guards apply them. */
class LimitGuardTest {
    static final ModelInfo M = ModelInfo.basic("m", ProviderType.CUSTOM_API, "custom_api:x");

    static ModelConfig limits(Integer rpm, Integer tpm, Integer parallel) {
        return new ModelConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, List.of(), List.of(), null, null, null, null, null, List.of(), null, null, rpm, tpm, parallel,
                null, Map.of());
    }

    static RouteContext ctx(int promptChars, int maxTokens) {
        return RouteContext.of(ChatRequest.builder().prompt("x".repeat(promptChars)).maxTokens(maxTokens).build(), Instant.now());
    }

    @Test
    void parallelSlotsAreTakenAndGivenBack() {
        LimitGuard g = new LimitGuard(m -> limits(null, null, 2), new dev.switchboard.state.LocalRateLimits());
        Admission first = g.admit(M, ctx(10, 10));
        assertThat(first.reason()).isNull();
        assertThat(g.admit(M, ctx(10, 10)).reason()).isNull();
        assertThat(g.admit(M, ctx(10, 10)).reason()).isEqualTo("max_parallel_requests 2 reached");
        ((Admission.Admitted) first).permit().release();
        assertThat(g.admit(M, ctx(10, 10)).reason()).isNull();
    }

    @Test
    void tokensPerMinuteCountTheEstimateAndRefuseWhatCouldNeverFit() {
        LimitGuard g = new LimitGuard(m -> limits(null, 1000, null), new dev.switchboard.state.LocalRateLimits());
        RouteContext half = ctx(1500, 100); // ~379 prompt + 100 completion
        assertThat(g.admit(M, half).reason()).isNull();
        assertThat(g.admit(M, half).reason()).isNull();
        assertThat(g.admit(M, half).reason()).isEqualTo("tpm limit 1000 reached");
        assertThat(g.admit(M, ctx(8000, 100)).reason()).startsWith("needs ~").endsWith("more than its tpm limit 1000");
    }

    @Test
    void aRefusedRateLimitReturnsTheParallelSlotItTook() {
        LimitGuard g = new LimitGuard(m -> limits(1, null, 1), new dev.switchboard.state.LocalRateLimits());
        Admission first = g.admit(M, ctx(10, 10));
        assertThat(first.reason()).isNull();
        ((Admission.Admitted) first).permit().release();
        assertThat(g.admit(M, ctx(10, 10)).reason()).isEqualTo("rpm limit 1 reached");
        // the parallel slot taken before the rpm check was given back
        LimitGuard parallelOnly = new LimitGuard(m -> limits(null, null, 1), new dev.switchboard.state.LocalRateLimits());
        assertThat(parallelOnly.admit(M, ctx(10, 10)).reason()).isNull();
    }

    @Test
    void aDeploymentWithoutLimitsIsAlwaysAdmitted() {
        LimitGuard g = new LimitGuard(m -> null, new dev.switchboard.state.LocalRateLimits());
        for (int i = 0; i < 1000; i++) {
            assertThat(g.admit(M, ctx(10, 10)).reason()).isNull();
        }
    }
}
