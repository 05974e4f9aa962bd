package dev.switchboard.provider.openrouter;

import static dev.switchboard.provider.openrouter.Routers.AUTO;
import static dev.switchboard.provider.openrouter.Routers.FREE;
import static dev.switchboard.provider.openrouter.Routers.KEY;
import static dev.switchboard.provider.openrouter.Routers.MINI;
import static dev.switchboard.provider.openrouter.Routers.PRO;
import static dev.switchboard.provider.openrouter.Routers.SONNET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.config.ConfigLoader;
import dev.switchboard.manager.ModelManager;
import dev.switchboard.manager.ProviderRegistry;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.UnknownModelException;
import dev.switchboard.provider.FreeModelFilter;
import dev.switchboard.testkit.MockOpenAiServer;
import dev.switchboard.testkit.MockOpenRouterServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenRouter provider as the ModelManager runs it from YAML: listings, the free-model filter, restarts. */
class OpenRouterManagerTest {
    private static MockOpenRouterServer upstream;
    @TempDir
    Path home;
    private ModelManager manager;

    @BeforeAll
    static void startUpstream() {
        upstream = Routers.upstream();
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @BeforeEach
    void fresh() {
        upstream.reset();
    }

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.stop();
        }
    }

    private String yaml(String extra) {
        return """
                model_management:
                  default_provider: openrouter
                  health_check_interval_seconds: 3600
                  providers:
                    openrouter:
                      api_key: "${OPENROUTER_API_KEY}"
                      base_url: "%s"
                      http_referer: "https://tta.example"
                      x_title: "TTA"
                %s""".formatted(upstream.baseUrl(), extra.lines().map(l -> "      " + l + "\n").reduce("", String::concat));
    }

    private ModelManager start(String extra, Map<String, String> moreEnv) {
        Map<String, String> env = new HashMap<>(moreEnv);
        env.put("SWITCHBOARD_HOME", home.toString());
        env.put("OPENROUTER_API_KEY", KEY);
        manager = new ModelManager(ConfigLoader.parse(yaml(extra), "test.yaml", env).config().modelManagement(),
                ProviderRegistry.discover(), env);
        manager.start();
        return manager;
    }

    private ModelManager start() {
        return start("", Map.of());
    }

    @Test
    void byDefaultFreeModelsComeFirstThenPaidOnesUnderTheSeedCap() {
        start();

        assertThat(manager.openRouter().filter()).isEqualTo(new FreeModelFilter(false, true, 0.001));
        assertThat(manager.models().availableModels(null, false)).extracting(ModelInfo::modelId).containsExactly(FREE, SONNET, MINI, PRO);
        assertThat(manager.models().freeModels(null)).extracting(ModelInfo::modelId).containsExactly(FREE);
        assertThat(manager.openRouter().freeModels()).extracting(ModelInfo::modelId).containsExactly(FREE);
        assertThat(manager.models().affordableModels(0.00001, null)).extracting(ModelInfo::modelId).containsExactly(FREE, SONNET, MINI);
        assertThat(manager.models().resolve(manager.chat().select(ChatRequest.builder().prompt("hi").build().requirements()).chosen()).modelId())
                .as("selection by task prefers the free model").isEqualTo(FREE);
    }

    @Test
    void theThreeSettingsShapeTheListings() {
        start();

        manager.openRouter().updateFilter(true, null, null);
        assertThat(manager.models().availableModels(null, false)).extracting(ModelInfo::modelId).containsExactly(FREE);
        assertThat(manager.models().affordableModels(1.0, null)).extracting(ModelInfo::modelId).containsExactly(FREE);
        assertThatThrownBy(() -> manager.chat().generate(ChatRequest.builder().model("openrouter:" + SONNET).prompt("hi").build()))
                .as("a paid model is not offered while only free ones are shown").isInstanceOf(UnknownModelException.class);

        manager.openRouter().updateFilter(false, true, 0.00001);
        assertThat(manager.models().availableModels(null, false)).extracting(ModelInfo::modelId).containsExactly(FREE, SONNET, MINI);

        FreeModelFilter all = manager.openRouter().updateFilter(null, false, null);
        assertThat(all).isEqualTo(new FreeModelFilter(false, false, 0.00001));
        assertThat(manager.models().availableModels(null, false)).extracting(ModelInfo::modelId)
                .containsExactly(FREE, SONNET, MINI, PRO, AUTO);
        assertThat(manager.openRouter().freeModels()).extracting(ModelInfo::modelId).containsExactly(FREE);
    }

    @Test
    void settingsSetThroughTheApiSurviveARestart() {
        start();
        manager.openRouter().updateFilter(true, false, 0.0000025);
        manager.stop();

        start();

        assertThat(manager.openRouter().filter()).isEqualTo(new FreeModelFilter(true, false, 0.0000025));
        assertThat(manager.models().availableModels("openrouter", false)).extracting(ModelInfo::modelId).containsExactly(FREE);
    }

    @Test
    void apiSettingsBeatConfigurationWhichBeatsTheEnvironment() {
        Map<String, String> env = Map.of("OPENROUTER_SHOW_FREE_ONLY", "true", "OPENROUTER_PREFER_FREE_MODELS", "false",
                "OPENROUTER_MAX_COST_PER_TOKEN", "0.000005");
        start("show_free_only: false", env);
        assertThat(manager.openRouter().filter()).as("config, then env").isEqualTo(new FreeModelFilter(false, false, 0.000005));
        manager.openRouter().updateFilter(null, true, null);
        manager.stop();

        start("show_free_only: false\nmax_cost_per_token: 0.00002", env);
        assertThat(manager.openRouter().filter()).as("API-set values win after a restart")
                .isEqualTo(new FreeModelFilter(false, true, 0.000005));
    }

    @Test
    void aBadCapIsRefusedAndNothingIsSaved() {
        start();
        assertThatThrownBy(() -> manager.openRouter().updateFilter(true, null, -0.5))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("max_cost_per_token");
        assertThat(manager.openRouter().filter()).isEqualTo(FreeModelFilter.DEFAULTS);
        manager.stop();
        start();
        assertThat(manager.openRouter().filter()).isEqualTo(FreeModelFilter.DEFAULTS);
    }

    @Test
    void aBadEnvironmentValueStopsOnlyTheOpenRouterProviderAndSaysWhy() {
        start("", Map.of("OPENROUTER_SHOW_FREE_ONLY", "sometimes"));

        assertThat(manager.isRunning()).isTrue();
        assertThat(manager.diagnostics().status().providers().get("openrouter").healthy()).isFalse();
        assertThat(manager.diagnostics().status().providers().get("openrouter").lastError())
                .contains("OPENROUTER_SHOW_FREE_ONLY").contains("sometimes");
        assertThatThrownBy(() -> manager.openRouter().filter()).isInstanceOf(UnknownModelException.class);
    }

    @Test
    void generationThroughTheManagerReportsCostAndAttribution() {
        start();
        ChatResponse r = manager.chat().generate(ChatRequest.builder().model("openrouter:" + MINI).prompt("price me").build());

        assertThat(r.provider()).isEqualTo("openrouter");
        assertThat(r.usage().cost()).isCloseTo(r.usage().promptTokens() * 1.5e-7 + r.usage().completionTokens() * 6e-7,
                within(1e-12));
        MockOpenAiServer.Recorded sent = upstream.chatRequests().getFirst();
        assertThat(sent.headers()).containsEntry("authorization", "Bearer " + KEY)
                .containsEntry("http-referer", "https://tta.example").containsEntry("x-title", "TTA");
    }

    @Test
    void aSectionWithAnotherNameButTheOpenRouterKindIsTheOpenRouterProvider() {
        Map<String, String> env = Map.of("SWITCHBOARD_HOME", home.toString());
        manager = new ModelManager(ConfigLoader.parse("""
                model_management:
                  providers:
                    router:
                      provider_type: openrouter
                      api_key: "%s"
                      base_url: "%s"
                """.formatted(KEY, upstream.baseUrl()), "t", env).config().modelManagement(), ProviderRegistry.discover(), env);
        manager.start();

        manager.openRouter().updateFilter(true, null, null);
        assertThat(manager.models().availableModels("router", false)).extracting(ModelInfo::key).containsExactly("router:" + FREE);
        // Persisted in the data directory's database: a restart keeps the filter.
        manager.stop();
        manager = new ModelManager(manager.config(), ProviderRegistry.discover(), env);
        manager.start();
        assertThat(manager.openRouter().filter().showFreeOnly()).isTrue();
        assertThat(manager.models().availableModels("router", false)).extracting(ModelInfo::key).containsExactly("router:" + FREE);
    }

    @Test
    void withoutAnOpenRouterProviderTheFilterIsUnknown() {
        Map<String, String> env = Map.of("SWITCHBOARD_HOME", home.toString());
        manager = new ModelManager(ConfigLoader.parse("", "t", env).config().modelManagement(), ProviderRegistry.discover(), env);
        manager.start();
        assertThatThrownBy(() -> manager.openRouter().filter()).isInstanceOf(UnknownModelException.class).hasMessageContaining("OpenRouter");
        assertThatThrownBy(() -> manager.openRouter().updateFilter(true, null, null)).isInstanceOf(UnknownModelException.class);
        assertThatThrownBy(() -> manager.openRouter().freeModels()).isInstanceOf(UnknownModelException.class);
    }
}
