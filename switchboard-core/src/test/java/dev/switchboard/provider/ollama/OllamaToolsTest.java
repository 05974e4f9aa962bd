package dev.switchboard.provider.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.ContentPart;
import dev.switchboard.model.FinishReason;
import dev.switchboard.model.ImageSource;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.Message;
import dev.switchboard.model.OutputShape;
import dev.switchboard.model.ResponseFormat;
import dev.switchboard.model.Role;
import dev.switchboard.model.StreamAccumulator;
import dev.switchboard.model.Tool;
import dev.switchboard.model.ToolCall;
import dev.switchboard.model.ToolChoice;
import dev.switchboard.model.ToolUse;
import dev.switchboard.model.ProviderType;
import dev.switchboard.provider.ProviderSettings;
import dev.switchboard.testkit.MockOllamaServer;
import dev.switchboard.testkit.MockOllamaServer.Model;
import dev.switchboard.testkit.MockReply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tools, images and structured output through Ollama's native {@code /api/chat}, against the wire-exact mock. */
class OllamaToolsTest {
    static final String LLAMA = "llama3.2:3b";
    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    MockOllamaServer ollama;
    OllamaProvider provider;

    @BeforeEach
    void start() {
        ollama = MockOllamaServer.start(Model.chat(LLAMA));
        provider = new OllamaProvider();
        String yaml = "model_management:\n  providers:\n    ollama:\n      base_url: " + ollama.baseUrl()
                + "\n      use_docker: false\n      request_timeout_seconds: 10\n";
        provider.initialize(new ProviderSettings("ollama", ProviderType.OLLAMA,
                ConfigLoader.parse(yaml, "test", Map.of()).config().modelManagement().providers().get("ollama"),
                null, Duration.ofMinutes(10), Map.of()));
    }

    @AfterEach
    void stop() {
        provider.close();
        ollama.close();
    }

    static ToolUse weather(ToolChoice choice) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
        schema.putObject("properties").putObject("city").put("type", "string");
        return new ToolUse(List.of(new Tool.Function("get_weather", "Weather in a city", schema, null)), choice, null);
    }

    JsonNode lastChat() {
        return ollama.requests("/api/chat").getLast().body();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aToolCallComesBackWithItsArgumentsAsTextAndAnId(boolean stream) {
        ollama.respond(ask -> MockReply.call("get_weather", "{\"city\":\"Bergen\"}"));
        ChatRequest ask = ChatRequest.builder().prompt("weather in Bergen?").toolUse(weather(null)).stream(stream).build();
        StreamAccumulator streamed = new StreamAccumulator();

        ChatResponse r = stream ? provider.load(LLAMA, Map.of()).stream(ask, streamed::add)
                : provider.load(LLAMA, Map.of()).generate(ask);

        ToolCall call = r.toolCalls().getFirst();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.arguments()).isEqualTo("{\"city\":\"Bergen\"}");
        assertThat(call.id()).as("Ollama gives no id: one is made so the caller can answer").startsWith("call_");
        assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(lastChat().at("/tools/0/function/name").asText()).isEqualTo("get_weather");
        assertThat(lastChat().at("/tools/0/function/parameters/properties/city/type").asText()).isEqualTo("string");
        if (stream) {
            assertThat(streamed.choices().getFirst().message().toolCalls()).isEqualTo(r.toolCalls());
        }
    }

    @Test
    void theToolResultTurnCarriesTheCallAsAnObjectAndTheResultWithTheFunctionsName() {
        ollama.respond(ask -> MockReply.text("It is " + ask.toolResults().get("get_weather")));
        ChatRequest answer = ChatRequest.builder()
                .message(Message.user("weather in Bergen?"))
                .message(Message.assistant(null, List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Bergen\"}"))))
                .message(Message.toolResult("call_1", "rain"))
                .toolUse(weather(null))
                .build();

        ChatResponse r = provider.load(LLAMA, Map.of()).generate(answer);

        assertThat(r.text()).isEqualTo("It is rain");
        JsonNode messages = lastChat().path("messages");
        assertThat(messages.at("/1/tool_calls/0/function/arguments/city").asText()).isEqualTo("Bergen");
        assertThat(messages.at("/2/role").asText()).isEqualTo("tool");
        assertThat(messages.at("/2/tool_name").asText()).isEqualTo("get_weather");
        assertThat(messages.at("/2/content").asText()).isEqualTo("rain");
    }

    @Test
    void anInlineImageTravelsAsBase64AndAUrlImageIsRefusedWithTheReason() {
        Message withData = new Message(Role.USER, List.of(new ContentPart.Text("what is it?"),
                new ContentPart.Image(new ImageSource.Inline("image/png", PNG), null)), null, null, null, null, null);
        provider.load(LLAMA, Map.of()).generate(ChatRequest.builder().message(withData).build());
        assertThat(lastChat().at("/messages/0/images/0").asText()).isEqualTo(PNG);
        assertThat(lastChat().at("/messages/0/content").asText()).isEqualTo("what is it?");

        Message withUrl = withData.withContent(List.of(new ContentPart.Image(new ImageSource.Url("https://example.org/a.png"), null)));
        InvalidRequestException refused = catchThrowableOfType(InvalidRequestException.class,
                () -> provider.load(LLAMA, Map.of()).generate(ChatRequest.builder().message(withUrl).build()));
        assertThat(refused.field()).isEqualTo("messages[0].content[0]");
        assertThat(refused.getMessage()).contains("data: URL");
    }

    @Test
    void aJsonSchemaBecomesTheFormatAndAForcedToolIsRefused() {
        ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
        schema.putObject("properties").putObject("mood").put("type", "string");
        schema.putArray("required").add("mood");
        ChatResponse r = provider.load(LLAMA, Map.of()).generate(ChatRequest.builder().prompt("how are you?")
                .output(new OutputShape(null, null, null, new ResponseFormat.JsonSchema("mood", null, schema, true))).build());

        assertThat(lastChat().path("format")).isEqualTo(schema);
        assertThat(r.text()).contains("\"mood\"");

        InvalidRequestException refused = catchThrowableOfType(InvalidRequestException.class,
                () -> provider.load(LLAMA, Map.of()).generate(ChatRequest.builder().prompt("x")
                        .toolUse(weather(ToolChoice.REQUIRED)).build()));
        assertThat(refused.field()).isEqualTo("tool_choice");
    }
}
