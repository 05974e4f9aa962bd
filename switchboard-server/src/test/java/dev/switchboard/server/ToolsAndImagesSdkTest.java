package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionTool;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.switchboard.json.Json;
import dev.switchboard.testkit.MockAnthropicServer;
import dev.switchboard.testkit.MockOpenAiServer;
import dev.switchboard.testkit.MockReply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What an agent or a vision application sends, through Switchboard with the official OpenAI Java SDK, to an
 * OpenAI-format upstream (passed through) and an Anthropic-format upstream (translated both ways). Every test
 * asserts on what the mock upstream received as well as on what the SDK got back.
 */
class ToolsAndImagesSdkTest {
    static MockOpenAiServer openAi;
    static MockAnthropicServer anthropic;
    static TestService service;
    static OpenAIClient client;

    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    /** The two formats a request can end up in. */
    enum Upstream {
        OPENAI("gpt-4o-mini"), ANTHROPIC("claude-sonnet-4-5");

        final String model;

        Upstream(String model) {
            this.model = model;
        }
    }

    @BeforeAll
    static void start() {
        openAi = MockOpenAiServer.start("sk-upstream", Upstream.OPENAI.model);
        anthropic = MockAnthropicServer.start("sk-ant-upstream", Upstream.ANTHROPIC.model);
        service = TestService.start("""
                model_management:
                  health_check_interval_seconds: 3600
                  fallback_config: {retry_delay_seconds: 0.001}
                  providers:
                    custom_api:
                      custom_providers:
                        oai: {api_type: openai, base_url: "%s", api_key: sk-upstream, request_timeout_seconds: 5}
                        claude: {api_type: anthropic, base_url: "%s", api_key: sk-ant-upstream, request_timeout_seconds: 5}
                server:
                  api_keys: [sb-client-key]
                """.formatted(openAi.baseUrl(), anthropic.baseUrl()));
        client = OpenAIOkHttpClient.builder().baseUrl(service.baseUrl() + "/v1").apiKey("sb-client-key")
                .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        service.close();
        openAi.close();
        anthropic.close();
    }

    @BeforeEach
    void reset() {
        openAi.reset();
        anthropic.reset();
        openAi.respond(null);
        anthropic.respond(null);
    }

    static ChatCompletionTool weatherTool() {
        return ChatCompletionTool.builder().function(FunctionDefinition.builder().name("get_weather")
                .description("Current weather in a city")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of(
                                "city", Map.of("type", "string"), "unit", Map.of("type", "string", "enum", List.of("celsius", "fahrenheit")))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .build()).build();
    }

    /** Calls the weather tool first; once it has a result, answers with it. */
    static MockReply weatherAgent(dev.switchboard.testkit.MockAsk ask) {
        return ask.toolResults().isEmpty() ? MockReply.call("get_weather", "{\"city\":\"Oslo\",\"unit\":\"celsius\"}")
                : MockReply.text("In Oslo it is " + ask.toolResults().values().iterator().next());
    }

    static void answerAsAgent(Upstream u) {
        if (u == Upstream.OPENAI) {
            openAi.respond(ToolsAndImagesSdkTest::weatherAgent);
        } else {
            anthropic.respond(ToolsAndImagesSdkTest::weatherAgent);
        }
    }

    static List<JsonNode> received(Upstream u) {
        return (u == Upstream.OPENAI ? openAi.chatRequests().stream().map(MockOpenAiServer.Recorded::json)
                : anthropic.messageRequests().stream().map(MockOpenAiServer.Recorded::json)).toList();
    }

