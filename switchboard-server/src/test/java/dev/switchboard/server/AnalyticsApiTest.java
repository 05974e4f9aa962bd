package dev.switchboard.server;

import static dev.switchboard.server.RestApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.json.Json;
import dev.switchboard.testkit.MockOpenAiServer;
import dev.switchboard.testkit.RedisServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed frontend's analytics routes over HTTP: each takes the body {@code analyticsAPI} in the frontend's
 * {@code api.ts} sends, refuses a bad one with a 400 naming the field, and an operator reads the events back newest
 * first, from this replica's database or, with {@code shared_state: redis}, from any replica.
 */
class AnalyticsApiTest {
    static final String BASE = "/api/v1/analytics/";
    static MockOpenAiServer upstream;
    static TestService service;

    /** What the frontend sends, every optional field included. */
    static final Map<String, String> FRONTEND_BODIES = Map.of(
            "model-selection", """
                    {"model_id":"meta-llama/llama-3.1-8b-instruct:free","provider":"openrouter","is_free":true,
                     "cost_per_token":0,"selection_reason":"cheapest that fits","user_id":"player-1","session_id":"s-1"}""",
            "filter-usage", """
                    {"filter_type":"affordable","max_cost_threshold":0.000002,"user_id":"player-1","models_shown":12,
                     "models_selected":1}""",
            "user-preferences", """
                    {"user_id":"player-1","preferences":{"prefer_free_models":true,"max_cost_tolerance":0.001,
                     "preferred_providers":["openrouter","ollama"],"model_switching_frequency":"medium"}}""",
            "model-satisfaction", """
                    {"model_id":"gpt-4o-mini","provider":"openai","user_id":"player-1","session_id":"s-1",
                     "satisfaction_score":8,"feedback":"Kind and on topic ✓","performance_rating":7.5,"cost_satisfaction":10}""");

    static final Comparator<JsonNode> SAME_NUMBER = (a, b) -> a.equals(b)
            || a.isNumber() && b.isNumber() && a.doubleValue() == b.doubleValue() ? 0 : 1;

    @BeforeAll
    static void start() {
        upstream = MockOpenAiServer.start("k", "gpt-4o-mini");
        service = TestService.start(TestService.endpointYaml("vllm", upstream.baseUrl(), "k"));
    }

    @AfterAll
    static void stop() {
        service.close();
        upstream.close();
    }

