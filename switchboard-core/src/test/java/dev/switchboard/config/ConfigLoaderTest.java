package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.model.TaskType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    /** The seed README's sample, byte for byte. */
    static final String SEED_README_SAMPLE = """
            model_management:
              enabled: true
              default_provider: "openrouter"
              providers:
                openrouter:
                  enabled: true
                  api_key: "${OPENROUTER_API_KEY}"
                  free_models_only: true
                  preferred_models:
                    - "meta-llama/llama-3.1-8b-instruct:free"
                ollama:
                  enabled: true
                  base_url: "http://localhost:11434"
                  docker_enabled: true
                  auto_pull_models: true
                local:
                  enabled: false
                  models_cache_dir: "./models"
                  max_concurrent_models: 2
              selection_strategy:
                algorithm: "performance_based"
                prefer_free_models: true
                therapeutic_safety_threshold: 7.0
              fallback_config:
                enabled: true
                max_retries: 3
                fallback_strategy: "performance_based"
            """;

    private static SwitchboardConfig.Loaded parse(String yaml, Map<String, String> env) {
        return ConfigLoader.parse(yaml, "test.yaml", env);
    }

    private static SwitchboardConfig.Loaded parse(String yaml) {
        return parse(yaml, Map.of());
    }

    private static ModelManagementConfig mm(String yaml) {
        return parse(yaml).config().modelManagement();
    }

    // --- the seed's files load unchanged ---------------------------------------------------------------

    @Test
    void seedReadmeSampleLoadsWithEveryValueInPlace() {
        SwitchboardConfig.Loaded loaded = parse(SEED_README_SAMPLE, Map.of("OPENROUTER_API_KEY", "sk-or-v1-abc123"));

        assertThat(loaded.warnings()).allMatch(w -> w.startsWith("unknown key") || w.contains(": accepted for compatibility, has no effect"));
        ModelManagementConfig mm = loaded.config().modelManagement();
        assertThat(mm.enabled()).isTrue();
        assertThat(mm.defaultProvider()).isEqualTo("openrouter");
        assertThat(mm.providers()).containsOnlyKeys("openrouter", "ollama", "local");

        ProviderConfig openrouter = mm.providers().get("openrouter");
        assertThat(openrouter.enabled()).isTrue();
        assertThat(openrouter.apiKey().reveal()).isEqualTo("sk-or-v1-abc123");
        assertThat(openrouter.showFreeOnly()).isTrue();
        assertThat(openrouter.preferredModels()).containsExactly("meta-llama/llama-3.1-8b-instruct:free");

        ProviderConfig ollama = mm.providers().get("ollama");
        assertThat(ollama.enabled()).isTrue();
        assertThat(ollama.apiBase()).isEqualTo("http://localhost:11434");
        assertThat(ollama.useDocker()).isTrue();
        assertThat(ollama.autoPull()).isTrue();

        ProviderConfig local = mm.providers().get("local");
        assertThat(local.enabled()).isFalse();
        assertThat(local.modelsCacheDir()).isEqualTo("./models");
        assertThat(local.maxConcurrentModels()).isEqualTo(2);

        assertThat(mm.selectionStrategy().algorithm()).isEqualTo("performance_based");
        assertThat(mm.selectionStrategy().preferFreeModels()).isTrue();
        assertThat(mm.selectionStrategy().minTherapeuticSafetyScore()).isEqualTo(7.0);
        assertThat(mm.fallbackConfig().enabled()).isTrue();
        assertThat(mm.fallbackConfig().maxRetries()).isEqualTo(3);
        assertThat(mm.fallbackConfig().fallbackStrategy()).isEqualTo(dev.switchboard.config.FallbackStrategy.PERFORMANCE_BASED);
    }

    @Test
    void seedReadmeSampleLoadsWithoutTheKeyAndSaysWhichVariableIsMissing() {
        SwitchboardConfig.Loaded loaded = parse(SEED_README_SAMPLE);

        assertThat(loaded.config().modelManagement().providers().get("openrouter").apiKey()).isNull();
        assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w)
                .contains("model_management.providers.openrouter.api_key")
                .contains("OPENROUTER_API_KEY"));
    }

    @Test
    void seedModelEntriesKeepTheirScoresTasksAndCosts() {
        ModelManagementConfig mm = mm("""
                model_management:
                  default_model: "openrouter:meta-llama/llama-3.1-8b-instruct:free"
                  models:
                    "meta-llama/llama-3.1-8b-instruct:free":
                      model_id: "meta-llama/llama-3.1-8b-instruct:free"
                      provider_type: openrouter
                      supported_tasks: [therapeutic_response, GENERAL_CHAT]
                      context_length: 131072
                      cost_per_token: 0.0
                      is_free: true
                      therapeutic_safety_score: 8.5
                      performance_score: 7
                      enabled: true
                """);
        ModelConfig m = mm.models().get("meta-llama/llama-3.1-8b-instruct:free");
        assertThat(mm.defaultModel()).isEqualTo("openrouter:meta-llama/llama-3.1-8b-instruct:free");
        assertThat(m.supportedTasks()).containsExactly(TaskType.THERAPEUTIC_RESPONSE, TaskType.GENERAL_CHAT);
        assertThat(m.contextLength()).isEqualTo(131072);
        assertThat(m.isFree()).isTrue();
        assertThat(m.therapeuticSafetyScore()).isEqualTo(8.5);
        assertThat(m.performanceScore()).isEqualTo(7.0);
    }

    @Test
    void customEndpointsLoadUnderCustomApi() {
        ModelManagementConfig mm = mm("""
                model_management:
                  providers:
                    custom_api:
                      enabled: true
                      custom_providers:
                        my_vllm:
                          api_type: openai
                          base_url: "http://gpu-box:8000/v1"
                          api_key: "vllm-secret"
                          models: ["Qwen/Qwen2.5-7B-Instruct", "llama3.2:3b"]
                          request_timeout_seconds: 30
                        claude:
                          api_type: Anthropic
                          base_url: "https://api.anthropic.com"
                          models: claude-3-5-haiku-latest
                """);
        Map<String, CustomEndpointConfig> custom = mm.providers().get("custom_api").customProviders();
        assertThat(custom).containsOnlyKeys("my_vllm", "claude");

        CustomEndpointConfig vllm = custom.get("my_vllm");
        assertThat(vllm.apiType()).isEqualTo("openai");
        assertThat(vllm.baseUrl()).isEqualTo("http://gpu-box:8000/v1");
        assertThat(vllm.apiKey().reveal()).isEqualTo("vllm-secret");
        assertThat(vllm.models()).containsExactly("Qwen/Qwen2.5-7B-Instruct", "llama3.2:3b");
        assertThat(vllm.requestTimeoutSeconds()).isEqualTo(30.0);
        assertThat(vllm.enabled()).isTrue();

        CustomEndpointConfig claude = custom.get("claude");
        assertThat(claude.apiType()).isEqualTo("anthropic");
        assertThat(claude.apiKey()).isNull();
        assertThat(claude.models()).containsExactly("claude-3-5-haiku-latest");
    }

    // --- environment ---------------------------------------------------------------------------------

    @Test
    void variablesAreSubstitutedInsideLargerStringsAndDefaultsApplyWhenUnsetOrEmpty() {
        String yaml = """
                model_management:
                  providers:
                    custom_api:
                      custom_providers:
                        box:
                          base_url: "http://${GPU_HOST}:${GPU_PORT:-8000}/v1"
                          api_key: "${BOX_KEY:-local-key}"
                """;
        CustomEndpointConfig set = parse(yaml, Map.of("GPU_HOST", "10.0.0.7", "GPU_PORT", "9001", "BOX_KEY", "k1"))
                .config().modelManagement().providers().get("custom_api").customProviders().get("box");
        assertThat(set.baseUrl()).isEqualTo("http://10.0.0.7:9001/v1");
        assertThat(set.apiKey().reveal()).isEqualTo("k1");

        CustomEndpointConfig defaulted = parse(yaml, Map.of("GPU_HOST", "10.0.0.7", "GPU_PORT", ""))
                .config().modelManagement().providers().get("custom_api").customProviders().get("box");
        assertThat(defaulted.baseUrl()).isEqualTo("http://10.0.0.7:8000/v1");
        assertThat(defaulted.apiKey().reveal()).isEqualTo("local-key");
    }

    @Test
    void numbersAndBooleansCanComeFromVariables() {
        SwitchboardConfig c = parse("""
                server:
                  port: "${PORT:-8080}"
                model_management:
                  health_check_interval_seconds: "${HC}"
                  providers:
                    openrouter:
                      enabled: "${OR_ON:-false}"
                """, Map.of("PORT", "9000", "HC", "60")).config();
        assertThat(c.server().port()).isEqualTo(9000);
        assertThat(c.modelManagement().healthCheckIntervalSeconds()).isEqualTo(60);
        assertThat(c.modelManagement().providers().get("openrouter").enabled()).isFalse();
    }

    @Test
    void openRouterApiKeyFromTheEnvironmentWinsOverTheFile() {
        ModelManagementConfig mm = parse("""
                model_management:
                  providers:
                    openrouter:
                      api_key: "sk-or-from-file"
                """, Map.of("OPENROUTER_API_KEY", "sk-or-from-env")).config().modelManagement();
        assertThat(mm.providers().get("openrouter").apiKey().reveal()).isEqualTo("sk-or-from-env");
    }

    @Test
    void openRouterApiKeyAloneDoesNotConfigureOpenRouter() {
        ModelManagementConfig mm = parse("""
                model_management:
                  providers:
                    ollama:
                      base_url: "http://localhost:11434"
                """, Map.of("OPENROUTER_API_KEY", "sk-or-from-env")).config().modelManagement();
        assertThat(mm.providers()).containsOnlyKeys("ollama");
    }

    // --- defaults and discovery ----------------------------------------------------------------------

    @Test
    void zeroConfigurationGivesTheDefaults() {
        SwitchboardConfig.Loaded loaded = parse("");
        SwitchboardConfig c = loaded.config();
        assertThat(loaded.warnings()).isEmpty();
        assertThat(c.modelManagement().enabled()).isTrue();
        assertThat(c.modelManagement().defaultProvider()).isEqualTo("openrouter");
        assertThat(c.modelManagement().providers()).isEmpty();
        assertThat(c.modelManagement().models()).isEmpty();
        assertThat(c.modelManagement().healthCheckIntervalSeconds()).isEqualTo(300);
        assertThat(c.modelManagement().cacheTtlSeconds()).isEqualTo(3600);
        assertThat(c.modelManagement().fallbackConfig().maxRetries()).isEqualTo(3);
        assertThat(c.server().host()).isEqualTo("127.0.0.1");
        assertThat(c.server().port()).isEqualTo(8080);
        assertThat(c.server().apiKeys()).isEmpty();
    }

    @Test
    void anEmptyModelManagementSectionGivesTheDefaults() {
        SwitchboardConfig.Loaded loaded = parse("model_management:\n");
        assertThat(loaded.config()).isEqualTo(SwitchboardConfig.defaults());
        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void anEmptyProviderSectionSaysWhatWasExpected() {
        assertThatThrownBy(() -> parse("""
                model_management:
                  providers:
                    openrouter:
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("model_management.providers.openrouter")
                .hasMessageContaining("expected a mapping");
    }

    @Test
    void aFileNamedBySwitchboardConfigIsLoaded(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, "server:\n  port: 9191\n");
        SwitchboardConfig.Loaded loaded = ConfigLoader.locateAndLoad(null, Map.of("SWITCHBOARD_CONFIG", file.toString()));
        assertThat(loaded.config().server().port()).isEqualTo(9191);
        assertThat(loaded.source()).isEqualTo(file.toString());
    }

    @Test
    void withNoFileAnywhereTheBuiltInDefaultsAreUsed(@TempDir Path emptyHome) {
        SwitchboardConfig.Loaded loaded = ConfigLoader.locateAndLoad(null, Map.of("SWITCHBOARD_HOME", emptyHome.toString()));
        assertThat(loaded.config()).isEqualTo(SwitchboardConfig.defaults());
        assertThat(loaded.source()).contains("defaults");
    }

    @Test
    void aMissingExplicitFileIsAConfigErrorNamingThePath(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ConfigLoader.locateAndLoad(missing, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString());
    }

    // --- unknown keys --------------------------------------------------------------------------------

    @Test
    void unknownKeysAreWarningsNamingTheDottedPath() {
        SwitchboardConfig.Loaded loaded = parse("""
                telemetry:
                  enabled: true
                model_management:
                  turbo_mode: true
                  providers:
                    openrouter:
                      fancy_flag: 1
                      nested_extra:
                        a: 1
                  fallback_config:
                    max_retries: 2
                    circuit_breaker: {threshold: 5}
                """);
        assertThat(loaded.warnings()).containsExactlyInAnyOrder(
                "unknown key 'telemetry' ignored",
                "unknown key 'model_management.turbo_mode' ignored",
                "unknown key 'model_management.providers.openrouter.fancy_flag' ignored",
                "unknown key 'model_management.providers.openrouter.nested_extra' ignored",
                "unknown key 'model_management.fallback_config.circuit_breaker' ignored");
        assertThat(loaded.config().modelManagement().fallbackConfig().maxRetries()).isEqualTo(2);
    }

    // --- errors name the key, the value and what was expected -----------------------------------------

    @Test
    void aBadBooleanNamesTheKeyAndValue() {
        assertThatThrownBy(() -> parse("""
                model_management:
                  providers:
                    openrouter:
                      enabled: maybe
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("model_management.providers.openrouter.enabled")
                .hasMessageContaining("maybe")
                .hasMessageContaining("true or false");
    }

    @Test
    void aNegativeHealthCheckIntervalIsRejected() {
        assertThatThrownBy(() -> parse("""
                model_management:
                  health_check_interval_seconds: -5
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("model_management.health_check_interval_seconds")
                .hasMessageContaining("-5")
                .hasMessageContaining("greater than 0");
    }

    @Test
    void anUnsupportedApiTypeIsRejected() {
        assertThatThrownBy(() -> parse("""
                model_management:
                  providers:
                    custom_api:
                      custom_providers:
                        rpc:
                          api_type: grpc
                          base_url: "http://localhost:50051"
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("model_management.providers.custom_api.custom_providers.rpc.api_type")
                .hasMessageContaining("grpc")
                .hasMessageContaining("openai or anthropic");
    }

    @Test
    void aBaseUrlThatIsNotHttpIsRejected() {
        assertThatThrownBy(() -> parse("""
                model_management:
                  providers:
                    custom_api:
                      custom_providers:
                        box:
                          base_url: "ftp://files.example.com/v1"
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("model_management.providers.custom_api.custom_providers.box.base_url")
                .hasMessageContaining("ftp://files.example.com/v1")
                .hasMessageContaining("http:// or https://");
    }

    @Test
    void aProviderBaseUrlWithoutSchemeIsRejected() {
        assertThatThrownBy(() -> parse("""
                model_management:
                  providers:
                    ollama:
                      base_url: "localhost:11434"
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("model_management.providers.ollama")
                .hasMessageContaining("localhost:11434")
                .hasMessageContaining("http:// or https://");
    }

    @Test
    void aCustomEndpointNamedLikeAnotherProviderIsRejected() {
        assertThatThrownBy(() -> parse("""
                model_management:
                  providers:
                    openrouter:
                      api_key: "x"
                    custom_api:
                      custom_providers:
                        openrouter:
                          base_url: "http://localhost:8000"
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("model_management.providers.custom_api.custom_providers.openrouter")
                .hasMessageContaining("'openrouter'")
                .hasMessageContaining("unique");
    }

    @Test
    void twoCustomEndpointsWithTheSameNameInDifferentSectionsAreRejected() {
        assertThatThrownBy(() -> parse("""
                model_management:
                  providers:
                    custom_api:
                      custom_providers:
                        box:
                          base_url: "http://localhost:8000"
                    more_endpoints:
                      provider_type: custom_api
                      custom_providers:
                        box:
                          base_url: "http://localhost:8001"
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("custom_providers.box")
                .hasMessageContaining("unique");
    }

    @Test
    void aProviderWrittenTwiceIsRejectedInsteadOfSilentlyDroppingOne() {
        assertThatThrownBy(() -> parse("""
                model_management:
                  providers:
                    openrouter:
                      api_key: "first"
                    openrouter:
                      api_key: "second"
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("model_management.providers.openrouter")
                .hasMessageContaining("Duplicate")
                .hasMessageContaining("line 5");
    }

    @Test
    void anEndpointNameWithAColonIsRejectedBecauseItWouldBreakProviderColonModel() {
        assertThatThrownBy(() -> parse("""
                model_management:
                  providers:
                    custom_api:
                      custom_providers:
                        "gpu:box":
                          base_url: "http://localhost:8000"
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("custom_providers.gpu:box")
                .hasMessageContaining("':'");
    }

    @Test
    void aServerPortOutOfRangeIsRejected() {
        assertThatThrownBy(() -> parse("""
                server:
                  port: 70000
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.port")
                .hasMessageContaining("70000")
                .hasMessageContaining("between 0 and 65535");
    }

    @Test
    void anOllamaPortOutOfRangeIsRejected() {
        assertThatThrownBy(() -> parse("""
                model_management:
                  providers:
                    ollama:
                      ollama_port: 0
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("model_management.providers.ollama.ollama_port")
                .hasMessageContaining("'0'")
                .hasMessageContaining("between 1 and 65535");
    }

    @Test
    void aSectionNotNamedAfterAProviderKindIsRejected() {
        assertThatThrownBy(() -> parse("""
                model_management:
                  providers:
                    bedrock:
                      api_key: "x"
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("model_management.providers.bedrock")
                .hasMessageContaining("provider_type");
    }

    @Test
    void anUnknownTaskTypeNamesTheKeyAndTheValue() {
        assertThatThrownBy(() -> parse("""
                model_management:
                  models:
                    m1:
                      supported_tasks: [poetry]
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("model_management.models.m1.supported_tasks")
                .hasMessageContaining("poetry");
    }

    @Test
    void brokenYamlSaysWhereItBroke() {
        assertThatThrownBy(() -> parse("""
                model_management:
                  providers: [unclosed
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("test.yaml")
                .hasMessageContaining("not valid YAML")
                .hasMessageContaining("line");
    }

    // --- secrets -------------------------------------------------------------------------------------

    @Test
    void apiKeysNeverAppearInToString() {
        List<String> keys = List.of("sk-or-v1-TOPSECRET-1", "sk-custom-TOPSECRET-2", "sk-model-TOPSECRET-3", "sb-server-TOPSECRET-4",
                "hdr-TOPSECRET-5");
        SwitchboardConfig.Loaded loaded = parse("""
                server:
                  api_keys: ["sb-server-TOPSECRET-4"]
                model_management:
                  providers:
                    openrouter:
                      api_key: "${OR_KEY}"
                    custom_api:
                      api_key: "sk-custom-TOPSECRET-2"
                      custom_providers:
                        box:
                          base_url: "http://localhost:8000"
                          api_key: "sk-custom-TOPSECRET-2"
                          headers: {x-api-key: "hdr-TOPSECRET-5"}
                  models:
                    m1:
                      api_key: "sk-model-TOPSECRET-3"
                """, Map.of("OR_KEY", "sk-or-v1-TOPSECRET-1"));
        SwitchboardConfig c = loaded.config();
        ModelManagementConfig mm = c.modelManagement();
        List<Object> records = List.of(loaded, c, mm, c.server(), mm.providers().get("openrouter"),
                mm.providers().get("custom_api"), mm.providers().get("custom_api").customProviders().get("box"),
                mm.models().get("m1"));
        for (Object r : records) {
            String s = r.toString();
            for (String key : keys) {
                assertThat(s).as(r.getClass().getSimpleName() + ".toString()").doesNotContain(key).doesNotContain("TOPSECRET");
            }
        }
        assertThat(c.toString()).contains("[redacted]");
        assertThat(mm.providers().get("openrouter").apiKey().reveal()).isEqualTo("sk-or-v1-TOPSECRET-1");
        assertThat(c.server().apiKeys()).extracting(Secret::reveal).containsExactly("sb-server-TOPSECRET-4");
    }

    @Test
    void theSeedsOwnOllamaKeysAndCostUnitsAreHonoured() {
        ModelManagementConfig c = mm("""
                model_management:
                  providers:
                    ollama: {host: ollama.internal, port: 11500, container_name: story-ollama}
                    openrouter: {max_cost_per_million_tokens: 2.5}
                """);
        ProviderConfig ollama = c.providers().get("ollama");
        assertThat(ollama.ollamaHost()).isEqualTo("ollama.internal");
        assertThat(ollama.ollamaPort()).isEqualTo(11500);
        assertThat(ollama.containerName()).isEqualTo("story-ollama");
        assertThat(c.providers().get("openrouter").maxCostPerToken()).isEqualTo(2.5e-6);
    }

    @Test
    void aKeyThatIsAcceptedButChangesNothingIsReportedWithTheReason() {
        List<String> warnings = parse("""
                model_management:
                  selection_strategy: {algorithm: performance_based, primary_criteria: cost_effectiveness}
                  providers:
                    local: {auto_quantization: true}
                  models:
                    gpt2: {model_path: /models/gpt2, priority: 3}
                """).warnings();

        assertThat(warnings).contains(
                "model_management.selection_strategy.algorithm: accepted for compatibility, has no effect (the ranking is "
                        + "the weighted score; routing_strategy picks between deployments of one model)",
                "model_management.providers.local.auto_quantization: accepted for compatibility, has no effect (GGUF files "
                        + "come quantized; Switchboard loads them as they are)");
        assertThat(warnings).anyMatch(w -> w.startsWith("model_management.models.gpt2.model_path: accepted for compatibility"))
                .anyMatch(w -> w.startsWith("model_management.models.gpt2.priority: accepted for compatibility"))
                .anyMatch(w -> w.startsWith("model_management.selection_strategy.primary_criteria: accepted"));
        assertThat(parse("model_management: {providers: {local: {max_concurrent_models: 2}}}").warnings()).isEmpty();
    }

    @Test
    void anUnknownRoutingOrFallbackStrategyStopsTheStartNamingTheKeyAndTheChoices() {
        assertThatThrownBy(() -> ConfigLoader.parse("""
                model_management:
                  selection_strategy: {routing_strategy: fastest}
                """, "t.yaml", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("routing_strategy")
                .hasMessageContaining("fastest").hasMessageContaining("weighted, least_busy, latency_based");
        assertThatThrownBy(() -> ConfigLoader.parse("""
                model_management:
                  fallback_config: {fallback_strategy: random}
                """, "t.yaml", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fallback_strategy")
                .hasMessageContaining("performance_based, cost_based, availability_based");
        assertThat(ConfigLoader.parse("""
                model_management:
                  selection_strategy: {routing_strategy: LEAST_BUSY}
                """, "t.yaml", Map.of()).config().modelManagement().selectionStrategy().routingStrategy())
                .isEqualTo(dev.switchboard.config.RoutingStrategy.LEAST_BUSY);
    }
}
