package dev.switchboard.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.ModelManagementConfig;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.model.Requirements;
import dev.switchboard.model.TaskType;
import dev.switchboard.routing.Explanation;
import dev.switchboard.routing.RoutingFailure;
import dev.switchboard.model.UnknownModelException;
import dev.switchboard.provider.ProviderStatus;
import dev.switchboard.testkit.MockOpenAiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The facade the API uses, with real providers built from configuration and talking HTTP to mock upstreams. */
class ModelManagerTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path home;

    private static final String KEY_A = "sk-alpha-7c1e0b9d2f4a6385";
    private static final String KEY_B = "sk-beta-3a9f5e1c7b2d8046";
    private static MockOpenAiServer alpha;
    private static MockOpenAiServer beta;
    private ModelManager manager;

    @BeforeAll
    static void startUpstreams() {
        alpha = MockOpenAiServer.start(KEY_A, "gpt-4o-mini", "llama3.2:3b", "x/y:free", "free-model", "cheap-model",
                "pricey-model", "unpriced-model", "hidden-model").replyWith(p -> "alpha: " + p);
        beta = MockOpenAiServer.start(KEY_B, "gpt-4o-mini", "beta-only").replyWith(p -> "beta: " + p);
    }

    @AfterAll
    static void stopUpstreams() {
        alpha.close();
        beta.close();
    }

    @BeforeEach
    void fresh() {
        alpha.reset();
        beta.reset();
    }

    @AfterEach
    void stopManager() {
        if (manager != null) {
            manager.stop();
        }
    }

    private static String endpoints(String defaultProvider, String extra) {
        return """
                model_management:
                  default_provider: %s
                %s
                  fallback_config: {retry_delay_seconds: 0.001}
                  providers:
                    custom_api:
                      custom_providers:
                        alpha:
                          api_type: openai
                          base_url: "%s"
                          api_key: "${ALPHA_KEY}"
                        beta:
                          api_type: openai
                          base_url: "%s/v1"
                          api_key: "%s"
                  models:
                    free-model: {is_free: true}
                    cheap-model: {cost_per_token: 0.000001}
                    pricey-model: {cost_per_token: 0.01}
                    hidden-model: {enabled: false}
                """.formatted(defaultProvider, extra, alpha.baseUrl(), beta.baseUrl(), KEY_B);
    }

    private ModelManager started(String yaml) {
        ModelManagementConfig config = ConfigLoader.parse(yaml, "test.yaml", Map.of("ALPHA_KEY", KEY_A)).config().modelManagement();
        manager = new ModelManager(config, ProviderRegistry.discover(), Map.of("SWITCHBOARD_HOME", home.toString()));
        manager.start();
        return manager;
    }

    private ModelManager started() {
        return started(endpoints("alpha", ""));
    }

    private static ChatRequest ask(String model, String prompt) {
        return ChatRequest.builder().model(model).prompt(prompt).build();
    }

    private static int gets(MockOpenAiServer s) {
        return (int) s.requests().stream().filter(r -> r.path().equals("/v1/models")).count();
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- addressing models ---------------------------------------------------------------------------

    @Test
    void providerColonModelGoesToThatProvider() {
        ChatResponse r = started().chat().generate(ask("beta:gpt-4o-mini", "hi"));

        assertThat(r.text()).isEqualTo("beta: hi");
        assertThat(r.provider()).isEqualTo("custom_api:beta");
        assertThat(r.modelId()).isEqualTo("gpt-4o-mini");
        assertThat(alpha.chatRequests()).isEmpty();
        assertThat(beta.chatRequests()).singleElement()
                .satisfies(req -> assertThat(req.headers()).containsEntry("authorization", "Bearer " + KEY_B));
    }

    @Test
    void aCustomEndpointAnswersToItsFullAndShortName() {
        started();
        for (String ref : List.of("custom_api:beta:gpt-4o-mini", "beta:gpt-4o-mini")) {
            ModelInfo m = manager.models().resolve(ref);
            assertThat(m.provider()).as(ref).isEqualTo("custom_api:beta");
            assertThat(m.modelId()).as(ref).isEqualTo("gpt-4o-mini");
        }
        // the longest provider prefix wins, and the rest is the model id, colons and all
        assertThat(manager.models().resolve("custom_api:alpha:x/y:free").key()).isEqualTo("custom_api:alpha:x/y:free");
        assertThat(manager.models().availableModels("custom_api:beta", false)).extracting(ModelInfo::modelId)
                .containsExactly("gpt-4o-mini", "beta-only");
    }

    @Test
    void aBareIdOfferedTwiceIsBalancedAcrossItsDeployments() {
        started();
        for (int i = 0; i < 40; i++) {
            manager.chat().generate(ask("gpt-4o-mini", "hi " + i));
        }
        // weighted routing with equal weights: both deployments serve, neither all
        assertThat(alpha.chatRequests()).isNotEmpty();
        assertThat(beta.chatRequests()).isNotEmpty();
        assertThat(alpha.chatRequests().size() + beta.chatRequests().size()).isEqualTo(40);
    }

    @ParameterizedTest
    @CsvSource({"alpha, alpha: hi", "beta, beta: hi"})
    void aWeightOfZeroTakesADeploymentOutOfRotation(String keep, String expected) {
        String drop = keep.equals("alpha") ? "beta" : "alpha";
        started(endpoints("alpha", "").replace("    hidden-model: {enabled: false}",
                "    hidden-model: {enabled: false}\n    \"" + drop + ":gpt-4o-mini\": {weight: 0}"));
        for (int i = 0; i < 10; i++) {
            ChatResponse r = manager.chat().generate(ask("gpt-4o-mini", "hi"));
            assertThat(r.text()).isEqualTo(expected);
            assertThat(r.provider()).isEqualTo("custom_api:" + keep);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "llama3.2:3b,        llama3.2:3b",
            "x/y:free,           x/y:free",
            "alpha:llama3.2:3b,  llama3.2:3b",
            "alpha:x/y:free,     x/y:free",
            "beta-only,          beta-only",
            "custom_api:nothing, ''"})
    void modelIdsWithColonsResolveOnlyAConfiguredPrefixAsProvider(String ref, String upstreamModel) {
        started();
        if (upstreamModel.isEmpty()) {
            // two custom endpoints: the kind name is ambiguous, so it is not a provider and the whole ref is an id
            assertThatThrownBy(() -> manager.chat().generate(ask(ref, "hi"))).isInstanceOf(UnknownModelException.class)
                    .hasMessageContaining(ref);
            return;
        }
        ChatResponse r = manager.chat().generate(ask(ref, "hi"));

        assertThat(r.modelId()).isEqualTo(upstreamModel);
        List<MockOpenAiServer.Recorded> sent = new ArrayList<>(alpha.chatRequests());
        sent.addAll(beta.chatRequests());
        assertThat(sent).singleElement().satisfies(req -> assertThat(req.json().path("model").asText()).isEqualTo(upstreamModel));
    }

    @Test
    void streamingWorksThroughTheManager() {
        List<String> tokens = new ArrayList<>();
        ChatResponse r = started().chat().stream(ask("alpha:x/y:free", "one two").withStream(true), tokens::add);

        assertThat(String.join("", tokens)).isEqualTo("alpha: one two");
        assertThat(tokens).hasSizeGreaterThan(1);
        assertThat(r.text()).isEqualTo("alpha: one two");
        assertThat(r.provider()).isEqualTo("custom_api:alpha");
        assertThat(r.usage().completionTokens()).isEqualTo(tokens.size());
    }

    @ParameterizedTest
    @CsvSource({"nope, nope", "alpha:nope, nope", "gamma:gpt-4o-mini, gamma:gpt-4o-mini", "beta:llama3.2:3b, llama3.2:3b"})
    void anUnknownModelIsUnknown(String ref, String named) {
        started();
        assertThatThrownBy(() -> manager.chat().generate(ask(ref, "hi")))
                .isInstanceOf(UnknownModelException.class)
                .hasMessageContaining("'" + named + "'");
        assertThatThrownBy(() -> manager.chat().stream(ask(ref, "hi"), t -> { })).isInstanceOf(UnknownModelException.class);
        assertThat(alpha.chatRequests()).isEmpty();
        assertThat(beta.chatRequests()).isEmpty();
    }

    @Test
    void theDefaultModelServesWhenNoModelMeetsTheRequirements() {
        started(endpoints("alpha", "  default_model: \"beta:beta-only\""));
        Requirements impossible = new Requirements(TaskType.GENERAL_CHAT, null, null, null, List.of("audio_output"), null, true);
        ChatResponse r = manager.chat().generate(ChatRequest.builder().prompt("hi").requirements(impossible).build());

        assertThat(r.provider()).isEqualTo("custom_api:beta");
        assertThat(r.modelId()).isEqualTo("beta-only");
        assertThat(r.metadata().get("routing").toString()).contains("default_model");
    }

    @Test
    void withoutAModelTheSelectorChoosesAndExplains() {
        ChatResponse r = started(endpoints("beta", "")).chat().generate(ChatRequest.builder().prompt("hi").build());
        // the only free model wins on cost and the prefer_free_models bonus
        assertThat(r.modelId()).isEqualTo("free-model");
        Explanation e = (Explanation) r.metadata().get("routing");
        assertThat(e.strategy()).isEqualTo("auto");
        assertThat(e.chosen()).isEqualTo("custom_api:alpha:free-model");
        assertThat(e.candidates().getFirst().model()).isEqualTo(e.chosen());
        assertThat(e.candidates().getFirst().breakdown()).containsKeys("safety", "performance", "cost", "free");
        assertThat(e.attempts()).singleElement().satisfies(a -> assertThat(a.outcome()).isEqualTo("success"));
    }

    // --- starting with broken neighbours --------------------------------------------------------------

    @Test
    void startServesTheHealthyEndpointAndReportsTheOthers() {
        int dead = closedPort();
        String yaml = """
                model_management:
                  default_provider: dead
                  providers:
                    ollama:
                      base_url: "http://127.0.0.1:%d"
                      use_docker: false
                    custom_api:
                      custom_providers:
                        dead:
                          base_url: "http://127.0.0.1:%d/v1"
                          request_timeout_seconds: 5
                        alpha:
                          base_url: "%s"
                          api_key: "%s"
                """.formatted(dead, dead, alpha.baseUrl(), KEY_A);
        started(yaml);

        assertThat(manager.isRunning()).isTrue();
        assertThat(manager.chat().generate(ask("gpt-4o-mini", "still works")).text()).isEqualTo("alpha: still works");
        assertThat(manager.models().availableModels(null, false)).extracting(ModelInfo::provider).containsOnly("custom_api:alpha");

        SystemStatus status = manager.diagnostics().status();
        assertThat(status.initialized()).isTrue();
        assertThat(status.providers()).containsOnlyKeys("custom_api:alpha", "custom_api:dead", "ollama");
        assertThat(status.providers().get("custom_api:alpha").healthy()).isTrue();
        ProviderStatus deadStatus = status.providers().get("custom_api:dead");
        assertThat(deadStatus.healthy()).isFalse();
        assertThat(deadStatus.lastError()).contains("127.0.0.1:" + dead);
        ProviderStatus ollama = status.providers().get("ollama");
        assertThat(ollama.providerType()).isEqualTo(ProviderType.OLLAMA);
        assertThat(ollama.initialized()).isTrue();
        assertThat(ollama.healthy()).isFalse();
        assertThat(ollama.lastError()).contains("Ollama is not reachable").contains("127.0.0.1:" + dead);

        assertThatThrownBy(() -> manager.chat().generate(ask("dead:gpt-4o-mini", "x")))
                .isInstanceOf(dev.switchboard.model.ModelFailure.Unavailable.class);
    }

    @Test
    void nothingConfiguredStartsAndSaysSo() {
        started("");
        assertThat(manager.diagnostics().status().providers()).isEmpty();
        assertThat(manager.models().availableModels(null, false)).isEmpty();
        assertThatThrownBy(() -> manager.chat().generate(ChatRequest.builder().prompt("hi").build()))
                .isInstanceOf(RoutingFailure.class)
                .hasMessageContaining("No suitable model available")
                .satisfies(e -> assertThat(((RoutingFailure) e).status()).isEqualTo(503));
    }

    @Test
    void disabledEndpointsAreNotStarted() {
        started("""
                model_management:
                  providers:
                    custom_api:
                      custom_providers:
                        alpha:
                          base_url: "%s"
                          api_key: "%s"
                        beta:
                          enabled: false
                          base_url: "%s"
                """.formatted(alpha.baseUrl(), KEY_A, beta.baseUrl()));

        assertThat(manager.diagnostics().status().providers()).containsOnlyKeys("custom_api:alpha");
        assertThat(gets(beta)).isZero();
        assertThatThrownBy(() -> manager.chat().generate(ask("beta-only", "hi"))).isInstanceOf(UnknownModelException.class);
    }

    @Test
    void theKindNameAddressesTheOnlyEndpointOfThatKind() {
        started("""
                model_management:
                  providers:
                    custom_api:
                      custom_providers:
                        alpha:
                          base_url: "%s"
                          api_key: "%s"
                """.formatted(alpha.baseUrl(), KEY_A));

        ChatResponse r = manager.chat().generate(ask("custom_api:llama3.2:3b", "hi"));
        assertThat(r.provider()).isEqualTo("custom_api:alpha");
        assertThat(r.modelId()).isEqualTo("llama3.2:3b");
    }

    @Test
    void anUpstreamThatGoesAwayShowsInStatusAfterAHealthCheck() {
        MockOpenAiServer gamma = MockOpenAiServer.start(null, "g-1");
        started("""
                model_management:
                  providers:
                    custom_api:
                      custom_providers:
                        gamma:
                          base_url: "%s"
                          request_timeout_seconds: 5
                  fallback_config: {retry_delay_seconds: 0.001, allowed_fails: 100}
                """.formatted(gamma.baseUrl()));
        manager.chat().generate(ask("gamma:g-1", "hi"));
        assertThat(manager.diagnostics().status().activeModelList()).containsExactly("custom_api:gamma:g-1");
        assertThat(manager.diagnostics().status().providers().get("custom_api:gamma").healthy()).isTrue();

        gamma.close();
        manager.checkHealth();

        SystemStatus status = manager.diagnostics().status();
        assertThat(status.providers().get("custom_api:gamma").healthy()).isFalse();
        assertThat(status.providers().get("custom_api:gamma").lastError()).contains("127.0.0.1:" + gamma.port());
        assertThat(status.activeModelList()).isEmpty();
        assertThat(status.lastHealthCheck()).isNotNull();
        assertThatThrownBy(() -> manager.chat().generate(ask("gamma:g-1", "hi"))).isInstanceOf(RoutingFailure.class)
                .satisfies(e -> assertThat(((RoutingFailure) e).last()).isInstanceOf(dev.switchboard.model.ModelFailure.Unavailable.class));
    }

    @Test
    void requestsUpdateProviderHealthBetweenHealthChecks() {
        MockOpenAiServer gamma = MockOpenAiServer.start(null, "g-1");
        int port = gamma.port();
        started("""
                model_management:
                  providers:
                    custom_api:
                      custom_providers:
                        gamma:
                          base_url: "%s"
                          request_timeout_seconds: 5
                  fallback_config: {retry_delay_seconds: 0.001, allowed_fails: 100}
                """.formatted(gamma.baseUrl()));
        manager.chat().generate(ask("gamma:g-1", "hi"));
        gamma.close();
        assertThatThrownBy(() -> manager.chat().generate(ask("gamma:g-1", "hi"))).isInstanceOf(RoutingFailure.class)
                .satisfies(e -> assertThat(((RoutingFailure) e).last()).isInstanceOf(dev.switchboard.model.ModelFailure.Unavailable.class));
        // the refused connection shows at once, without waiting for the health loop
        assertThat(manager.diagnostics().status().providers().get("custom_api:gamma").healthy()).isFalse();

        MockOpenAiServer back = MockOpenAiServer.startOn(port, null, "g-1");
        try {
            assertThat(manager.chat().generate(ask("gamma:g-1", "again")).text()).isEqualTo("echo: again");
            assertThat(manager.diagnostics().status().providers().get("custom_api:gamma").healthy()).isTrue();
        } finally {
            back.close();
        }
    }

    // --- lifecycle -----------------------------------------------------------------------------------

    @Test
    void callsBeforeStartAreRefused() {
        ModelManagementConfig config = ConfigLoader.parse(endpoints("alpha", ""), "t", Map.of()).config().modelManagement();
        manager = new ModelManager(config, ProviderRegistry.discover(), Map.of("SWITCHBOARD_HOME", home.toString()));
        manager.stop();

        assertThat(manager.isRunning()).isFalse();
        assertThatThrownBy(() -> manager.chat().generate(ask("gpt-4o-mini", "hi")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not initialized");
        assertThat(manager.diagnostics().status().initialized()).isFalse();
        assertThat(gets(alpha)).isZero();
    }

    @Test
    void startAndStopAreIdempotentAndSafeFromManyThreads() throws Exception {
        ModelManagementConfig config = ConfigLoader.parse(endpoints("alpha", ""), "t", Map.of("ALPHA_KEY", KEY_A))
                .config().modelManagement();
        manager = new ModelManager(config, ProviderRegistry.discover(), Map.of("SWITCHBOARD_HOME", home.toString()));

        everyThreadAtOnce(16, manager::start);
        assertThat(manager.isRunning()).isTrue();
        assertThat(gets(alpha)).as("alpha started once").isEqualTo(1);
        assertThat(gets(beta)).as("beta started once").isEqualTo(1);
        manager.start();
        assertThat(gets(alpha)).isEqualTo(1);
        assertThat(manager.chat().generate(ask("alpha:gpt-4o-mini", "hi")).text()).isEqualTo("alpha: hi");

        everyThreadAtOnce(16, manager::stop);
        assertThat(manager.isRunning()).isFalse();
        assertThat(manager.diagnostics().status().providers()).isEmpty();
        manager.stop();

        manager.start();
        assertThat(manager.chat().generate(ask("beta:gpt-4o-mini", "again")).text()).isEqualTo("beta: again");
        assertThat(gets(beta)).isEqualTo(2);
    }

    @Test
    void startAndStopInterleavedFromManyThreadsLeaveAUsableManager() throws Exception {
        started();
        everyThreadAtOnce(16, () -> {
            manager.stop();
            manager.start();
        });
        assertThat(manager.isRunning()).isTrue();
        assertThat(manager.chat().generate(ask("alpha:gpt-4o-mini", "ok")).text()).isEqualTo("alpha: ok");
        assertThat(manager.diagnostics().status().providers()).containsOnlyKeys("custom_api:alpha", "custom_api:beta");
    }

    private static void everyThreadAtOnce(int threads, Runnable action) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Object>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                done.add(pool.submit((Callable<Object>) () -> {
                    go.await();
                    action.run();
                    return null;
                }));
            }
            go.countDown();
            for (Future<Object> f : done) {
                f.get();
            }
        }
    }

    @Test
    void activeInstancesAreCachedAsProviderColonModelAndClearedByStop() {
        started();
        manager.chat().generate(ask("alpha:gpt-4o-mini", "1"));
        manager.chat().generate(ask("gpt-4o-mini", "2"));
        manager.chat().generate(ask("llama3.2:3b", "3"));
        manager.chat().stream(ask("beta:gpt-4o-mini", "4"), t -> { });

        SystemStatus status = manager.diagnostics().status();
        assertThat(status.activeModelList()).containsExactly("custom_api:alpha:gpt-4o-mini", "custom_api:alpha:llama3.2:3b", "custom_api:beta:gpt-4o-mini");
        assertThat(status.activeModels()).isEqualTo(3);
        assertThat(status.providers().get("custom_api:alpha").loadedModels()).containsExactlyInAnyOrder("gpt-4o-mini", "llama3.2:3b");

        assertThat(manager.models().unload("llama3.2:3b", "alpha")).isTrue();
        assertThat(manager.diagnostics().status().activeModelList()).containsExactly("custom_api:alpha:gpt-4o-mini", "custom_api:beta:gpt-4o-mini");

        manager.stop();
        assertThat(manager.diagnostics().status().activeModelList()).isEmpty();
        assertThat(manager.diagnostics().status().activeModels()).isZero();
    }

    // --- listings ------------------------------------------------------------------------------------

    @Test
    void aModelDisabledInConfigurationIsHidden() {
        started();
        assertThat(manager.models().availableModels(null, false)).extracting(ModelInfo::modelId).doesNotContain("hidden-model");
        assertThat(manager.models().availableModels("alpha", false)).extracting(ModelInfo::modelId).doesNotContain("hidden-model");
        for (String ref : List.of("hidden-model", "alpha:hidden-model")) {
            assertThatThrownBy(() -> manager.chat().generate(ask(ref, "hi")))
                    .isInstanceOf(UnknownModelException.class)
                    .hasMessageContaining("disabled")
                    .hasMessageContaining("model_management.models.hidden-model.enabled");
        }
        assertThat(alpha.chatRequests()).isEmpty();
    }

    @Test
    void disablingProviderColonModelHidesOnlyThatProvidersCopy() {
        started(endpoints("beta", "").replace("    hidden-model: {enabled: false}", "    \"beta:gpt-4o-mini\": {enabled: false}"));

        assertThat(manager.models().availableModels("beta", false)).extracting(ModelInfo::modelId).containsExactly("beta-only");
        ChatResponse r = manager.chat().generate(ask("gpt-4o-mini", "hi"));
        assertThat(r.provider()).isEqualTo("custom_api:alpha");
        assertThatThrownBy(() -> manager.chat().generate(ask("beta:gpt-4o-mini", "hi"))).isInstanceOf(UnknownModelException.class);
        assertThat(beta.chatRequests()).isEmpty();
    }

    @Test
    void listingsFilterAsTheSeedDid() {
        started();

        assertThat(manager.models().availableModels(null, false)).extracting(ModelInfo::key).containsExactly(
                "custom_api:alpha:gpt-4o-mini", "custom_api:alpha:llama3.2:3b", "custom_api:alpha:x/y:free",
                "custom_api:alpha:free-model", "custom_api:alpha:cheap-model", "custom_api:alpha:pricey-model",
                "custom_api:alpha:unpriced-model", "custom_api:beta:gpt-4o-mini", "custom_api:beta:beta-only");
        assertThat(manager.models().availableModels("beta", false)).extracting(ModelInfo::modelId).containsExactly("gpt-4o-mini", "beta-only");
        assertThat(manager.models().availableModels(null, true)).extracting(ModelInfo::modelId).containsExactly("free-model");
        assertThat(manager.models().freeModels(null)).extracting(ModelInfo::modelId).containsExactly("free-model");
        assertThat(manager.models().freeModels("beta")).isEmpty();

        assertThat(manager.models().affordableModels(0.0, null)).extracting(ModelInfo::modelId).containsExactly("free-model");
        assertThat(manager.models().affordableModels(0.0001, null)).extracting(ModelInfo::modelId).containsExactly("free-model", "cheap-model");
        assertThat(manager.models().affordableModels(0.01, null)).extracting(ModelInfo::modelId)
                .containsExactly("free-model", "cheap-model", "pricey-model");
        assertThat(manager.models().affordableModels(1.0, "beta")).isEmpty();

        ModelInfo cheap = manager.models().resolve("cheap-model");
        assertThat(cheap.costPerToken()).isEqualTo(0.000001);
        assertThat(cheap.isFree()).isFalse();

        assertThatThrownBy(() -> manager.models().availableModels("gamma", false))
                .isInstanceOf(UnknownModelException.class).hasMessageContaining("gamma");
    }

    // --- diagnostics ---------------------------------------------------------------------------------

    @Test
    void connectivityTestRunsARealGenerationAndReportsFailuresInsteadOfThrowing() {
        started();
        ConnectivityResult ok = manager.diagnostics().testConnectivity("gpt-4o-mini", "beta");
        assertThat(ok.status()).isEqualTo("success");
        assertThat(ok.provider()).isEqualTo("custom_api:beta");
        assertThat(ok.responseGenerated()).isTrue();
        assertThat(ok.testResponse()).isEqualTo("beta: Hello, how are you?");
        assertThat(beta.chatRequests().getFirst().json().path("max_tokens").asInt()).isEqualTo(10);

        ConnectivityResult missing = manager.diagnostics().testConnectivity("nope", "alpha");
        assertThat(missing.status()).isEqualTo("failed");
        assertThat(missing.error()).contains("nope");
    }
}