    static ChatCompletion streamed(ChatCompletionCreateParams params) {
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params)) {
            s.stream().forEach(acc::accumulate);
        }
        return acc.chatCompletion();
    }

    @ParameterizedTest
    @CsvSource({"OPENAI, false", "OPENAI, true", "ANTHROPIC, false", "ANTHROPIC, true"})
    void aToolCallAndTheToolResultTurnMakeARoundTrip(Upstream u, boolean stream) {
        answerAsAgent(u);
        ChatCompletionCreateParams ask = ChatCompletionCreateParams.builder().model(u.model)
                .addUserMessage("What is the weather in Oslo?").addTool(weatherTool()).build();

        ChatCompletion first = stream ? streamed(ask) : client.chat().completions().create(ask);

        assertThat(first.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageToolCall call = first.choices().getFirst().message().toolCalls().orElseThrow().getFirst();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(parse(call.function().arguments())).isEqualTo(parse("{\"city\":\"Oslo\",\"unit\":\"celsius\"}"));
        assertThat(call.id()).isNotBlank();
        JsonNode sentTools = received(u).getFirst().path("tools");
        if (u == Upstream.OPENAI) {
            assertThat(sentTools.at("/0/function/name").asText()).isEqualTo("get_weather");
            assertThat(sentTools.at("/0/function/parameters/required/0").asText()).isEqualTo("city");
        } else {
            assertThat(sentTools.at("/0/name").asText()).isEqualTo("get_weather");
            assertThat(sentTools.at("/0/input_schema/properties/unit/enum/1").asText()).isEqualTo("fahrenheit");
        }

        ChatCompletionCreateParams answer = ask.toBuilder()
                .addMessage(first.choices().getFirst().message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("12°C, light rain").build())
                .build();
        ChatCompletion second = stream ? streamed(answer) : client.chat().completions().create(answer);

        assertThat(second.choices().getFirst().message().content()).hasValue("In Oslo it is 12°C, light rain");
        JsonNode turn = received(u).getLast().path("messages");
        if (u == Upstream.OPENAI) {
            assertThat(turn.at("/1/tool_calls/0/id").asText()).isEqualTo(call.id());
            assertThat(turn.at("/2/role").asText()).isEqualTo("tool");
            assertThat(turn.at("/2/tool_call_id").asText()).isEqualTo(call.id());
        } else {
            assertThat(turn.at("/1/content/0/type").asText()).isEqualTo("tool_use");
            assertThat(turn.at("/1/content/0/id").asText()).isEqualTo(call.id());
            assertThat(turn.at("/2/role").asText()).isEqualTo("user");
            assertThat(turn.at("/2/content/0/type").asText()).isEqualTo("tool_result");
            assertThat(turn.at("/2/content/0/tool_use_id").asText()).isEqualTo(call.id());
            assertThat(turn.at("/2/content/0/content").asText()).isEqualTo("12°C, light rain");
        }
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void aNamedToolChoiceForcesThatTool(Upstream u) {
        ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder().model(u.model)
                .addUserMessage("Check the weather").addTool(weatherTool())
                .toolChoice(ChatCompletionNamedToolChoice.builder()
                        .function(ChatCompletionNamedToolChoice.Function.builder().name("get_weather").build()).build())
                .build());

        assertThat(c.choices().getFirst().message().toolCalls().orElseThrow().getFirst().function().name()).isEqualTo("get_weather");
        JsonNode choice = received(u).getFirst().path("tool_choice");
        assertThat(choice).isEqualTo(parse(u == Upstream.OPENAI
                ? "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}" : "{\"type\":\"tool\",\"name\":\"get_weather\"}"));
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void imagesByDataUrlAndByHttpUrlReachTheUpstream(Upstream u) {
        ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder().model(u.model)
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("Compare these.").build()),
                        image("data:image/png;base64," + PNG),
                        image("https://example.org/cat.jpg")))
                .build());

        assertThat(c.choices().getFirst().message().content()).isPresent();
        JsonNode content = received(u).getFirst().at("/messages/0/content");
        if (u == Upstream.OPENAI) {
            assertThat(content.at("/1/image_url/url").asText()).isEqualTo("data:image/png;base64," + PNG);
            assertThat(content.at("/2/image_url/url").asText()).isEqualTo("https://example.org/cat.jpg");
        } else {
            assertThat(content.get(1)).isEqualTo(parse("{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"" + PNG + "\"}}"));
            assertThat(content.get(2)).isEqualTo(parse("{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.org/cat.jpg\"}}"));
        }
    }

    static ChatCompletionContentPart image(String url) {
        return ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(url).build()).build());
    }

    @ParameterizedTest
    @EnumSource(Upstream.class)
    void aJsonSchemaAnswerComesBackAsJsonThatFollowsIt(Upstream u) {
        ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder().model(u.model)
                .addUserMessage("Weather in Oslo as JSON")
                .responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                        .name("weather").strict(true)
                        .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"),
                                        "celsius", Map.of("type", "number"))))
                                .putAdditionalProperty("required", JsonValue.from(List.of("city", "celsius")))
                                .build())
                        .build()).build())
                .build());

        JsonNode answer = parse(c.choices().getFirst().message().content().orElseThrow());
        assertThat(answer.path("city").isTextual()).isTrue();
        assertThat(answer.path("celsius").isNumber()).isTrue();
        assertThat(c.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        JsonNode sent = received(u).getFirst();
        if (u == Upstream.OPENAI) {
            assertThat(sent.at("/response_format/json_schema/name").asText()).isEqualTo("weather");
            assertThat(sent.at("/response_format/json_schema/strict").asBoolean()).isTrue();
        } else {
            assertThat(sent.at("/tools/0/name").asText()).isEqualTo("weather");
            assertThat(sent.at("/tools/0/input_schema/required/1").asText()).isEqualTo("celsius");
            assertThat(sent.path("tool_choice")).isEqualTo(parse("{\"type\":\"tool\",\"name\":\"weather\"}"));
        }
    }

    @Test
    void severalChoicesAndLogprobsComeBackFromAnOpenAiUpstream() {
        openAi.replyWith(p -> "two short words");
        ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(Upstream.OPENAI.model).addUserMessage("hi").n(2).logprobs(true).topLogprobs(2).build());

        assertThat(c.choices()).extracting(ChatCompletion.Choice::index).containsExactly(0L, 1L);
        assertThat(c.choices().getFirst().logprobs().orElseThrow().content().orElseThrow()).isNotEmpty();
        JsonNode sent = openAi.chatRequests().getFirst().json();
        assertThat(sent.path("n").asInt()).isEqualTo(2);
        assertThat(sent.path("top_logprobs").asInt()).isEqualTo(2);
    }

    @Test
    void severalChoicesStreamWithTheirIndexes() {
        openAi.replyWith(p -> "alpha beta gamma");
        ChatCompletion c = streamed(ChatCompletionCreateParams.builder().model(Upstream.OPENAI.model)
                .addUserMessage("hi").n(2).build());

        assertThat(c.choices()).hasSize(2);
        assertThat(c.choices()).allSatisfy(ch -> assertThat(ch.message().content()).hasValue("alpha beta gamma"));
    }

    @ParameterizedTest
    @CsvSource({"n, 'n(2)'", "logprobs, 'logprobs'"})
    void whatAnthropicLacksIsA400NamingTheFieldAndTheModel(String field, String ignored) {
        ChatCompletionCreateParams.Builder b = ChatCompletionCreateParams.builder().model(Upstream.ANTHROPIC.model).addUserMessage("hi");
        ChatCompletionCreateParams params = field.equals("n") ? b.n(2).build() : b.logprobs(true).build();

        assertThatThrownBy(() -> client.chat().completions().create(params))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining(Upstream.ANTHROPIC.model)
                .hasMessageContaining(field);
        assertThat(anthropic.messageRequests()).isEmpty();
    }

    @Test
    void everyFieldTheSdkSendsArrivesAtAnOpenAiUpstreamUnchanged() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(Upstream.OPENAI.model)
                .addDeveloperMessage("Be brief.")
                .addUserMessage("hello")
                .addTool(weatherTool())
                .parallelToolCalls(false)
                .maxCompletionTokens(77)
                .temperature(0.4).topP(0.9).seed(7L).presencePenalty(0.1).frequencyPenalty(0.2)
                .user("end-user-42")
                .store(true)
                .metadata(ChatCompletionCreateParams.Metadata.builder().putAdditionalProperty("task_type", JsonValue.from("general_chat")).build())
                .serviceTier(ChatCompletionCreateParams.ServiceTier.AUTO)
                .logitBias(ChatCompletionCreateParams.LogitBias.builder().putAdditionalProperty("50256", JsonValue.from(-100)).build())
                .modalities(List.of(ChatCompletionCreateParams.Modality.TEXT))
                .putAdditionalBodyProperty("verbosity", JsonValue.from("low"))
                .putAdditionalBodyProperty("prompt_cache_key", JsonValue.from("story-7"))
                .putAdditionalBodyProperty("safety_identifier", JsonValue.from("user-hash-1"))
                .putAdditionalBodyProperty("web_search_options", JsonValue.from(Map.of("search_context_size", "low")))
                .putAdditionalBodyProperty("x_vendor_extension", JsonValue.from(Map.of("a", List.of(1, 2))))
                .build();
        OpenAIClient direct = OpenAIOkHttpClient.builder().baseUrl(openAi.baseUrl() + "/v1").apiKey("sk-upstream")
                .maxRetries(0).build();
        try {
            direct.chat().completions().create(params);
        } finally {
            direct.close();
        }
        JsonNode asSentByTheSdk = openAi.chatRequests().getFirst().json();

        ChatCompletion c = client.chat().completions().create(params);

        JsonNode throughSwitchboard = openAi.chatRequests().getLast().json();
        assertThat(throughSwitchboard).isEqualTo(asSentByTheSdk);
        assertThat(c.systemFingerprint()).hasValue("fp_mock");
        assertThat(c.serviceTier()).isPresent();
        assertThat(c.usage().orElseThrow().completionTokensDetails()).isPresent();
    }

    @Test
    void bookkeepingFieldsAnAnthropicUpstreamHasNoUseForAreNamedAsNotForwarded() {
        java.net.http.HttpResponse<String> r = service.withKey("sb-client-key").post("/v1/chat/completions", """
                {"model":"%s","messages":[{"role":"user","content":"hello"}],
                 "user":"end-user-42","store":false,"prompt_cache_key":"k"}""".formatted(Upstream.ANTHROPIC.model));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode sent = anthropic.messageRequests().getFirst().json();
        assertThat(sent.path("metadata")).isEqualTo(parse("{\"user_id\":\"end-user-42\"}"));
        assertThat(sent.has("store")).isFalse();
        assertThat(parse(r.body()).at("/metadata/not_forwarded").toString()).contains("store").contains("prompt_cache_key");

        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(Upstream.ANTHROPIC.model).addUserMessage("hello")
                .putAdditionalBodyProperty("prediction", JsonValue.from(Map.of("type", "content", "content", "x"))).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("prediction");
    }

    static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
