package dev.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.ModelManagementConfig;
import dev.switchboard.manager.ModelManager;
import dev.switchboard.manager.ProviderRegistry;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.ContentPart;
import dev.switchboard.model.ImageSource;
import dev.switchboard.model.Message;
import dev.switchboard.model.Role;
import dev.switchboard.model.TaskType;
import dev.switchboard.model.Tool;
import dev.switchboard.model.ToolCall;
import dev.switchboard.model.ToolUse;
import dev.switchboard.routing.guard.Admission;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.MockOpenAiServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request is routed, and falls back, only to deployments that can serve what it asks for. Three endpoints:
 * "strong" (best score; tools and images), "plain" (second; text only) and "tooly" (third; tools, no images), plus
 * "embedder", the best-scored of all, which only embeds.
 */
class CapabilityRoutingTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path home;

    static MockOpenAiServer a;
    static MockOpenAiServer b;
    static MockOpenAiServer c;
    static MockOpenAiServer e;
    ModelManager manager;

    @BeforeAll
    static void upstreams() {
        a = MockOpenAiServer.start(null, "strong").replyWith(p -> "A: " + p);
        b = MockOpenAiServer.start(null, "plain").replyWith(p -> "B: " + p);
        c = MockOpenAiServer.start(null, "tooly").replyWith(p -> "C: " + p);
        e = MockOpenAiServer.start(null, "embedder");
    }

    @AfterAll
    static void stopUpstreams() {
        a.close();
        b.close();
        c.close();
        e.close();
    }

    @BeforeEach
    void start() {
        a.reset();
        b.reset();
        c.reset();
        e.reset();
        String yaml = """
                model_management:
                  health_check_interval_seconds: 3600
                  fallback_config: {retry_delay_seconds: 0.001, max_retries: 1}
                  providers:
                    custom_api:
                      custom_providers:
                        a: {base_url: "%s"}
                        b: {base_url: "%s"}
                        c: {base_url: "%s"}
                        e: {base_url: "%s"}
                  models:
                    strong: {performance_score: 9, therapeutic_safety_score: 9, capabilities: [chat, tool_calling, vision],
                             fallback_models: [plain, tooly]}
                    plain: {performance_score: 7, therapeutic_safety_score: 9, capabilities: [chat]}
                    tooly: {performance_score: 5, therapeutic_safety_score: 9, capabilities: [chat, tool_calling]}
                    embedder: {performance_score: 10, therapeutic_safety_score: 10, capabilities: [embeddings]}
                """.formatted(a.baseUrl(), b.baseUrl(), c.baseUrl(), e.baseUrl());
        ModelManagementConfig cfg = ConfigLoader.parse(yaml, "capability-test", Map.of()).config().modelManagement();
        manager = new ModelManager(cfg, ProviderRegistry.discover(), Map.of("SWITCHBOARD_HOME", home.toString()));
        manager.start();
    }

    @AfterEach
    void stop() {
        manager.stop();
    }

    static ToolUse weatherTool() {
        return new ToolUse(List.of(new Tool.Function("get_weather", "Weather for a city",
                JsonNodeFactory.instance.objectNode().put("type", "object"), null)), null, null);
    }

    static ChatRequest withTools(String model) {
        return ChatRequest.builder().prompt("weather in Oslo?").model(model).taskType(TaskType.GENERAL_CHAT)
                .toolUse(weatherTool()).build();
    }

    static ChatRequest withImage(String model) {
        Message m = new Message(Role.USER, List.of(new ContentPart.Text("what is this?"),
                new ContentPart.Image(new ImageSource.Inline("image/png", "iVBORw0KGgo="), null)), null, null, null, null, null);
        return ChatRequest.builder().message(m).model(model).build();
    }

    static Explanation routing(ChatResponse r) {
        return (Explanation) r.metadata().get("routing");
    }

    @Test
    void aChatNeverGoesToAnEmbeddingModelAndSaysWhy() {
        ChatResponse r = manager.chat().generate(ChatRequest.builder().prompt("hello").build());

        assertThat(r.modelId()).isEqualTo("strong");
        assertThat(routing(r).excluded()).anySatisfy(x -> {
            assertThat(x.model()).isEqualTo("custom_api:e:embedder");
            assertThat(x.reason()).isEqualTo("lacks chat (the request is a chat)");
        });
        assertThat(e.chatRequests()).isEmpty();
    }

    @Test
    void aToolsRequestSkipsAModelWithoutToolCallingAndFallsBackOnlyToOneThatHasIt() {
        a.enqueue(Fault.openAiError(500, "down", "server_error", null, Map.of()));
        a.enqueue(Fault.openAiError(500, "still down", "server_error", null, Map.of()));

        ChatResponse r = manager.chat().generate(withTools(null));

        assertThat(r.modelId()).isEqualTo("tooly");
        assertThat(routing(r).excluded()).anySatisfy(x -> {
            assertThat(x.model()).isEqualTo("custom_api:b:plain");
            assertThat(x.reason()).isEqualTo("lacks tool_calling (the request defines tools)");
        });
        assertThat(b.chatRequests()).as("the model without tools was never called").isEmpty();
        assertThat(c.chatRequests().getFirst().json().at("/tools/0/function/name").asText()).isEqualTo("get_weather");
    }

    @Test
    void aNamedModelFallsBackThroughItsFallbackModelsOnlyToCapableOnes() {
        a.enqueue(Fault.openAiError(503, "overloaded", "server_error", null, Map.of()));
        a.enqueue(Fault.openAiError(503, "overloaded", "server_error", null, Map.of()));

        ChatResponse r = manager.chat().generate(withTools("strong"));

        assertThat(r.modelId()).isEqualTo("tooly");
        assertThat(routing(r).attempts()).extracting(Explanation.Attempt::model)
                .containsExactly("custom_api:a:strong", "custom_api:c:tooly");
        assertThat(b.chatRequests()).isEmpty();
    }

    @Test
    void toolTurnsInTheHistoryNeedToolCallingToo() {
        ChatRequest history = ChatRequest.builder().model("plain")
                .message(Message.user("weather?"))
                .message(Message.assistant(null, List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}"))))
                .message(Message.toolResult("call_1", "sunny"))
                .build();

        RoutingFailure f = catchThrowableOfType(RoutingFailure.class, () -> manager.chat().generate(history));

        assertThat(f.status()).isEqualTo(400);
        assertThat(f.unsupported().hold()).isEqualTo(Admission.Hold.REQUEST);
        assertThat(f.getMessage()).startsWith("model custom_api:b:plain cannot serve this request: lacks tool_calling "
                + "(the conversation has tool calls)").endsWith("list tool_calling under model_management.models.<its id>.capabilities");
        assertThat(b.chatRequests()).isEmpty();
    }

    @Test
    void anImageForATextOnlyModelNamedExplicitlyIsA400NamingVisionAndTheField() {
        RoutingFailure f = catchThrowableOfType(RoutingFailure.class, () -> manager.chat().generate(withImage("plain")));

        assertThat(f.status()).isEqualTo(400);
        assertThat(f.unsupported().field()).isEqualTo("messages[0].content[1]");
        assertThat(f.getMessage()).contains("plain").contains("lacks vision");
        assertThat(f.attempts()).isEmpty();
        assertThat(b.chatRequests()).isEmpty();

        ChatResponse served = manager.chat().generate(withImage(null));
        assertThat(served.modelId()).as("automatic routing finds the one model with vision").isEqualTo("strong");
        assertThat(a.chatRequests().getFirst().json().at("/messages/0/content/1/image_url/url").asText())
                .isEqualTo("data:image/png;base64,iVBORw0KGgo=");
    }

    @Test
    void theSameRequestStreamedFallsBackTheSameWay() {
        a.enqueue(Fault.openAiError(500, "down", "server_error", null, Map.of()));
        a.enqueue(Fault.openAiError(500, "down", "server_error", null, Map.of()));
        StringBuilder text = new StringBuilder();

        ChatResponse r = manager.chat().stream(withTools(null).withStream(true), text::append);

        assertThat(r.modelId()).isEqualTo("tooly");
        assertThat(text.toString()).isEqualTo("C: weather in Oslo?");
        assertThat(b.chatRequests()).isEmpty();
    }
}
