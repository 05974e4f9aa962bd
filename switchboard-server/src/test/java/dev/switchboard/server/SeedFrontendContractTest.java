package dev.switchboard.server;

import static dev.switchboard.server.RestApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.json.Json;
import dev.switchboard.testkit.MockOpenRouterServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's React frontend against a real Switchboard over HTTP, end to end, with the calls and the field names
 * its code uses, against a wire-exact mock OpenRouter (the provider the frontend's model management is built
 * around). Where each call and each field comes from, in the seed ({@code src/player_experience/frontend/src/}
 * unless a path says otherwise):
 *
 * <ul>
 *   <li>{@code GET /api/v1/models} answering {@code {"models": [...]}}, {@code ?free_only=true}, and
 *       {@code POST /api/v1/models/select}: the seed's consumer contract for this frontend,
 *       {@code tests/contracts/consumer/test_frontend_model_management_contract.py} (reads {@code models},
 *       {@code model_id}, {@code name}, {@code provider_type}, {@code is_free}, {@code cost_per_token},
 *       {@code performance_score}); {@code services/api.ts} {@code getAvailableModels} calls
 *       {@code GET /api/v1/models/available?free_only=true}, a bare list.</li>
 *   <li>Each model: {@code store/slices/modelManagementSlice.ts} {@code ModelInfo} and
 *       {@code components/ModelManagement/ModelSelector.tsx}, {@code ModelCostDisplay.tsx},
 *       {@code ModelManagementSection.tsx}: {@code model_id}, {@code name}, {@code provider}, {@code description},
 *       {@code context_length}, {@code cost_per_token}, {@code is_free}, {@code capabilities},
 *       {@code therapeutic_safety_score}, {@code performance_score}.</li>
 *   <li>The filter: {@code services/api.ts} {@code getOpenRouterFilter}/{@code setOpenRouterFilter} (a JSON body);
 *       {@code store/slices/modelManagementSlice.ts} {@code FilterSettings} ({@code show_free_only},
 *       {@code prefer_free_models}, {@code max_cost_per_token}) merged from {@code settings} of both answers;
 *       {@code components/ModelManagement/ModelFilterSettings.tsx} sends one setting at a time
 *       ({@code {prefer_free_models: false}}) and shows {@code filterSettings.prefer_free_models}.</li>
 *   <li>{@code services/api.ts} {@code getModelRecommendations}: {@code GET /api/v1/models/recommendations?task_type=},
 *       a list of ids ({@code response_model=list[str]} in the seed's {@code api.py}).</li>
 *   <li>{@code services/api.ts} {@code generateText} ({@code prompt}, {@code task_type}, {@code max_tokens}),
 *       {@code getModelPerformance(modelId, 24)} ({@code /performance/{id}?timeframe_hours=24}) and
 *       {@code getSystemPerformance} ({@code /performance}); the fields are the seed's
 *       {@code performance_monitor.py} names, as no component reads them.</li>
 *   <li>{@code components/ModelManagement/ModelManagementSection.tsx}: {@code GET /api/v1/models/status},
 *       {@code initialized}, {@code active_models}, {@code providers}.</li>
 * </ul>
 */
class SeedFrontendContractTest {
    static final String KEY = "sk-or-v1-8c2f0a4e6b1d3f5a7c9e0b2d4f6a8c1e";
    static final String FREE = "meta-llama/llama-3.1-8b-instruct:free";
    static final String HAIKU = "anthropic/claude-3-haiku";
    static final String MINI = "openai/gpt-4o-mini";
    static final List<String> MODEL_FIELDS = List.of("model_id", "name", "provider", "provider_type", "description",
            "context_length", "cost_per_token", "is_free", "capabilities", "therapeutic_safety_score", "performance_score");

    @TempDir
    Path home;
    MockOpenRouterServer upstream;
    TestService service;

    @BeforeEach
    void start() {
        upstream = MockOpenRouterServer.start(KEY, MockOpenRouterServer.model(FREE, "0", "0"),
                MockOpenRouterServer.model(HAIKU, "0.00000025", "0.00000125"),
                MockOpenRouterServer.model(MINI, "0.00000015", "0.0000006"));
        upstream.replyWith(p -> "A calm answer to: " + p);
        service = TestService.start("""
                model_management:
                  default_provider: openrouter
                  health_check_interval_seconds: 3600
                  fallback_config: {max_retries: 0, retry_delay_seconds: 0.001}
                  providers:
                    openrouter:
                      api_key: "%s"
                      base_url: "%s"
                      request_timeout_seconds: 5
                """.formatted(KEY, upstream.baseUrl()), Map.of("SWITCHBOARD_HOME", home.toString()));
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        upstream.close();
    }

    JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        return json(r);
    }

    static void hasModelFields(JsonNode m) {
        for (String f : MODEL_FIELDS) {
            assertThat(m.has(f)).as(f + " in " + m).isTrue();
        }
        assertThat(m.get("model_id").isTextual()).isTrue();
        assertThat(m.get("name").isTextual()).isTrue();
        assertThat(m.get("provider").asText()).isEqualTo("openrouter");
        assertThat(m.get("provider_type").asText()).isEqualTo("openrouter");
        assertThat(m.get("description").isTextual()).isTrue();
        assertThat(m.get("context_length").isInt()).isTrue();
        assertThat(m.get("is_free").isBoolean()).isTrue();
        assertThat(m.get("capabilities").isArray()).isTrue();
        // Numbers, or null where nothing is known, as the seed's ModelInfo has them (its OpenRouter provider
        // leaves both scores None).
        for (String f : List.of("cost_per_token", "therapeutic_safety_score", "performance_score")) {
            assertThat(m.get(f).isNumber() || m.get(f).isNull()).as(f).isTrue();
        }
    }

    static List<String> ids(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(m -> out.add(m.get("model_id").asText()));
        return out;
    }

    /** The frontend's reducer: {@code filterSettings = {...filterSettings, ...payload.settings}}. */
    static ObjectNode merge(ObjectNode filterSettings, JsonNode answer) {
        ObjectNode next = filterSettings.deepCopy();
        if (answer.has("settings")) {
            next.setAll((ObjectNode) answer.get("settings"));
        }
        return next;
    }

    @Test
    void theSeedFrontendsCallsGetTheShapesItReads() throws Exception {
        // GET /api/v1/models -> {"models": [...]}
        JsonNode all = ok(service.get("/api/v1/models"));
        assertThat(all.get("models").isArray()).isTrue();
        all.get("models").forEach(SeedFrontendContractTest::hasModelFields);
        assertThat(ids(all.get("models"))).containsExactly(FREE, HAIKU, MINI);
        JsonNode free = all.get("models").get(0);
        assertThat(free.get("is_free").asBoolean()).isTrue();
        assertThat(free.get("cost_per_token").asDouble()).isZero();

        // ?free_only=true: every model free, at a cost of 0.0 (the contract's assertions).
        JsonNode freeOnly = ok(service.get("/api/v1/models?free_only=true")).get("models");
        assertThat(ids(freeOnly)).containsExactly(FREE);
        freeOnly.forEach(m -> {
            assertThat(m.get("is_free").asBoolean()).isTrue();
            assertThat(m.get("cost_per_token").asDouble()).isEqualTo(0.0);
        });
        // What services/api.ts getAvailableModels(undefined, true) calls: the seed's bare list.
        JsonNode available = ok(service.get("/api/v1/models/available?free_only=true"));
        assertThat(available.isArray()).isTrue();
        assertThat(ids(available)).containsExactly(FREE);
        available.forEach(SeedFrontendContractTest::hasModelFields);

        // POST /api/v1/models/select with the contract's body.
        JsonNode selected = ok(service.post("/api/v1/models/select", """
                {"task_type": "general_chat", "max_latency_ms": 5000, "min_quality_score": 7.0,
                 "max_cost_per_token": 0.0, "required_capabilities": ["chat"], "therapeutic_safety_required": true}"""));
        assertThat(selected.get("model_id").asText()).isEqualTo(FREE);
        assertThat(selected.get("name").isTextual()).isTrue();
        assertThat(selected.get("provider_type").asText()).isEqualTo("openrouter");
        assertThat(selected.get("is_free").asBoolean()).isTrue();
        assertThat(selected.has("performance_score")).isTrue();

        // The filter, as modelManagementSlice.ts keeps it: GET, then a one-setting change from ModelFilterSettings.tsx.
        ObjectNode filterSettings = (ObjectNode) Json.mapper().readTree(
                "{\"show_free_only\":false,\"prefer_free_models\":true,\"max_cost_per_token\":0.001}");
        JsonNode got = ok(service.get("/api/v1/models/openrouter/filter"));
        assertThat(got.get("provider").asText()).isEqualTo("openrouter");
        assertThat(got.get("settings").get("prefer_free_models").isBoolean()).isTrue();
        filterSettings = merge(filterSettings, got);
        JsonNode changed = ok(service.post("/api/v1/models/openrouter/filter", "{\"prefer_free_models\":false}"));
        assertThat(changed.get("message").asText()).isEqualTo("OpenRouter filter settings updated");
        filterSettings = merge(filterSettings, changed);
        assertThat(filterSettings.get("prefer_free_models").asBoolean()).isFalse();
        assertThat(filterSettings.get("show_free_only").asBoolean()).isFalse();
        assertThat(filterSettings.get("max_cost_per_token").asDouble()).isEqualTo(0.001);
        filterSettings = merge(filterSettings, ok(service.get("/api/v1/models/openrouter/filter")));
        assertThat(filterSettings.get("prefer_free_models").asBoolean()).isFalse();
        ok(service.post("/api/v1/models/openrouter/filter", "{\"show_free_only\":true}"));
        assertThat(ids(ok(service.get("/api/v1/models")).get("models"))).containsExactly(FREE);
        ok(service.post("/api/v1/models/openrouter/filter", "{\"show_free_only\":false}"));

        // GET /api/v1/models/recommendations?task_type= -> list[str]; the task's favourites lead on any machine.
        JsonNode recs = ok(service.get("/api/v1/models/recommendations?task_type=narrative_generation"));
        assertThat(recs.isArray()).isTrue();
        assertThat(recs.size()).isBetween(3, 10);
        recs.forEach(id -> assertThat(id.isTextual()).isTrue());
        assertThat(recs.get(0).asText()).isEqualTo(HAIKU);
        assertThat(recs.get(1).asText()).isEqualTo("meta-llama/llama-3.1-8b-instruct");
        assertThat(recs.get(2).asText()).isEqualTo("qwen/qwen2.5-7b-instruct");

        // generateText, then the performance views.
        JsonNode generated = ok(service.post("/api/v1/models/generate",
                "{\"prompt\":\"Hello\",\"task_type\":\"general_chat\",\"max_tokens\":16}"));
        String model = generated.get("model_id").asText();
        assertThat(generated.get("text").asText()).startsWith("A calm answer to:");
        JsonNode sys = ok(service.get("/api/v1/models/performance"));
        for (String f : List.of("total_models", "active_models", "total_requests", "average_response_time_ms",
                "average_quality_score", "overall_success_rate", "models", "timestamp")) {
            assertThat(sys.has(f)).as(f).isTrue();
        }
        assertThat(sys.get("active_models").asInt()).isEqualTo(1);
        assertThat(sys.get("total_requests").asInt()).isEqualTo(1);
        JsonNode entry = sys.get("models").get(model);
        assertThat(entry.get("requests").asInt()).isEqualTo(1);
        assertThat(entry.get("avg_response_time_ms").isNumber()).isTrue();
        assertThat(entry.get("success_rate").asDouble()).isEqualTo(1.0);
        JsonNode perf = ok(service.get("/api/v1/models/performance/" + model + "?timeframe_hours=24"));
        assertThat(perf.get("model_id").asText()).isEqualTo(model);
        assertThat(perf.get("timeframe_hours").asInt()).isEqualTo(24);
        assertThat(perf.get("metrics_count").asInt()).isEqualTo(1);
        assertThat(perf.get("total_requests").asInt()).isEqualTo(1);
        assertThat(perf.get("period_start").asText()).isEqualTo(perf.get("period_end").asText());

        // ModelManagementSection.tsx's status line.
        JsonNode status = ok(service.get("/api/v1/models/status"));
        assertThat(status.get("initialized").asBoolean()).isTrue();
        assertThat(status.get("active_models").isNumber()).isTrue();
        assertThat(status.get("providers").has("openrouter")).isTrue();
    }
}
