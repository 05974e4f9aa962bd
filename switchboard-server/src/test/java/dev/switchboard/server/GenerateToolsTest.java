package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.json.Json;
import dev.switchboard.testkit.MockAnthropicServer;
import dev.switchboard.testkit.MockReply;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The seed's {@code /generate} takes OpenAI-shaped messages with tools and images and returns tool calls. */
class GenerateToolsTest {
    static MockAnthropicServer claude;
    static TestService service;

    @BeforeAll
    static void start() {
        claude = MockAnthropicServer.start("sk-ant", "claude-sonnet-4-5").respond(ask -> ask.toolResults().isEmpty()
                ? MockReply.call("roll_dice", "{\"sides\":20}") : MockReply.text("You rolled " + ask.toolResults().values().iterator().next()));
        service = TestService.start("""
                model_management:
                  health_check_interval_seconds: 3600
                  providers:
                    custom_api:
                      custom_providers:
                        claude: {api_type: anthropic, base_url: "%s", api_key: sk-ant}
                """.formatted(claude.baseUrl()));
    }

    @AfterAll
    static void stop() {
        service.close();
        claude.close();
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return Json.mapper().readTree(r.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void toolsGoInAndToolCallsComeOutAndTheResultTurnIsAnswered() {
        String tools = """
                "tools": [{"type": "function", "function": {"name": "roll_dice", "description": "Rolls a die",
                  "parameters": {"type": "object", "properties": {"sides": {"type": "integer"}}, "required": ["sides"]}}}]""";
        HttpResponse<String> first = service.post("/api/v1/models/generate", """
                {"model_id": "claude-sonnet-4-5", "therapeutic_safety_required": false, "temperature": 0.5,
                 "messages": [{"role": "user", "content": [{"type": "text", "text": "Roll for initiative"},
                   {"type": "image_url", "image_url": {"url": "https://example.org/map.png"}}]}], %s}""".formatted(tools));

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode call = json(first).at("/tool_calls/0");
        assertThat(call.at("/function/name").asText()).isEqualTo("roll_dice");
        assertThat(call.at("/function/arguments").asText()).isEqualTo("{\"sides\":20}");
        assertThat(json(first).get("finish_reason").asText()).isEqualTo("tool_calls");
        JsonNode sent = claude.messageRequests().getFirst().json();
        assertThat(sent.at("/messages/0/content/1/source/url").asText()).isEqualTo("https://example.org/map.png");
        assertThat(sent.at("/tools/0/name").asText()).isEqualTo("roll_dice");

        HttpResponse<String> second = service.post("/api/v1/models/generate", """
                {"model_id": "claude-sonnet-4-5", "therapeutic_safety_required": false, "temperature": 0.5,
                 "messages": [{"role": "user", "content": "Roll for initiative"},
                   {"role": "assistant", "content": null, "tool_calls": [%s]},
                   {"role": "tool", "tool_call_id": "%s", "content": "17"}], %s}""".formatted(call, call.get("id").asText(), tools));

        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(json(second).get("text").asText()).isEqualTo("You rolled 17");
        assertThat(json(second).has("tool_calls")).isFalse();
        assertThat(claude.messageRequests().getLast().json().at("/messages/2/content/0/tool_use_id").asText())
                .isEqualTo(call.get("id").asText());
    }
}
