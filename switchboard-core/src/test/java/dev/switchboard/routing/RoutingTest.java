package dev.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.ModelManagementConfig;
import dev.switchboard.manager.ModelManager;
import dev.switchboard.manager.ProviderRegistry;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.Requirements;
import dev.switchboard.model.TaskType;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.MockOpenAiServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retry, fallback, cooldowns, limits and budgets through a real ModelManager and three mock upstreams: "strong"
 * (best score, small context), "medium" (second, small context, free) and "wide" (lowest score, large context).
 */
class RoutingTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path home;

    static MockOpenAiServer a;
    static MockOpenAiServer b;
    static MockOpenAiServer c;
    ModelManager manager;

    @BeforeAll
    static void upstreams() {
        a = MockOpenAiServer.start(null, "strong").replyWith(p -> "A: " + p);
        b = MockOpenAiServer.start(null, "medium").replyWith(p -> "B: " + p);
        c = MockOpenAiServer.start(null, "wide").replyWith(p -> "C: " + p);
    }

    @AfterAll
    static void stopUpstreams() {
        a.close();
        b.close();
        c.close();
    }

    @BeforeEach
    void reset() {
        a.reset();
        b.reset();
        c.reset();
    }

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.stop();
        }
    }

    ModelManager start(String fallback, String extraModels, String budgets) {
        String yaml = """
                model_management:
                  health_check_interval_seconds: 3600
                  fallback_config: {retry_delay_seconds: 0.001, max_retry_wait_seconds: 2, %s}
                  %s
                  providers:
                    custom_api:
                      custom_providers:
                        a: {base_url: "%s"}
                        b: {base_url: "%s"}
                        c: {base_url: "%s"}
                  models:
                    strong: {performance_score: 9, therapeutic_safety_score: 9, context_length: 8192, cost_per_token: 0.000001%s}
                    medium: {performance_score: 6, therapeutic_safety_score: 8, context_length: 8192, is_free: true}
                    wide: {performance_score: 5, therapeutic_safety_score: 7.5, context_length: 128000, cost_per_token: 0.000002}
                """.formatted(fallback, budgets, a.baseUrl(), b.baseUrl(), c.baseUrl(), extraModels);
        ModelManagementConfig cfg = ConfigLoader.parse(yaml, "routing-test", Map.of()).config().modelManagement();
        manager = new ModelManager(cfg, ProviderRegistry.discover(), Map.of("SWITCHBOARD_HOME", home.toString()));
        manager.start();
        return manager;
    }

    ModelManager start() {
        return start("max_retries: 1", "", "");
    }

    static ChatRequest auto(String prompt) {
        return ChatRequest.builder().prompt(prompt).taskType(TaskType.NARRATIVE_GENERATION).maxTokens(100).build();
    }

    static Explanation routing(ChatResponse r) {
        return (Explanation) r.metadata().get("routing");
    }

    @Test
    void selectionRanksByTheSeedScoreAndExplainsEveryModel() {
        Explanation e = start().chat().select(Requirements.forTask(TaskType.NARRATIVE_GENERATION));
        // strong: perf 9, safety 9, cost ≈10 → 2.7 + 3.6 + 3.0; medium is free (+1) but weaker
        assertThat(e.candidates()).extracting(Explanation.Candidate::model)
                .containsExactly("custom_api:a:strong", "custom_api:b:medium", "custom_api:c:wide");
        assertThat(e.chosen()).isEqualTo("custom_api:a:strong");
        assertThat(e.candidates().getFirst().breakdown()).containsEntry("performance", 2.7).containsEntry("safety", 3.6);

        Explanation needsContext = manager.chat().select(new Requirements(TaskType.NARRATIVE_GENERATION, null, null, null,
                List.of(), 16000, true));
        assertThat(needsContext.chosen()).isEqualTo("custom_api:c:wide");
        assertThat(needsContext.excluded()).extracting(Explanation.Excluded::reason)
                .containsExactly("context 8192 < needed 16000", "context 8192 < needed 16000");
    }

    @Test
    void aServerErrorIsRetriedThenFallsBackToTheNextModel() {
        start();
        a.enqueue(Fault.openAiError(500, "boom", "server_error", null, Map.of()));
        a.enqueue(Fault.openAiError(500, "boom again", "server_error", null, Map.of()));
        ChatResponse r = manager.chat().generate(auto("once upon"));

        assertThat(r.text()).isEqualTo("B: once upon");
        assertThat(a.chatRequests()).hasSize(2); // the first try and one retry
        Explanation e = routing(r);
        assertThat(e.chosen()).isEqualTo("custom_api:b:medium");
        assertThat(e.attempts()).extracting(Explanation.Attempt::model, Explanation.Attempt::outcome, Explanation.Attempt::retries)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("custom_api:a:strong", "unavailable", 1),
                        org.assertj.core.groups.Tuple.tuple("custom_api:b:medium", "success", 0));
        assertThat(c.chatRequests()).isEmpty();
    }

    @Test
    void aShortRetryAfterIsWaitedOutOnTheSameModel() {
        start();
        a.enqueue(Fault.openAiError(429, "slow down", "requests", "rate_limit_exceeded", Map.of("Retry-After", "1")));
        Instant before = Instant.now();
        ChatResponse r = manager.chat().generate(auto("patience"));

        assertThat(r.text()).isEqualTo("A: patience");
        assertThat(Duration.between(before, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(routing(r).attempts()).singleElement().satisfies(at -> assertThat(at.retries()).isEqualTo(1));
        assertThat(manager.diagnostics().status().deployments()).isEmpty();
    }

    @Test
    void aLongRetryAfterCoolsTheModelDownVisiblyAndOthersServe() {
        start();
        a.enqueue(Fault.openAiError(429, "quota", "requests", "rate_limit_exceeded", Map.of("Retry-After", "120")));
        ChatResponse first = manager.chat().generate(auto("one"));
        assertThat(first.text()).isEqualTo("B: one");
        assertThat(a.chatRequests()).hasSize(1);

        Map<String, Map<String, Object>> states = manager.diagnostics().status().deployments();
        assertThat(states).containsKey("custom_api:a:strong");
        assertThat(states.get("custom_api:a:strong")).containsEntry("state", "cooling_down");
        Instant until = Instant.parse((String) states.get("custom_api:a:strong").get("cooldown_until"));
        assertThat(until).isAfter(Instant.now().plusSeconds(100));

        ChatResponse second = manager.chat().generate(auto("two"));
        assertThat(second.text()).isEqualTo("B: two");
        assertThat(a.chatRequests()).hasSize(1);
        assertThat(routing(second).excluded()).anySatisfy(x -> {
            assertThat(x.model()).isEqualTo("custom_api:a:strong");
            assertThat(x.reason()).startsWith("cooling down until ");
        });
        assertThat(manager.diagnostics().fallbackStatistics().get("recent_failures_1h")).isEqualTo(1);
        assertThat(manager.diagnostics().resetFailures("strong")).isTrue();
        assertThat(manager.chat().generate(auto("three")).text()).isEqualTo("A: three");
    }

    @Test
    void aStreamThatFailsBeforeItsFirstTokenFallsBackUnseen() {
        start("max_retries: 0", "", "");
        a.enqueue(Fault.openAiError(503, "overloaded", "server_error", null, Map.of()));
        List<String> tokens = new ArrayList<>();
        List<String> served = new ArrayList<>();
        ChatResponse r = manager.chat().stream(auto("tell it"), tokens::add, m -> served.add(m.key()));

        assertThat(String.join("", tokens)).isEqualTo("B: tell it");
        assertThat(served).containsExactly("custom_api:b:medium");
        assertThat(r.text()).isEqualTo("B: tell it");
    }

    @Test
    void aStreamThatFailsMidwayEndsWithAnErrorNamingTheModel() {
        start("max_retries: 2", "", "");
        a.replyWith(p -> "one two three four five");
        a.enqueue(Fault.truncated(2));
        List<String> tokens = new ArrayList<>();
        try {
            assertThatThrownBy(() -> manager.chat().stream(auto("x"), tokens::add, m -> { }))
                    .isInstanceOf(RoutingFailure.class)
                    .hasMessageContaining("custom_api:a")
                    .hasMessageContaining("after the answer had started")
                    .satisfies(e -> assertThat(((RoutingFailure) e).midStream()).isTrue());
        } finally {
            a.replyWith(p -> "A: " + p);
        }
        assertThat(String.join("", tokens)).isEqualTo("one two");
        assertThat(a.chatRequests()).hasSize(1);
        assertThat(b.chatRequests()).isEmpty();
    }

    @Test
    void contextTooLongGoesToALargerContextModel() {
        start("max_retries: 0", "", "");
        a.enqueue(Fault.openAiError(400, "This model's maximum context length is 8192 tokens", "invalid_request_error",
                "context_length_exceeded", Map.of()));
        ChatResponse r = manager.chat().generate(auto("long story"));

        assertThat(r.text()).isEqualTo("C: long story");
        assertThat(b.chatRequests()).isEmpty();
        assertThat(routing(r).excluded()).anySatisfy(x -> {
            assertThat(x.model()).isEqualTo("custom_api:b:medium");
            assertThat(x.reason()).contains("not larger than 8192");
        });
    }

    @Test
    void aPromptTooBigForSmallWindowsSkipsThemBeforeCalling() {
        start();
        String big = "word ".repeat(8000); // ~10,000 tokens by the four-characters rule
        ChatResponse r = manager.chat().generate(auto(big));

        assertThat(r.text()).startsWith("C: ");
        assertThat(a.chatRequests()).isEmpty();
        assertThat(routing(r).excluded()).filteredOn(x -> x.model().endsWith("strong"))
                .singleElement().satisfies(x -> assertThat(x.reason()).startsWith("context 8192 < needed ~"));
    }

    @Test
    void aModelWhoseCallWouldBreakTheBudgetIsSkipped() {
        start("max_retries: 0", "", "budgets: {daily_usd: 0.0001}");
        // strong costs 1e-6 per token: ~1,100 tokens estimated is 0.0011 USD, over the 0.0001 cap; medium is free
        ChatResponse r = manager.chat().generate(auto("x".repeat(4000)));
        assertThat(r.text()).startsWith("B: ");
        assertThat(routing(r).excluded()).filteredOn(x -> x.model().endsWith("strong"))
                .singleElement().satisfies(x -> assertThat(x.reason()).startsWith("global daily budget"));
    }

    @Test
    void spendIsRecordedFromUsageAndPrices() {
        start("max_retries: 0", "", "budgets: {daily_usd: 5, providers: {a: {monthly_usd: 1}}}");
        ChatResponse r = manager.chat().generate(auto("price me"));
        assertThat(r.modelId()).isEqualTo("strong");
        double expected = r.usage().totalTokens() * 0.000001;
        assertThat(r.usage().cost()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
        @SuppressWarnings("unchecked")
        Map<String, Object> global = (Map<String, Object>) manager.diagnostics().spend().get("global");
        assertThat((Double) global.get("spent_today_usd")).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(global.get("daily_cap_usd")).isEqualTo(5.0);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> providers = (Map<String, Map<String, Object>>) manager.diagnostics().spend().get("providers");
        assertThat(providers.get("custom_api:a").get("monthly_cap_usd")).isEqualTo(1.0);
    }

    @Test
    void aDeploymentOverItsRpmLimitIsSkipped() {
        start("max_retries: 0", ", rpm: 2", "");
        assertThat(manager.chat().generate(auto("1")).text()).startsWith("A: ");
        assertThat(manager.chat().generate(auto("2")).text()).startsWith("A: ");
        ChatResponse third = manager.chat().generate(auto("3"));
        assertThat(third.text()).isEqualTo("B: 3");
        assertThat(routing(third).excluded()).anySatisfy(x -> assertThat(x.reason()).isEqualTo("rpm limit 2 reached"));
    }

    @Test
    void whenEverythingIsDownTheFailureListsEveryAttempt() {
        start("max_retries: 0", "", "");
        for (MockOpenAiServer s : List.of(a, b, c)) {
            s.enqueue(Fault.openAiError(503, "down", "server_error", null, Map.of()));
        }
        assertThatThrownBy(() -> manager.chat().generate(auto("anyone?")))
                .isInstanceOf(RoutingFailure.class)
                .satisfies(e -> {
                    RoutingFailure f = (RoutingFailure) e;
                    assertThat(f.status()).isEqualTo(503);
                    assertThat(f.attempts()).extracting(Explanation.Attempt::model).containsExactly(
                            "custom_api:a:strong", "custom_api:b:medium", "custom_api:c:wide");
                    assertThat(f.attempts()).allSatisfy(at -> {
                        assertThat(at.outcome()).isEqualTo("unavailable");
                        assertThat(at.durationMs()).isPositive();
                        assertThat(at.error()).contains("down");
                    });
                });
    }

    @Test
    void whenEveryCandidateCoolsDownTheOneRecoveringFirstIsTriedAndTheExplanationSaysSo() {
        start("max_retries: 0", "", "");
        a.enqueue(Fault.openAiError(429, "wait", "requests", "rate_limit_exceeded", Map.of("Retry-After", "300")));
        b.enqueue(Fault.openAiError(429, "wait", "requests", "rate_limit_exceeded", Map.of("Retry-After", "100")));
        c.enqueue(Fault.openAiError(429, "wait", "requests", "rate_limit_exceeded", Map.of("Retry-After", "200")));
        assertThatThrownBy(() -> manager.chat().generate(auto("first"))).isInstanceOf(RoutingFailure.class)
                .satisfies(e -> assertThat(((RoutingFailure) e).status()).isEqualTo(429));
        assertThat(manager.diagnostics().status().deployments()).hasSize(3);

        ChatResponse r = manager.chat().generate(auto("second"));
        assertThat(r.text()).isEqualTo("B: second");
        assertThat(routing(r).candidates()).filteredOn(x -> x.model().endsWith("medium")).singleElement()
                .satisfies(x -> assertThat(x.note()).contains("every candidate is cooling down"));
    }

    @Test
    void aNewFailureExtendsARunningCooldownAndNeverShortensIt() {
        start("max_retries: 0, allowed_fails: 1, cooldown_seconds: 600", "", "");
        ChatRequest pinned = ChatRequest.builder().model("strong").prompt("pinned").build();
        a.enqueue(Fault.openAiError(429, "wait", "requests", "rate_limit_exceeded", Map.of("Retry-After", "30")));
        assertThatThrownBy(() -> manager.chat().generate(pinned)).isInstanceOf(RoutingFailure.class);
        Instant first = cooldownOfStrong();
        assertThat(first).isBetween(Instant.now().plusSeconds(20), Instant.now().plusSeconds(31));

        // cooling, so the pinned model is tried anyway; a 429 asking for 5 seconds must not shorten the cooldown
        a.enqueue(Fault.openAiError(429, "wait", "requests", "rate_limit_exceeded", Map.of("Retry-After", "5")));
        assertThatThrownBy(() -> manager.chat().generate(pinned)).isInstanceOf(RoutingFailure.class);
        assertThat(cooldownOfStrong()).isEqualTo(first);

        // a server error (allowed_fails 1, cooldown 600 s) extends it
        a.enqueue(Fault.openAiError(500, "x", "server_error", null, Map.of()));
        assertThatThrownBy(() -> manager.chat().generate(pinned)).isInstanceOf(RoutingFailure.class);
        assertThat(cooldownOfStrong()).isAfter(Instant.now().plusSeconds(500));
        assertThat(a.chatRequests()).hasSize(3);
    }

    Instant cooldownOfStrong() {
        return Instant.parse((String) manager.diagnostics().status().deployments().get("custom_api:a:strong").get("cooldown_until"));
    }

    @Test
    void aNamedModelFallsBackOnlyToItsConfiguredFallbacks() {
        start("max_retries: 0", ", fallback_models: [wide]", "");
        a.enqueue(Fault.openAiError(500, "x", "server_error", null, Map.of()));
        ChatResponse r = manager.chat().generate(ChatRequest.builder().model("strong").prompt("pinned").build());
        assertThat(r.text()).isEqualTo("C: pinned");
        assertThat(b.chatRequests()).isEmpty();
        assertThat(routing(r).strategy()).isEqualTo("explicit");
    }
}