    static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new AssertionError(json, e);
        }
    }

    static List<JsonNode> events(TestService s, String kind, String query) {
        HttpResponse<String> r = s.get(BASE + kind + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        json(r).get("events").forEach(out::add);
        return out;
    }

    @Test
    void everyRouteTakesTheFrontendsBodyAndKeepsItAsSent() {
        FRONTEND_BODIES.forEach((kind, body) -> {
            Instant before = Instant.now();
            HttpResponse<String> r = service.post(BASE + kind, body);
            assertThat(r.statusCode()).as(kind + ": " + r.body()).isEqualTo(200);
            assertThat(json(r)).isEqualTo(parse("{\"status\":\"recorded\",\"event\":\"" + kind + "\"}"));

            ObjectNode newest = (ObjectNode) events(service, kind, "?limit=1").getFirst();
            Instant recordedAt = Instant.parse(newest.remove("recorded_at").asText());
            assertThat(recordedAt).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
            // Numbers compare by value: a score sent as 8 may come back as 8.0.
            assertThat(newest.equals(SAME_NUMBER, parse(body))).as(kind + ": " + newest).isTrue();
        });
    }

    @Test
    void optionalFieldsMayBeLeftOutAndStayOut() {
        HttpResponse<String> r = service.post(BASE + "model-selection",
                "{\"model_id\":\"llama3.2:3b\",\"provider\":\"ollama\",\"is_free\":false,\"user_id\":\"u-optional\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode newest = events(service, "model-selection", "?limit=1").getFirst();
        assertThat(newest.get("user_id").asText()).isEqualTo("u-optional");
        assertThat(newest.has("session_id")).isFalse();
        assertThat(newest.has("cost_per_token")).isFalse();

        assertThat(service.post(BASE + "filter-usage",
                "{\"filter_type\":\"all\",\"user_id\":\"u\",\"models_shown\":0,\"max_cost_threshold\":null}").statusCode())
                .as("null for an optional field is leaving it out").isEqualTo(200);
    }

    @Test
    void eventsReadBackNewestFirstUpToTheLimit() {
        for (int i = 1; i <= 5; i++) {
            assertThat(service.post(BASE + "filter-usage", "{\"filter_type\":\"free_only\",\"user_id\":\"order-test\","
                    + "\"models_shown\":" + i + "}").statusCode()).isEqualTo(200);
        }
        List<JsonNode> newest = events(service, "filter-usage", "?limit=3");
        assertThat(newest).extracting(e -> e.get("models_shown").asInt()).containsExactly(5, 4, 3);
        assertThat(events(service, "filter-usage", "").size()).isBetween(5, 100);
    }

    @Test
    void aBadLimitIsA400NamingIt() {
        for (String q : List.of("?limit=0", "?limit=1001", "?limit=ten", "?limit=-3", "?limit=1.5")) {
            HttpResponse<String> r = service.get(BASE + "model-satisfaction" + q);
            assertThat(r.statusCode()).as(q).isEqualTo(400);
            assertThat(json(r).get("detail").asText()).as(q).contains("limit");
        }
    }

    /** One change to a frontend body that must be refused, and the field the answer must name. */
    record Bad(String kind, String field, Consumer<ObjectNode> change) {}

    static final List<Bad> BAD = List.of(
            new Bad("model-selection", "model_id", b -> b.remove("model_id")),
            new Bad("model-selection", "model_id", b -> b.put("model_id", 42)),
            new Bad("model-selection", "model_id", b -> b.put("model_id", "  ")),
            new Bad("model-selection", "is_free", b -> b.put("is_free", "yes")),
            new Bad("model-selection", "is_free", b -> b.putNull("is_free")),
            new Bad("model-selection", "cost_per_token", b -> b.put("cost_per_token", -0.1)),
            new Bad("model-selection", "cost_per_token", b -> b.put("cost_per_token", "free")),
            new Bad("model-selection", "user_id", b -> b.remove("user_id")),
            new Bad("model-selection", "session_id", b -> b.put("session_id", 7)),
            new Bad("model-selection", "selection_reason", b -> b.put("selection_reason", "x".repeat(1001))),
            new Bad("model-selection", "modelId", b -> b.put("modelId", "camel")),
            new Bad("filter-usage", "filter_type", b -> b.put("filter_type", "cheap")),
            new Bad("filter-usage", "filter_type", b -> b.remove("filter_type")),
            new Bad("filter-usage", "models_shown", b -> b.put("models_shown", -1)),
            new Bad("filter-usage", "models_shown", b -> b.put("models_shown", 2.5)),
            new Bad("filter-usage", "models_shown", b -> b.remove("models_shown")),
            new Bad("filter-usage", "models_selected", b -> b.put("models_selected", -2)),
            new Bad("filter-usage", "max_cost_threshold", b -> b.put("max_cost_threshold", -1)),
            new Bad("user-preferences", "preferences", b -> b.remove("preferences")),
            new Bad("user-preferences", "preferences", b -> b.put("preferences", "free")),
            new Bad("user-preferences", "preferences.prefer_free_models", b -> prefs(b).remove("prefer_free_models")),
            new Bad("user-preferences", "preferences.max_cost_tolerance", b -> prefs(b).put("max_cost_tolerance", -0.5)),
            new Bad("user-preferences", "preferences.preferred_providers", b -> prefs(b).put("preferred_providers", "openrouter")),
            new Bad("user-preferences", "preferences.preferred_providers[1]", b -> prefs(b).putArray("preferred_providers").add("a").add(3)),
            new Bad("user-preferences", "preferences.model_switching_frequency", b -> prefs(b).put("model_switching_frequency", "often")),
            new Bad("user-preferences", "theme", b -> prefs(b).put("theme", "dark")),
            new Bad("user-preferences", "user_id", b -> b.put("user_id", "")),
            new Bad("model-satisfaction", "satisfaction_score", b -> b.put("satisfaction_score", 11)),
            new Bad("model-satisfaction", "satisfaction_score", b -> b.put("satisfaction_score", 0)),
            new Bad("model-satisfaction", "satisfaction_score", b -> b.remove("satisfaction_score")),
            new Bad("model-satisfaction", "performance_rating", b -> b.put("performance_rating", 0.5)),
            new Bad("model-satisfaction", "cost_satisfaction", b -> b.put("cost_satisfaction", 10.01)),
            new Bad("model-satisfaction", "feedback", b -> b.put("feedback", "x".repeat(4001))),
            new Bad("model-satisfaction", "session_id", b -> b.remove("session_id")),
            new Bad("model-satisfaction", "provider", b -> b.putArray("provider")));

    static ObjectNode prefs(ObjectNode body) {
        return (ObjectNode) body.get("preferences");
    }

    @Test
    void aBadBodyIsA400NamingTheFieldAndRecordsNothing() {
        for (Bad bad : BAD) {
            ObjectNode body = (ObjectNode) parse(FRONTEND_BODIES.get(bad.kind()));
            bad.change().accept(body);
            int before = events(service, bad.kind(), "?limit=1000").size();
            HttpResponse<String> r = service.post(BASE + bad.kind(), Json.string(body));
            assertThat(r.statusCode()).as(bad + " -> " + r.body()).isEqualTo(400);
            assertThat(json(r).get("detail").asText()).as(bad.toString()).contains(bad.field());
            assertThat(events(service, bad.kind(), "?limit=1000")).as(bad.toString()).hasSize(before);
        }
        for (String notAnObject : List.of("", "[]", "null", "{\"model_id\":")) {
            assertThat(service.post(BASE + "model-selection", notAnObject).statusCode()).as(notAnObject).isEqualTo(400);
        }
        assertThat(service.post(BASE + "page-views", "{}").statusCode()).isEqualTo(404);
    }

    @Test
    void eventsOutliveARestart(@TempDir Path home) throws IOException {
        Map<String, String> env = Map.of("SWITCHBOARD_HOME", Files.createDirectories(home).toString());
        String yaml = TestService.endpointYaml("vllm", upstream.baseUrl(), "k");
        try (TestService first = TestService.start(yaml, env)) {
            assertThat(first.post(BASE + "model-satisfaction", FRONTEND_BODIES.get("model-satisfaction")).statusCode()).isEqualTo(200);
        }
        try (TestService second = TestService.start(yaml, env)) {
            assertThat(events(second, "model-satisfaction", "")).extracting(e -> e.get("feedback").asText())
                    .containsExactly("Kind and on topic ✓");
        }
    }

    @Test
    void withRedisEveryReplicaReadsWhatAnyRecordedAndAnOutageIsA503() {
        try (RedisServer redis = RedisServer.start()) {
            String yaml = TestService.endpointYaml("vllm", upstream.baseUrl(), "k") + """
                      monitoring:
                        redis_url: "%s"
                      shared_state: redis
                    """.formatted(redis.url());
            try (TestService a = TestService.start(yaml); TestService b = TestService.start(yaml)) {
                assertThat(a.post(BASE + "user-preferences", FRONTEND_BODIES.get("user-preferences")).statusCode()).isEqualTo(200);
                assertThat(events(b, "user-preferences", "")).extracting(e -> e.get("preferences").get("model_switching_frequency").asText())
                        .containsExactly("medium");

                redis.kill();
                HttpResponse<String> r = b.post(BASE + "user-preferences", FRONTEND_BODIES.get("user-preferences"));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
                assertThat(json(r).get("detail").asText()).contains("unavailable");
            }
        }
    }
}
