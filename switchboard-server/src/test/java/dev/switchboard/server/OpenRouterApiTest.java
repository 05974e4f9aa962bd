package dev.switchboard.server;

import static dev.switchboard.server.RestApiTest.ids;
import static dev.switchboard.server.RestApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.testkit.MockOpenRouterServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The seed's OpenRouter endpoints and listings over HTTP, against a mock OpenRouter. */
class OpenRouterApiTest {
    static final String KEY = "sk-or-v1-3b9e1d7c5a2f4e6081c3a5b7d9f1e2c4";
    static final String FREE = "meta-llama/llama-3.3-70b-instruct:free";
    static final String SONNET = "anthropic/claude-3.5-sonnet";
    static final String MINI = "openai/gpt-4o-mini";
    static final String PRO = "openai/o1-pro";
    static MockOpenRouterServer upstream;
    @TempDir
    Path home;
    TestService service;

    @BeforeAll
    static void startUpstream() {
        ObjectNode auto = MockOpenRouterServer.model("openrouter/auto", "-1", "-1");
        upstream = MockOpenRouterServer.start(KEY, MockOpenRouterServer.model(FREE, "0", "0"),
                MockOpenRouterServer.model(SONNET, "0.000003", "0.000015"),
                MockOpenRouterServer.model(MINI, "0.00000015", "0.0000006"),
                MockOpenRouterServer.model(PRO, "0.00015", "0.0006"), auto);
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    static String yaml(String baseUrl) {
        return """
                model_management:
                  default_provider: openrouter
                  health_check_interval_seconds: 3600
                  providers:
                    openrouter:
                      api_key: "%s"
                      base_url: "%s"
                      request_timeout_seconds: 5
                """.formatted(KEY, baseUrl);
    }

    private TestService start() {
        service = TestService.start(yaml(upstream.baseUrl()), Map.of("SWITCHBOARD_HOME", home.toString()));
        return service;
    }

    private JsonNode filter() {
        HttpResponse<String> r = service.get("/api/v1/models/openrouter/filter");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("provider").asText()).isEqualTo("openrouter");
        return body.get("settings");
    }

