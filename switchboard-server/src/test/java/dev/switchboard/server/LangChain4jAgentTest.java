package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.TokenStream;
import dev.switchboard.testkit.MockAnthropicServer;
import dev.switchboard.testkit.MockAsk;
import dev.switchboard.testkit.MockOpenAiServer;
import dev.switchboard.testkit.MockReply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An agent as a Java developer writes one: a LangChain4j {@code AiServices} interface with a {@code @Tool} method, on
 * LangChain4j's own OpenAI module, pointed at Switchboard. The model asks for the tool, LangChain4j runs it and sends
 * the result back, and the model answers with it: through an OpenAI-format upstream and, translated, through an
 * Anthropic one; unstreamed and streamed.
 */
class LangChain4jAgentTest {
    static MockOpenAiServer openAi;
    static MockAnthropicServer anthropic;
    static TestService service;

    interface Assistant {
        String chat(String message);
    }

    interface StreamingAssistant {
        TokenStream chat(String message);
    }

    /** The application's tool: LangChain4j calls it with the arguments the model chose. */
    static final class Calculator {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Tool("Adds two whole numbers")
        int add(int a, int b) {
            calls.add(a + "+" + b);
            return a + b;
        }
    }

    /** The model: asks for add(2, 40), then reports the tool's result. */
    static MockReply model(MockAsk ask) {
        if (ask.toolResults().isEmpty()) {
            return ask.toolNames().contains("add") ? MockReply.call("add", "{\"a\":2,\"b\":40}") : MockReply.text("no tools offered");
        }
        return MockReply.text("The answer is " + ask.toolResults().values().iterator().next() + ".");
    }

    @BeforeAll
    static void start() {
        openAi = MockOpenAiServer.start("sk-upstream", "gpt-4o-mini").respond(LangChain4jAgentTest::model);
        anthropic = MockAnthropicServer.start("sk-ant", "claude-sonnet-4-5").respond(LangChain4jAgentTest::model);
        service = TestService.start("""
                model_management:
                  health_check_interval_seconds: 3600
                  providers:
                    custom_api:
                      custom_providers:
                        oai: {api_type: openai, base_url: "%s", api_key: sk-upstream}
                        claude: {api_type: anthropic, base_url: "%s", api_key: sk-ant}
                server:
                  api_keys: [sb-agent-key]
                """.formatted(openAi.baseUrl(), anthropic.baseUrl()));
    }

    @AfterAll
    static void stop() {
        service.close();
        openAi.close();
        anthropic.close();
    }

    @BeforeEach
    void reset() {
        openAi.reset();
        anthropic.reset();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4o-mini", "claude-sonnet-4-5"})
    void anAiServicesAgentCompletesAToolRoundTrip(String model) {
        Calculator calculator = new Calculator();
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(OpenAiChatModel.builder().baseUrl(service.baseUrl() + "/v1").apiKey("sb-agent-key")
                        .modelName(model).timeout(Duration.ofSeconds(20)).maxRetries(0).build())
                .tools(calculator)
                .build();

        String answer = assistant.chat("What is 2 + 40?");

        assertThat(answer).isEqualTo("The answer is 42.");
        assertThat(calculator.calls).containsExactly("2+40");
        assertUpstreamSawTheRoundTrip(model);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4o-mini", "claude-sonnet-4-5"})
    void aStreamingAgentCompletesTheSameRoundTrip(String model) throws Exception {
        Calculator calculator = new Calculator();
        StreamingAssistant assistant = AiServices.builder(StreamingAssistant.class)
                .streamingChatModel(OpenAiStreamingChatModel.builder().baseUrl(service.baseUrl() + "/v1")
                        .apiKey("sb-agent-key").modelName(model).timeout(Duration.ofSeconds(20)).build())
                .tools(calculator)
                .build();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        StringBuilder streamed = new StringBuilder();

        assistant.chat("What is 2 + 40?")
                .onPartialResponse(streamed::append)
                .onCompleteResponse(done::complete)
                .onError(done::completeExceptionally)
                .start();

        ChatResponse response = done.get(30, TimeUnit.SECONDS);
        assertThat(response.aiMessage().text()).isEqualTo("The answer is 42.");
        assertThat(streamed.toString()).isEqualTo("The answer is 42.");
        assertThat(calculator.calls).containsExactly("2+40");
        assertUpstreamSawTheRoundTrip(model);
    }

    /** The second call carried the model's tool call and LangChain4j's result, paired by the call's id. */
    private static void assertUpstreamSawTheRoundTrip(String model) {
        if (model.startsWith("gpt")) {
            List<JsonNode> calls = openAi.chatRequests().stream().map(MockOpenAiServer.Recorded::json).toList();
            assertThat(calls).hasSize(2);
            assertThat(calls.getFirst().at("/tools/0/function/name").asText()).isEqualTo("add");
            JsonNode messages = calls.getLast().path("messages");
            String id = messages.at("/1/tool_calls/0/id").asText();
            assertThat(id).isNotBlank();
            assertThat(messages.at("/2/tool_call_id").asText()).isEqualTo(id);
            assertThat(messages.at("/2/content").asText()).isEqualTo("42");
        } else {
            List<JsonNode> calls = anthropic.messageRequests().stream().map(MockOpenAiServer.Recorded::json).toList();
            assertThat(calls).hasSize(2);
            assertThat(calls.getFirst().at("/tools/0/name").asText()).isEqualTo("add");
            assertThat(calls.getFirst().at("/tools/0/input_schema/properties/a/type").asText()).isEqualTo("integer");
            JsonNode messages = calls.getLast().path("messages");
            String id = messages.at("/1/content/0/id").asText();
            assertThat(messages.at("/1/content/0/input")).isEqualTo(readTree("{\"a\":2,\"b\":40}"));
            assertThat(messages.at("/2/content/0/tool_use_id").asText()).isEqualTo(id);
            assertThat(messages.at("/2/content/0/content").asText()).isEqualTo("42");
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return dev.switchboard.json.Json.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
