package dev.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.ModelManagementConfig;
import dev.switchboard.manager.ModelManager;
import dev.switchboard.manager.ProviderRegistry;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.UnknownModelException;
import dev.switchboard.testkit.MockOllamaServer;
import dev.switchboard.testkit.MockOpenRouterServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A model no cached catalog lists: one refresh of the providers that could have it, or an error that says why. */
class CatalogMissTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path home;

    ModelManager manager;
    MockOllamaServer ollama;
    MockOpenRouterServer router;

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.stop();
        }
        if (ollama != null) {
            ollama.close();
        }
        if (router != null) {
            router.close();
        }
    }

    void start(String providers) {
        ModelManagementConfig cfg = ConfigLoader.parse("""
                model_management:
                  health_check_interval_seconds: 3600
                  cache_ttl_seconds: 3600
                  selection_strategy: {trusted_providers: [ollama, openrouter]}
                  providers:
                %s""".formatted(providers.indent(4)), "miss-test", Map.of()).config().modelManagement();
        manager = new ModelManager(cfg, ProviderRegistry.discover(), Map.of("SWITCHBOARD_HOME", home.toString()));
        manager.start();
    }

    @Test
    void aModelPulledOutsideSwitchboardIsFoundOnTheFirstRequestForIt() throws Exception {
        ollama = MockOllamaServer.start(MockOllamaServer.Model.chat("llama3.2:3b")).pullable(MockOllamaServer.Model.chat("qwen2.5:0.5b"));
        start("ollama: {base_url: \"" + ollama.baseUrl() + "\", use_docker: false}");
        // `ollama pull qwen2.5:0.5b` in a terminal: straight to Ollama, Switchboard's cached list does not know it
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> pulled = http.send(HttpRequest.newBuilder(URI.create(ollama.baseUrl() + "/api/pull"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"qwen2.5:0.5b\",\"stream\":false}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(pulled.statusCode()).isEqualTo(200);
        }

        assertThat(manager.chat().generate(ChatRequest.builder().prompt("hi").model("qwen2.5:0.5b").build()).modelId())
                .isEqualTo("qwen2.5:0.5b");
    }

    @Test
    void askingAgainForAModelThatDoesNotExistDoesNotFetchTheCatalogEachTime() {
        ollama = MockOllamaServer.start(MockOllamaServer.Model.chat("llama3.2:3b"));
        start("ollama: {base_url: \"" + ollama.baseUrl() + "\", use_docker: false}");
        int before = ollama.requests("/api/tags").size();

        for (int i = 0; i < 5; i++) {
            UnknownModelException e = catchThrowableOfType(UnknownModelException.class,
                    () -> manager.chat().generate(ChatRequest.builder().prompt("hi").model("no-such-model:1b").build()));
            assertThat(e.getMessage()).isEqualTo("model 'no-such-model:1b' is not in any provider's catalog");
        }

        assertThat(ollama.requests("/api/tags").size() - before).as("one refresh for five misses").isEqualTo(1);
    }

    @Test
    void aModelHiddenByTheFreeFilterSaysSoAndHowToChangeIt() {
        router = MockOpenRouterServer.start("sk-or", MockOpenRouterServer.model("meta-llama/llama-3.3-70b-instruct:free", "0", "0"),
                MockOpenRouterServer.model("openai/o1-pro", "0.00015", "0.0006"));
        start("openrouter: {api_key: sk-or, base_url: \"" + router.baseUrl() + "\", show_free_only: true}");

        UnknownModelException e = catchThrowableOfType(UnknownModelException.class,
                () -> manager.chat().generate(ChatRequest.builder().prompt("hi").model("openai/o1-pro").build()));

        assertThat(e.getMessage()).startsWith("model 'openai/o1-pro' is hidden by openrouter's free-model filter (show_free_only: true")
                .endsWith("change it with POST /api/v1/models/openrouter/filter or providers.openrouter in the configuration");
    }
}