    private JsonNode update(String query, String body) {
        HttpResponse<String> r = service.post("/api/v1/models/openrouter/filter" + query, body == null ? "" : body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = json(r);
        assertThat(answer.get("message").asText()).isEqualTo("OpenRouter filter settings updated");
        return answer.get("settings");
    }

    @Test
    void modelsShowPerTokenPricesAndFreeModels() {
        start();
        JsonNode models = json(service.get("/api/v1/models")).get("models");

        JsonNode sonnet = models.get(ids(models).indexOf(SONNET));
        assertThat(sonnet.get("provider_type").asText()).isEqualTo("openrouter");
        assertThat(sonnet.get("prompt_price_per_token").asDouble()).isEqualTo(3e-6);
        assertThat(sonnet.get("completion_price_per_token").asDouble()).isEqualTo(1.5e-5);
        assertThat(sonnet.get("cost_per_token").asDouble()).isCloseTo(9e-6, within(1e-18));
        assertThat(sonnet.get("is_free").asBoolean()).isFalse();
        assertThat(sonnet.get("max_completion_tokens").asInt()).isEqualTo(8192);
        assertThat(sonnet.get("details").get("tokenizer").asText()).isEqualTo("Llama3");
        JsonNode free = models.get(ids(models).indexOf(FREE));
        assertThat(free.get("is_free").asBoolean()).isTrue();
        assertThat(free.get("cost_per_token").asDouble()).isZero();
    }

    @Test
    void theFilterStartsAtTheSeedDefaultsAndShapesTheListings() {
        start();
        assertThat(filter().toString()).isEqualTo("{\"show_free_only\":false,\"prefer_free_models\":true,\"max_cost_per_token\":0.001}");
        assertThat(ids(json(service.get("/api/v1/models")).get("models"))).containsExactly(FREE, SONNET, MINI, PRO);
        assertThat(ids(json(service.get("/api/v1/models/free")))).containsExactly(FREE);
        assertThat(ids(json(service.get("/api/v1/models/openrouter/free")))).containsExactly(FREE);
        assertThat(ids(json(service.get("/api/v1/models/affordable?max_cost_per_token=0.00001")))).containsExactly(FREE, SONNET, MINI);
        assertThat(ids(json(service.get("/api/v1/models/affordable")))).containsExactly(FREE, SONNET, MINI, PRO);
    }

    @Test
    void showFreeOnlyThroughQueryParametersLeavesOnlyFreeModels() {
        start();
        JsonNode settings = update("?show_free_only=true", null);

        assertThat(settings.get("show_free_only").asBoolean()).isTrue();
        assertThat(settings.get("prefer_free").asBoolean()).isTrue();
        assertThat(filter().toString()).isEqualTo("{\"show_free_only\":true,\"prefer_free_models\":true,\"max_cost_per_token\":0.001}");
        assertThat(ids(json(service.get("/api/v1/models")).get("models"))).containsExactly(FREE);
        assertThat(ids(json(service.get("/api/v1/models/affordable?max_cost_per_token=1")))).containsExactly(FREE);
        assertThat(ids(json(service.get("/api/v1/models/openrouter/free")))).containsExactly(FREE);
    }

    @Test
    void theCapAndPreferFreeThroughAJsonBody() {
        start();
        JsonNode settings = update("", "{\"max_cost_per_token\":0.00001}");
        assertThat(settings.get("max_cost_per_token").asDouble()).isEqualTo(0.00001);
        assertThat(ids(json(service.get("/api/v1/models")).get("models"))).containsExactly(FREE, SONNET, MINI);

        update("?prefer_free=false", "{\"prefer_free\":false}");
        assertThat(ids(json(service.get("/api/v1/models")).get("models")))
                .containsExactly(FREE, SONNET, MINI, PRO, "openrouter/auto");
        assertThat(ids(json(service.get("/api/v1/models/free")))).containsExactly(FREE);
    }

    @Test
    void settingsSurviveARestart() {
        start();
        update("?show_free_only=false&prefer_free=true&max_cost_per_token=0.0000005", null);
        service.close();

        start();

        assertThat(filter().toString()).isEqualTo("{\"show_free_only\":false,\"prefer_free_models\":true,\"max_cost_per_token\":5.0E-7}");
        assertThat(ids(json(service.get("/api/v1/models")).get("models"))).containsExactly(FREE, MINI);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "?show_free_only=maybe           |                                  | show_free_only",
            "?prefer_free=2                  |                                  | prefer_free",
            "?max_cost_per_token=cheap       |                                  | max_cost_per_token",
            "?max_cost_per_token=-0.1        |                                  | max_cost_per_token",
            "?max_cost_per_token=NaN         |                                  | max_cost_per_token",
            "?max_cost_per_token=Infinity    |                                  | max_cost_per_token",
            "                                |                                  | nothing to change",
            "                                | {}                               | nothing to change",
            "                                | {\"show_free_only\":\"yes\"}     | show_free_only",
            "                                | {\"max_cost_per_token\":-1}      | max_cost_per_token",
            "                                | {\"free_only\":true}             | free_only",
            "                                | [true]                           | JSON object",
            "                                | {\"prefer_free\":                | malformed",
            "?show_free_only=true            | {\"show_free_only\":false}       | disagree",
            "                                | {\"prefer_free_models\":\"no\"}   | prefer_free_models",
            "?prefer_free_models=maybe       |                                  | prefer_free_models",
            "?prefer_free_models=true        | {\"prefer_free\":false}          | disagree"})
    void badValuesAre400WithADetailAndChangeNothing(String query, String body, String mentioned) {
        start();
        HttpResponse<String> r = service.post("/api/v1/models/openrouter/filter" + (query == null ? "" : query),
                body == null ? "" : body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).get("detail").asText()).contains(mentioned);
        assertThat(filter().toString()).isEqualTo("{\"show_free_only\":false,\"prefer_free_models\":true,\"max_cost_per_token\":0.001}");
    }

    /**
     * The seed's two shapes: GET answers its provider's {@code get_filter_settings} names ({@code show_free_only},
     * {@code prefer_free_models}, {@code max_cost_per_token}); POST echoes its own parameter names
     * ({@code prefer_free}), with {@code prefer_free_models} beside it for a client that merges the echo.
     */
    @Test
    void getAnswersTheSeedsNamesAndPostEchoesBoth() {
        start();
        JsonNode get = json(service.get("/api/v1/models/openrouter/filter"));
        assertThat(get.toString()).isEqualTo("{\"provider\":\"openrouter\",\"settings\":"
                + "{\"show_free_only\":false,\"prefer_free_models\":true,\"max_cost_per_token\":0.001}}");

        HttpResponse<String> r = service.post("/api/v1/models/openrouter/filter?show_free_only=false&prefer_free=false", "");
        assertThat(json(r).toString()).isEqualTo("{\"message\":\"OpenRouter filter settings updated\",\"settings\":"
                + "{\"show_free_only\":false,\"prefer_free\":false,\"max_cost_per_token\":0.001,\"prefer_free_models\":false}}");
    }

    /** The seed's frontend sends {@code prefer_free_models} in a JSON body; the seed's POST names it {@code prefer_free}. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "                          | {\"prefer_free_models\":false}",
            "?prefer_free_models=false |                              ",
            "                          | {\"prefer_free\":false,\"prefer_free_models\":false}",
            "?prefer_free=false        | {\"prefer_free_models\":false}"})
    void preferFreeModelsIsTheSameSettingAsPreferFree(String query, String body) {
        start();
        JsonNode settings = update(query == null ? "" : query, body);

        assertThat(settings.get("prefer_free").asBoolean()).isFalse();
        assertThat(settings.get("prefer_free_models").asBoolean()).isFalse();
        assertThat(filter().get("prefer_free_models").asBoolean()).isFalse();
        assertThat(ids(json(service.get("/api/v1/models")).get("models")))
                .containsExactly(FREE, SONNET, MINI, PRO, "openrouter/auto");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "                                         | {\"prefer_free\":true,\"prefer_free_models\":false}",
            "?prefer_free=false&prefer_free_models=true |                                                     "})
    void bothNamesDisagreeingIs400NamingBoth(String query, String body) {
        start();
        HttpResponse<String> r = service.post("/api/v1/models/openrouter/filter" + (query == null ? "" : query),
                body == null ? "" : body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).get("detail").asText()).contains("prefer_free=").contains("prefer_free_models=")
                .contains("disagree");
        assertThat(filter().get("prefer_free_models").asBoolean()).isTrue();
    }

    @Test
    void withoutAnOpenRouterProviderTheEndpointsAre404() {
        service = TestService.start(TestService.endpointYaml("east", "http://127.0.0.1:9", "k"),
                Map.of("SWITCHBOARD_HOME", home.toString()));
        for (HttpResponse<String> r : List.of(service.get("/api/v1/models/openrouter/filter"),
                service.post("/api/v1/models/openrouter/filter?show_free_only=true", ""),
                service.get("/api/v1/models/openrouter/free"))) {
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(json(r).get("detail").asText()).contains("OpenRouter");
        }
    }
}
