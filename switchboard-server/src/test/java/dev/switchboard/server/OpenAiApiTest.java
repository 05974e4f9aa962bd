package dev.switchboard.server;

import static dev.switchboard.server.RestApiTest.json;
import static dev.switchboard.server.RestApiTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.MockOpenAiServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible /v1 API over raw HTTP: exact shapes, SSE framing and error bodies. */
class OpenAiApiTest {
    static MockOpenAiServer east;
    static MockOpenAiServer west;
    static TestService service;

    @BeforeAll
    static void start() {
        east = MockOpenAiServer.start("k-east", "gpt-4o-mini", "llama3.2:3b");
        west = MockOpenAiServer.start("k-west", "gpt-4o-mini", "qwen/qwen-2.5-7b-instruct:free");
        west.replyWith(p -> "west says " + p);
        service = TestService.start("""
                model_management:
                  default_provider: east
                  health_check_interval_seconds: 3600
                  fallback_config: {max_retries: 0, retry_delay_seconds: 0.001, allowed_fails: 1000}
                  providers:
                    custom_api:
                      custom_providers:
                        east: {api_type: openai, base_url: %s, api_key: k-east, request_timeout_seconds: 5}
                        west: {api_type: openai, base_url: %s/v1, api_key: k-west, request_timeout_seconds: 5}
                server:
                  max_body_bytes: 65536
                """.formatted(east.baseUrl(), west.baseUrl()));
    }

    @AfterAll
    static void stop() {
        service.close();
        east.close();
        west.close();
    }

    @BeforeEach
    void reset() {
        east.reset();
        west.reset();
    }

