package dev.switchboard.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.ConfigLoader;
import dev.switchboard.manager.ModelManager;
import dev.switchboard.manager.ProviderRegistry;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.Requirements;
import dev.switchboard.model.TaskType;
import dev.switchboard.routing.Explanation;
import dev.switchboard.routing.Routing;
import dev.switchboard.routing.RoutingFailure;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hardware-fit gate and bonus inside routing, on by default, with the machine fixed by the test. */
class HardwareRoutingTest {
    private static final ModelInfo SMALL = FakeLocalProvider.gguf("small-1b", 1_000_000_000L, "Q4_K_M", false);
    private static final ModelInfo HUGE = FakeLocalProvider.gguf("huge-70b", 70_000_000_000L, "F16", false);

    @TempDir
    Path home;
    private ModelManager manager;

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.stop();
        }
    }

    private ModelManager started(HardwareInfo machine, List<ModelInfo> models) {
        String yaml = """
                model_management:
                  default_provider: local
                  selection_strategy: {trusted_providers: [local]}
                  providers:
                    local: {enabled: true}
                """;
        Map<String, String> env = Map.of("SWITCHBOARD_HOME", home.toString());
        manager = ModelManager.builder(ConfigLoader.parse(yaml, "test", env).config().modelManagement())
                .registry(new ProviderRegistry().register(FakeLocalProvider.factory(models))).env(env)
                .hardware(HardwareDetector.fixed(machine)).build();
        manager.start();
        return manager;
    }

    private static ChatRequest ask(String model) {
        return ChatRequest.builder().model(model).prompt("abc").build();
    }

    @Test
    void aLocalModelThatDoesNotFitIsSkippedWithTheReasonInTheExplanation() {
        started(Machines.cpuOnly(16, 9.8), List.of(SMALL, HUGE));

        assertThatThrownBy(() -> manager.chat().generate(ask("huge-70b"))).isInstanceOf(RoutingFailure.class)
                .hasMessageContaining("does not fit this machine: needs 157.0 GB RAM, 9.8 GB available")
                .satisfies(e -> {
                    Explanation x = ((RoutingFailure) e).explanation();
                    assertThat(x.excluded()).anySatisfy(ex -> {
                        assertThat(ex.model()).isEqualTo("local:huge-70b");
                        assertThat(ex.reason()).startsWith("does not fit this machine: needs 157.0 GB RAM, 9.8 GB available");
                    });
                    assertThat(x.attempts()).isEmpty();
                });
        assertThat(manager.chat().generate(ask("small-1b")).text()).isEqualTo("small-1b: abc");
    }

    @Test
    void theSameModelIsServedOnAMachineItFits() {
        started(Machines.cpuOnly(256, 200), List.of(SMALL, HUGE));

        assertThat(manager.chat().generate(ask("huge-70b")).text()).isEqualTo("huge-70b: abc");
    }

    @Test
    void taskRoutingGoesToWhatFitsAndTheBonusShowsInTheBreakdown() {
        started(Machines.cpuOnly(16, 9.8), List.of(HUGE, SMALL));

        ChatResponse r = manager.chat().generate(ChatRequest.builder().prompt("abc").taskType(TaskType.NARRATIVE_GENERATION).build());

        assertThat(r.modelId()).isEqualTo("small-1b");
        Explanation select = manager.chat().select(new Requirements(TaskType.GENERAL_CHAT, null, null, null, null, null, null));
        assertThat(select.chosen()).isEqualTo("local:small-1b");
        Explanation.Candidate small = select.candidates().stream().filter(c -> c.model().equals("local:small-1b"))
                .findFirst().orElseThrow();
        assertThat(small.breakdown()).containsEntry("hardware", 1.0);
    }

    @Test
    void theManagerReportsTheMachineAndItsRecommendations() {
        started(Machines.cpuOnly(16, 9.8), List.of(SMALL, HUGE));

        assertThat(manager.diagnostics().status().systemResources()).containsEntry("total_ram_gb", 16.0)
                .containsEntry("available_ram_gb", 9.8).containsEntry("cpu_cores", 8).containsEntry("has_gpu", false)
                .containsEntry("gpu_count", 0).containsEntry("platform", "Linux");
        assertThat(manager.diagnostics().recommendations(TaskType.NARRATIVE_GENERATION).ids()).first().isEqualTo("small-1b");
        Map<String, Object> system = manager.diagnostics().systemReport();
        assertThat(system).containsKeys("system_resources", "tiers", "size_classes", "local_models", "recommendations");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> local = (List<Map<String, Object>>) system.get("local_models");
        assertThat(local).extracting(m -> m.get("model_id") + "=" + m.get("compatible"))
                .containsExactly("small-1b=true", "huge-70b=false");
    }
}
