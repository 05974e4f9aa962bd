package dev.switchboard.provider.anthropic;

import static dev.switchboard.provider.anthropic.Claude.KEY;
import static dev.switchboard.provider.anthropic.Claude.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.ConfigLoader;
import dev.switchboard.json.Json;
import dev.switchboard.manager.ModelManager;
import dev.switchboard.manager.ProviderRegistry;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.testkit.MockAnthropicServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A seed-style {@code custom_api} entry with {@code api_type: anthropic}, found through the provider registry. */
class AnthropicEndpointConfigTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path home;

    private MockAnthropicServer upstream;
    private ModelManager manager;

    @BeforeEach
    void start() {
        upstream = MockAnthropicServer.start(KEY, MODEL, "claude-haiku-4-5").replyWith(p -> "claude says " + p);
        String yaml = """
                model_management:
                  default_provider: custom_api
                  health_check_interval_seconds: 3600
                  providers:
                    custom_api:
                      custom_providers:
                        claude:
                          api_type: anthropic
                          base_url: "%s/v1"
                          api_key: "${ANTHROPIC_API_KEY}"
                          max_tokens: 333
                          anthropic_version: "2023-06-01"
                """.formatted(upstream.baseUrl());
        manager = new ModelManager(ConfigLoader.parse(yaml, "test.yaml", Map.of("ANTHROPIC_API_KEY", KEY)).config().modelManagement(),
                ProviderRegistry.discover(), Map.of("SWITCHBOARD_HOME", home.toString()));
        manager.start();
    }

    @AfterEach
    void stop() {
        manager.stop();
        upstream.close();
    }

    @Test
    void theEndpointIsAProviderNamedAfterItsEntryAndServesRequests() {
        assertThat(manager.models().availableModels("custom_api:claude", false)).extracting(ModelInfo::modelId)
                .containsExactly(MODEL, "claude-haiku-4-5");

        ChatResponse whole = manager.chat().generate(ChatRequest.builder().model("claude:" + MODEL).prompt("hi").build());
        List<String> tokens = new ArrayList<>();
        ChatResponse streamed = manager.chat().stream(ChatRequest.builder().model("custom_api:claude:claude-haiku-4-5").prompt("yo").build(),
                tokens::add);

        assertThat(whole.text()).isEqualTo("claude says hi");
        assertThat(whole.provider()).isEqualTo("custom_api:claude");
        assertThat(String.join("", tokens)).isEqualTo("claude says yo");
        assertThat(streamed.modelId()).isEqualTo("claude-haiku-4-5");
        assertThat(upstream.messageRequests()).allSatisfy(r -> assertThat(r.json().path("max_tokens").asInt()).isEqualTo(333));
    }

    @Test
    void statusShowsAHealthyProviderAndNeverTheKey() {
        manager.checkHealth();

        var status = manager.diagnostics().status().providers().get("custom_api:claude");
        assertThat(status.healthy()).isTrue();
        assertThat(status.endpoint()).isEqualTo(upstream.baseUrl());
        assertThat(Json.string(manager.diagnostics().status())).doesNotContain(KEY);
    }
}