    static String chat(String model, String content) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
    }

    @Test
    void modelListUsesBareIdsWhenUniqueAndProviderPrefixesWhenShared() {
        HttpResponse<String> r = service.get("/v1/models");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("object").asText()).isEqualTo("list");
        List<String> ids = new ArrayList<>();
        body.get("data").forEach(m -> {
            ids.add(m.get("id").asText());
            assertThat(m.get("object").asText()).isEqualTo("model");
            assertThat(m.has("created")).isTrue();
            assertThat(m.has("owned_by")).isTrue();
        });
        assertThat(ids).containsExactlyInAnyOrder("custom_api:east:gpt-4o-mini", "llama3.2:3b", "custom_api:west:gpt-4o-mini",
                "qwen/qwen-2.5-7b-instruct:free");
        // every listed id is accepted back as a model
        for (String id : ids) {
            assertThat(service.post("/v1/chat/completions", chat(id, "x")).statusCode()).as(id).isEqualTo(200);
        }
        assertThat(service.get("/v1/models/qwen/qwen-2.5-7b-instruct:free").statusCode()).isEqualTo(200);
        assertThat(service.get("/v1/models/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void completionHasOpenAisShape() {
        HttpResponse<String> r = service.post("/v1/chat/completions", chat("llama3.2:3b", "hello there"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode c = json(r);
        assertThat(c.get("id").asText()).isNotBlank();
        assertThat(c.get("object").asText()).isEqualTo("chat.completion");
        assertThat(c.get("created").asLong()).isPositive();
        assertThat(c.get("model").asText()).isEqualTo("llama3.2:3b");
        JsonNode choice = c.get("choices").get(0);
        assertThat(choice.get("index").asInt()).isZero();
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").asText()).isEqualTo("echo: hello there");
        assertThat(choice.has("logprobs")).isTrue();
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = c.get("usage");
        assertThat(usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt())
                .isEqualTo(usage.get("total_tokens").asInt());
    }

    @Test
    void providerPrefixPicksTheEndpointAndModelIdsKeepTheirColons() {
        JsonNode viaWest = json(service.post("/v1/chat/completions", chat("west:gpt-4o-mini", "a")));
        assertThat(viaWest.get("choices").get(0).get("message").get("content").asText()).isEqualTo("west says a");
        assertThat(west.chatRequests()).hasSize(1);
        assertThat(west.chatRequests().getFirst().headers().get("authorization")).isEqualTo("Bearer k-west");
        JsonNode bare = json(service.post("/v1/chat/completions", chat("qwen/qwen-2.5-7b-instruct:free", "b")));
        assertThat(bare.get("choices").get(0).get("message").get("content").asText()).isEqualTo("west says b");
        assertThat(west.chatRequests().get(1).json().get("model").asText()).isEqualTo("qwen/qwen-2.5-7b-instruct:free");
        // a bare id that both endpoints serve is balanced between them, and every answer names who served it
        for (int i = 0; i < 20; i++) {
            JsonNode c = json(service.post("/v1/chat/completions", chat("gpt-4o-mini", "c")));
            assertThat(c.get("metadata").get("routing").get("chosen").asText()).startsWith("custom_api:");
        }
        assertThat(east.chatRequests()).isNotEmpty();
        assertThat(west.chatRequests()).hasSizeGreaterThan(2);
    }

    @Test
    void anOpenAiUpstreamGetsTheRequestAsTheClientSentIt() {
        HttpResponse<String> r = service.post("/v1/chat/completions", """
                {"model":"llama3.2:3b","messages":[
                  {"role":"developer","content":"be brief"},
                  {"role":"user","content":[{"type":"text","text":"part one, "},{"type":"text","text":"part two"}]}],
                 "max_completion_tokens":33,"stop":"END","seed":7,"presence_penalty":0.5,
                 "response_format":{"type":"json_object"},"user":"u-1"}""");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode sent = east.chatRequests().getFirst().json();
        assertThat(sent.get("messages").get(0).get("role").asText()).isEqualTo("developer");
        assertThat(sent.get("messages").get(1).get("content").toString())
                .isEqualTo("[{\"type\":\"text\",\"text\":\"part one, \"},{\"type\":\"text\",\"text\":\"part two\"}]");
        assertThat(sent.get("max_completion_tokens").asInt()).isEqualTo(33);
        assertThat(sent.has("max_tokens")).isFalse();
        assertThat(sent.get("user").asText()).isEqualTo("u-1");
        assertThat(sent.get("stop").get(0).asText()).isEqualTo("END");
        assertThat(sent.get("seed").asInt()).isEqualTo(7);
        assertThat(sent.get("presence_penalty").asDouble()).isEqualTo(0.5);
        assertThat(sent.get("response_format").get("type").asText()).isEqualTo("json_object");
    }

    @Test
    void streamIsFramedLikeOpenAis() {
        east.replyWith(p -> "one two three");
        HttpResponse<String> r = service.post("/v1/chat/completions",
                "{\"model\":\"llama3.2:3b\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        east.replyWith(p -> "echo: " + p);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        List<String> events = dataEvents(r.body());
        assertThat(events.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(RestApiTest::parse).toList();
        String id = chunks.getFirst().get("id").asText();
        StringBuilder text = new StringBuilder();
        for (JsonNode c : chunks) {
            assertThat(c.get("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.get("id").asText()).isEqualTo(id);
            assertThat(c.get("model").asText()).isEqualTo("llama3.2:3b");
            if (!c.get("choices").isEmpty() && c.get("choices").get(0).get("delta").has("content")) {
                text.append(c.get("choices").get(0).get("delta").get("content").asText());
            }
        }
        assertThat(chunks.getFirst().get("choices").get(0).get("delta").get("role").asText()).isEqualTo("assistant");
        assertThat(text.toString()).isEqualTo("one two three");
        JsonNode finish = chunks.get(chunks.size() - 2);
        assertThat(finish.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = chunks.getLast();
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.get("usage").get("completion_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void streamWithoutUsageOptionSendsNoUsageChunk() {
        HttpResponse<String> r = service.post("/v1/chat/completions",
                "{\"model\":\"llama3.2:3b\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        List<String> events = dataEvents(r.body());
        assertThat(events.getLast()).isEqualTo("[DONE]");
        assertThat(events).noneMatch(e -> e.contains("\"usage\""));
    }

    @Test
    void failureBeforeTheFirstTokenIsAPlainHttpError() {
        east.enqueue(Fault.openAiError(429, "slow down", "requests", "rate_limit_exceeded", Map.of("Retry-After", "30")));
        HttpResponse<String> r = service.post("/v1/chat/completions",
                "{\"model\":\"llama3.2:3b\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow())).isBetween(20L, 30L);
        assertThat(json(r).get("error").get("message").asText()).contains("slow down");
        assertThat(json(r).get("error").get("type").asText()).isEqualTo("rate_limit_error");
        assertThat(service.post("/api/v1/models/fallback/reset/llama3.2:3b", "").statusCode()).isEqualTo(200);
    }

    @Test
    void failureAfterTheFirstTokenArrivesAsAnErrorEvent() {
        east.enqueue(Fault.truncated(2));
        east.replyWith(p -> "a b c d e");
        HttpResponse<String> r = service.post("/v1/chat/completions",
                "{\"model\":\"llama3.2:3b\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        east.replyWith(p -> "echo: " + p);
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> events = dataEvents(r.body());
        assertThat(events).doesNotContain("[DONE]");
        JsonNode last = parse(events.getLast());
        assertThat(last.get("error").get("message").asText()).contains("ended the stream");
    }

    @Test
    void badRequestsGetOpenAiErrorBodies() {
        Map<String, Integer> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"model\":\"llama3.2:3b\",\"messages\":", 400);
        cases.put("{\"model\":\"llama3.2:3b\"}", 400);
        cases.put("{\"model\":\"llama3.2:3b\",\"messages\":[]}", 400);
        cases.put("{\"model\":\"llama3.2:3b\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}", 400);
        cases.put("{\"model\":\"llama3.2:3b\",\"max_tokens\":-1,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 400);
        cases.put("{\"model\":\"llama3.2:3b\",\"max_tokens\":999999999,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 400);
        cases.put("{\"model\":\"llama3.2:3b\",\"max_tokens\":1.5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 400);
        cases.put("{\"model\":\"llama3.2:3b\",\"n\":0,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 400);
        cases.put("{\"model\":\"llama3.2:3b\",\"tools\":[{\"type\":\"function\"}],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 400);
        cases.put("{\"model\":\"llama3.2:3b\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}}]}]}", 400);
        cases.put("{\"model\":\"llama3.2:3b\",\"metadata\":{\"task_type\":\"poetry\"},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 400);
        cases.put("{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 404);
        cases.put("{\"model\":\"east:no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 404);
        cases.forEach((body, status) -> {
            HttpResponse<String> r = service.post("/v1/chat/completions", body);
            assertThat(r.statusCode()).as(body).isEqualTo(status);
            JsonNode error = json(r).get("error");
            assertThat(error).as(body).isNotNull();
            assertThat(error.get("message").asText()).as(body).isNotBlank();
            assertThat(error.has("type")).isTrue();
            assertThat(error.has("code")).isTrue();
        });
        JsonNode notFound = json(service.post("/v1/chat/completions", chat("no-such-model", "x"))).get("error");
        assertThat(notFound.get("code").asText()).isEqualTo("model_not_found");
        JsonNode maxTokens = json(service.post("/v1/chat/completions",
                "{\"model\":\"llama3.2:3b\",\"max_tokens\":-1,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")).get("error");
        assertThat(maxTokens.get("param").asText()).isEqualTo("max_tokens");
        assertThat(east.chatRequests()).isEmpty();
    }

    @Test
    void oversizedBodyIs413() {
        String big = "x".repeat(70_000);
        HttpResponse<String> r = service.post("/v1/chat/completions", chat("llama3.2:3b", big));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).get("error").get("message").asText()).isNotBlank();
        assertThat(east.chatRequests()).isEmpty();
    }

    @Test
    void taskTypeHeaderIsValidated() {
        HttpResponse<String> r = service.send(service.request("/v1/chat/completions")
                .header("Content-Type", "application/json").header("X-Switchboard-Task", "nonsense")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(chat("llama3.2:3b", "x"))).build());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").get("message").asText()).contains("task_type");
    }

    static List<String> dataEvents(String body) {
        List<String> out = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            for (String line : block.split("\n")) {
                if (line.startsWith("data: ")) {
                    out.add(line.substring(6));
                }
            }
        }
        return out;
    }
}
