package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The mocks' tools, images, structured output, choices, logprobs and embeddings, driven over real HTTP as a gateway
 * would drive them, and checked against the vendors' wire formats.
 */
class MockWireFeaturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final String WEATHER_TOOL = """
            {"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
              "properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["c","f"]},"days":{"type":"integer"},
                "where":{"type":"object","properties":{"lat":{"type":"number"},"exact":{"type":"boolean"}},"required":["lat","exact"]},
                "tags":{"type":"array"},"note":{"type":"string"}},
              "required":["city","unit","days","where","tags"]}}}""";

    static HttpResponse<String> post(String url, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json");
        headers.forEach(b::header);
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(text, e);
        }
    }

    /** The {@code data:} payloads of an SSE body, in order. */
    static List<String> data(String sse) {
        List<String> out = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ")) {
                out.add(line.substring(6));
            }
        }
        return out;
    }

    // --- OpenAI --------------------------------------------------------------------------------------------------

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OpenAi {
        MockOpenAiServer server;

        @BeforeAll
        void start() {
            server = MockOpenAiServer.start("sk-test", "gpt-4o", "text-embedding-3-small");
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @BeforeEach
        void fresh() {
            server.reset();
            server.replyWith(p -> "echo: " + p);
        }

        HttpResponse<String> chat(String body) {
            return post(server.baseUrl() + "/v1/chat/completions", body, Map.of("authorization", "Bearer sk-test"));
        }

        HttpResponse<String> embed(String body) {
            return post(server.baseUrl() + "/v1/embeddings", body, Map.of("authorization", "Bearer sk-test"));
        }

        String ask(String extra) {
            return "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"weather in Paris?\"}]" + extra + "}";
        }

        @Test
        void aScriptedToolCallIsAnsweredAsToolCalls() {
            server.respond(a -> MockReply.call("get_weather", "{\"city\":\"Paris\"}"));
            HttpResponse<String> r = chat(ask(",\"tools\":[" + WEATHER_TOOL + "]"));

            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = json(r.body());
            JsonNode choice = body.get("choices").get(0);
            JsonNode message = choice.get("message");
            assertThat(message.get("content").isNull()).isTrue();
            assertThat(message.get("refusal").isNull()).isTrue();
            assertThat(message.get("annotations")).isEmpty();
            JsonNode call = message.get("tool_calls").get(0);
            assertThat(call.get("id").asText()).matches("call_[0-9a-f]{24}");
            assertThat(call.get("type").asText()).isEqualTo("function");
            assertThat(call.get("function").get("name").asText()).isEqualTo("get_weather");
            assertThat(call.get("function").get("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
            assertThat(choice.get("finish_reason").asText()).isEqualTo("tool_calls");
            assertThat(choice.get("logprobs").isNull()).isTrue();
            assertThat(body.get("system_fingerprint").asText()).isEqualTo("fp_mock");
            assertThat(body.get("service_tier").asText()).isEqualTo("default");
            assertThat(body.get("usage").get("prompt_tokens_details").get("cached_tokens").asInt()).isZero();
            assertThat(body.get("usage").get("completion_tokens_details").get("reasoning_tokens").asInt()).isZero();
            assertThat(body.get("usage").get("completion_tokens_details").has("rejected_prediction_tokens")).isTrue();
            assertThat(server.lastAsk().toolNames()).containsExactly("get_weather");
        }

        @Test
        void aStreamedToolCallOpensWithItsIdAndNameAndSendsTheArgumentsInFragments() {
            String args = "{\"city\":\"Paris\",\"unit\":\"c\"}";
            server.respond(a -> MockReply.call("get_weather", args));
            HttpResponse<String> r = chat(ask(",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"tools\":["
                    + WEATHER_TOOL + "]"));

            List<String> events = data(r.body());
            assertThat(events.getLast()).isEqualTo("[DONE]");
            List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(MockWireFeaturesTest::json).toList();
            assertThat(chunks).allSatisfy(c -> assertThat(c.get("system_fingerprint").asText()).isEqualTo("fp_mock"));
            JsonNode role = chunks.getFirst().get("choices").get(0).get("delta");
            assertThat(role.get("role").asText()).isEqualTo("assistant");
            JsonNode open = chunks.get(1).get("choices").get(0).get("delta").get("tool_calls").get(0);
            assertThat(open.get("index").asInt()).isZero();
            assertThat(open.get("id").asText()).matches("call_[0-9a-f]{24}");
            assertThat(open.get("type").asText()).isEqualTo("function");
            assertThat(open.get("function").get("name").asText()).isEqualTo("get_weather");
            assertThat(open.get("function").get("arguments").asText()).isEmpty();
            StringBuilder joined = new StringBuilder();
            int fragments = 0;
            for (JsonNode c : chunks.subList(2, chunks.size())) {
                JsonNode calls = c.path("choices").path(0).path("delta").path("tool_calls");
                if (calls.isArray()) {
                    assertThat(calls.get(0).has("id")).isFalse();
                    joined.append(calls.get(0).get("function").get("arguments").asText());
                    fragments++;
                }
            }
            assertThat(fragments).isBetween(2, 3);
            assertThat(joined.toString()).isEqualTo(args);
            JsonNode finish = chunks.get(chunks.size() - 2).get("choices").get(0);
            assertThat(finish.get("finish_reason").asText()).isEqualTo("tool_calls");
            assertThat(chunks.getLast().get("choices")).isEmpty();
            assertThat(chunks.getLast().get("usage").get("completion_tokens").asInt()).isPositive();
        }

        @Test
        void aForcedToolIsCalledWithArgumentsItsSchemaRequires() {
            HttpResponse<String> r = chat(ask(",\"tools\":[" + WEATHER_TOOL + "],\"tool_choice\":\"required\""));

            JsonNode call = json(r.body()).get("choices").get(0).get("message").get("tool_calls").get(0).get("function");
            assertThat(call.get("name").asText()).isEqualTo("get_weather");
            assertThat(json(call.get("arguments").asText()).toString())
                    .isEqualTo("{\"city\":\"x\",\"unit\":\"c\",\"days\":1,\"where\":{\"lat\":1.5,\"exact\":true},\"tags\":[]}");
            assertThat(server.lastAsk().forcedTool()).isEqualTo("*");
        }

        @Test
        void legacyFunctionsAreAnsweredWithAFunctionCall() {
            HttpResponse<String> r = chat(ask(",\"functions\":[{\"name\":\"lookup\",\"parameters\":{\"type\":\"object\","
                    + "\"properties\":{\"q\":{\"type\":\"string\"}},\"required\":[\"q\"]}}],\"function_call\":{\"name\":\"lookup\"}"));

            JsonNode choice = json(r.body()).get("choices").get(0);
            assertThat(choice.get("message").has("tool_calls")).isFalse();
            assertThat(choice.get("message").get("function_call").get("name").asText()).isEqualTo("lookup");
            assertThat(choice.get("message").get("function_call").get("arguments").asText()).isEqualTo("{\"q\":\"x\"}");
            assertThat(choice.get("finish_reason").asText()).isEqualTo("function_call");

            HttpResponse<String> streamed = chat(ask(",\"stream\":true,\"functions\":[{\"name\":\"lookup\"}],"
                    + "\"function_call\":{\"name\":\"lookup\"}"));
            StringBuilder args = new StringBuilder();
            for (String e : data(streamed.body())) {
                JsonNode fc = e.equals("[DONE]") ? null : json(e).path("choices").path(0).path("delta").get("function_call");
                if (fc != null) {
                    args.append(fc.get("arguments").asText());
                }
            }
            assertThat(args.toString()).isEqualTo("{}");
        }

        @Test
        void aRefusalHasNoContent() {
            server.respond(a -> MockReply.refusal("I can't help with that."));
            JsonNode message = json(chat(ask("")).body()).get("choices").get(0).get("message");

            assertThat(message.get("content").isNull()).isTrue();
            assertThat(message.get("refusal").asText()).isEqualTo("I can't help with that.");
        }

        @Test
        void nChoicesAreAnsweredAndStreamedInterleaved() {
            JsonNode body = json(chat(ask(",\"n\":2")).body());
            assertThat(body.get("choices")).hasSize(2);
            assertThat(body.get("choices").get(1).get("index").asInt()).isEqualTo(1);
            assertThat(body.get("choices").get(1).get("message").get("content").asText()).isEqualTo("echo: weather in Paris?");

            List<String> events = data(chat(ask(",\"n\":2,\"stream\":true")).body());
            StringBuilder[] texts = {new StringBuilder(), new StringBuilder()};
            List<Integer> order = new ArrayList<>();
            int finished = 0;
            for (String e : events.subList(0, events.size() - 1)) {
                JsonNode choice = json(e).get("choices").get(0);
                int i = choice.get("index").asInt();
                order.add(i);
                texts[i].append(choice.get("delta").path("content").asText(""));
                finished += choice.get("finish_reason").isNull() ? 0 : 1;
            }
            assertThat(texts[0].toString()).isEqualTo("echo: weather in Paris?");
            assertThat(texts[1].toString()).isEqualTo("echo: weather in Paris?");
            assertThat(order.subList(0, 4)).containsExactly(0, 1, 0, 1);
            assertThat(finished).isEqualTo(2);
        }

        @Test
        void logprobsCarryBytesAndTopAlternatives() {
            server.respond(a -> MockReply.text("héllo world"));
            JsonNode lp = json(chat(ask(",\"logprobs\":true,\"top_logprobs\":2")).body()).get("choices").get(0).get("logprobs");

            assertThat(lp.get("refusal").isNull()).isTrue();
            assertThat(lp.get("content")).hasSize(2);
            JsonNode first = lp.get("content").get(0);
            assertThat(first.get("token").asText()).isEqualTo("héllo");
            assertThat(first.get("logprob").asDouble()).isNegative();
            assertThat(first.get("bytes").toString()).isEqualTo("[104,195,169,108,108,111]");
            assertThat(first.get("top_logprobs")).hasSize(2);
            assertThat(first.get("top_logprobs").get(0).get("token").asText()).isEqualTo("héllo");
            assertThat(first.get("top_logprobs").get(1).has("bytes")).isTrue();

            List<String> events = data(chat(ask(",\"stream\":true,\"logprobs\":true")).body());
            List<JsonNode> content = events.subList(0, events.size() - 1).stream().map(MockWireFeaturesTest::json)
                    .map(c -> c.get("choices").get(0)).filter(c -> c.get("delta").has("content")
                            && !c.get("delta").get("content").asText().isEmpty()).toList();
            assertThat(content).hasSize(2).allSatisfy(c -> assertThat(c.get("logprobs").get("content")).hasSize(1));
        }

        @Test
        void structuredOutputIsASampleOfTheSchema() {
            JsonNode schema = json(WEATHER_TOOL).get("function").get("parameters");
            String text = json(chat(ask(",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"w\","
                    + "\"strict\":true,\"schema\":" + schema + "}}")).body()).get("choices").get(0).get("message").get("content").asText();
            assertThat(json(text).get("where").get("exact").asBoolean()).isTrue();
            assertThat(server.lastAsk().jsonSchema()).isEqualTo(schema);

            String object = json(chat(ask(",\"response_format\":{\"type\":\"json_object\"}")).body())
                    .get("choices").get(0).get("message").get("content").asText();
            assertThat(object).isEqualTo("{}");
        }

        @Test
        void theAskHoldsToolResultsImagesAndTheLastUserText() {
            AtomicReference<MockAsk> seen = new AtomicReference<>();
            server.respond(a -> {
                seen.set(a);
                return MockReply.text("sunny, " + a.toolResults().get("call_1"));
            });
            HttpResponse<String> r = chat("""
                    {"model":"gpt-4o","n":1,"tools":[%s],"messages":[
                      {"role":"user","content":[{"type":"text","text":"look"},
                        {"type":"image_url","image_url":{"url":"data:image/png;base64,aGVsbG8="}},{"type":"text","text":"here"}]},
                      {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                        "function":{"name":"get_weather","arguments":"{}"}}]},
                      {"role":"tool","tool_call_id":"call_1","content":"21C"}]}""".formatted(WEATHER_TOOL));

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r.body()).get("choices").get(0).get("message").get("content").asText()).isEqualTo("sunny, 21C");
            assertThat(seen.get().lastUserText()).isEqualTo("look\nhere");
            assertThat(seen.get().images()).isEqualTo(1);
            assertThat(seen.get().toolResults()).containsExactly(Map.entry("call_1", "21C"));
            assertThat(seen.get().choices()).isEqualTo(1);
        }

        @Test
        void aTruncatedToolCallStreamEndsWithoutDone() {
            server.respond(a -> MockReply.call("get_weather", "{\"city\":\"Paris\"}"));
            server.enqueue(Fault.truncated(2));
            List<String> events = data(chat(ask(",\"stream\":true,\"tools\":[" + WEATHER_TOOL + "]")).body());

            assertThat(events).hasSize(3).doesNotContain("[DONE]");
        }

        static Stream<Arguments> invalidChats() {
            String call = "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                    + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}}]}";
            String user = "{\"role\":\"user\",\"content\":\"hi\"}";
            return Stream.of(
                    Arguments.of("[" + user + ",{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"x\"}]", "",
                            "messages.[1].role", "messages with role 'tool' must be a response to a preceeding message with 'tool_calls'"),
                    Arguments.of("[" + user + "," + call + ",{\"role\":\"tool\",\"tool_call_id\":\"call_2\",\"content\":\"x\"}]", "",
                            "messages.[2].tool_call_id", "'tool_call_id' of 'call_2' not found"),
                    Arguments.of("[" + user + "," + call + "," + user + "]", "",
                            "messages.[2].role", "The following tool_call_ids did not have response messages: call_1"),
                    Arguments.of("[" + user + "]", ",\"tools\":[" + WEATHER_TOOL + "],\"tool_choice\":{\"type\":\"function\","
                            + "\"function\":{\"name\":\"nope\"}}", "tool_choice", "'nope'"),
                    Arguments.of("[" + user + "]", ",\"tool_choice\":\"auto\"", "tool_choice",
                            "'tool_choice' is only allowed when 'tools' are specified"),
                    Arguments.of("[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"ftp://x/y.png\"}}]}]",
                            "", "messages[0].content[0].image_url.url", "without the 'data:' prefix"),
                    Arguments.of("[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,%%%\"}}]}]",
                            "", "messages[0].content[0].image_url.url", "an invalid base64-encoded value"),
                    Arguments.of("[" + user + "]", ",\"n\":0", "n", "Expected a value >= 1, but got 0 instead."),
                    Arguments.of("[" + user + "]", ",\"n\":129", "n", "Expected a value <= 128, but got 129 instead."),
                    Arguments.of("[" + user + "]", ",\"top_logprobs\":3", "top_logprobs",
                            "The 'top_logprobs' parameter is only allowed when 'logprobs' is enabled."),
                    Arguments.of("[" + user + "]", ",\"max_tokens\":5,\"max_completion_tokens\":5", "max_tokens",
                            "Setting 'max_tokens' and 'max_completion_tokens' at the same time is not supported."));
        }

        @ParameterizedTest
        @MethodSource("invalidChats")
        void invalidRequestsAre400sInOpenAisShape(String messages, String extra, String param, String message) {
            server.enqueue(Fault.status(500, "{}", Map.of())); // a refused request does not use up a fault
            HttpResponse<String> r = chat("{\"model\":\"gpt-4o\",\"messages\":" + messages + extra + "}");

            assertThat(r.statusCode()).isEqualTo(400);
            JsonNode error = json(r.body()).get("error");
            assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
            assertThat(error.get("param").asText()).isEqualTo(param);
            assertThat(error.get("message").asText()).contains(message);
            assertThat(chat(ask("")).statusCode()).isEqualTo(500);
        }

        @Test
        void embeddingsAreDeterministicFloatsOrTheirLittleEndianBase64() {
            HttpResponse<String> r = embed("{\"model\":\"text-embedding-3-small\",\"input\":[\"alpha\",\"beta gamma\"]}");
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = json(r.body());
            assertThat(body.get("object").asText()).isEqualTo("list");
            assertThat(body.get("model").asText()).isEqualTo("text-embedding-3-small");
            assertThat(body.get("data")).hasSize(2);
            JsonNode second = body.get("data").get(1);
            assertThat(second.get("object").asText()).isEqualTo("embedding");
            assertThat(second.get("index").asInt()).isEqualTo(1);
            assertThat(second.get("embedding")).hasSize(8);
            assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(3);
            assertThat(body.get("usage").get("total_tokens").asInt()).isEqualTo(3);

            JsonNode again = json(embed("{\"model\":\"text-embedding-3-small\",\"input\":\"beta gamma\",\"encoding_format\":\"base64\"}")
                    .body()).get("data").get(0).get("embedding");
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(again.asText())).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(bytes.remaining()).isEqualTo(32);
            for (int i = 0; i < 8; i++) {
                assertThat(bytes.getFloat()).isEqualTo(second.get("embedding").get(i).floatValue());
            }

            JsonNode sized = json(embed("{\"model\":\"text-embedding-3-small\",\"input\":\"x\",\"dimensions\":3}").body());
            assertThat(sized.get("data").get(0).get("embedding")).hasSize(3);
            assertThat(server.embeddingRequests()).hasSize(3);
        }

        @Test
        void embeddingsRefuseWhatOpenAiRefusesAndTakeFaults() {
            HttpResponse<String> unknown = embed("{\"model\":\"nope\",\"input\":\"x\"}");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(json(unknown.body()).get("error").get("code").asText()).isEqualTo("model_not_found");
            assertThat(embed("{\"model\":\"text-embedding-3-small\",\"input\":{\"a\":1}}").statusCode()).isEqualTo(400);
            assertThat(embed("{\"model\":\"text-embedding-3-small\"}").statusCode()).isEqualTo(400);
            HttpResponse<String> format = embed("{\"model\":\"text-embedding-3-small\",\"input\":\"x\",\"encoding_format\":\"int8\"}");
            assertThat(json(format.body()).get("error").get("param").asText()).isEqualTo("encoding_format");

            server.enqueue(Fault.openAiError(429, "slow down", "requests", "rate_limit_exceeded", Map.of("Retry-After", "1")));
            HttpResponse<String> limited = embed("{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}");
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("retry-after")).contains("1");
        }
    }

    // --- Anthropic -----------------------------------------------------------------------------------------------

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Anthropic {
        static final String TOOL = "{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\",\"properties\":"
                + "{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}";
        MockAnthropicServer server;

        @BeforeAll
        void start() {
            server = MockAnthropicServer.start("ak", "claude-sonnet-4-5");
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @BeforeEach
        void fresh() {
            server.reset();
            server.replyWith(p -> "echo: " + p).withThinking(null);
        }

        HttpResponse<String> messages(String body) {
            return post(server.baseUrl() + "/v1/messages", body, Map.of("x-api-key", "ak", "anthropic-version", "2023-06-01"));
        }

        String ask(String extra) {
            return "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"}]"
                    + extra + "}";
        }

        @Test
        void aScriptedToolCallIsAToolUseBlockAfterTheText() {
            server.respond(a -> new MockReply("Let me look.", List.of(new MockReply.Call(null, "get_weather",
                    "{\"city\":\"Paris\"}")), null));
            JsonNode body = json(messages(ask(",\"tools\":[" + TOOL + "]")).body());

            assertThat(body.get("stop_reason").asText()).isEqualTo("tool_use");
            assertThat(body.get("content")).hasSize(2);
            assertThat(body.get("content").get(0).get("text").asText()).isEqualTo("Let me look.");
            JsonNode use = body.get("content").get(1);
            assertThat(use.get("type").asText()).isEqualTo("tool_use");
            assertThat(use.get("id").asText()).matches("toolu_[A-Za-z0-9]{24}");
            assertThat(use.get("name").asText()).isEqualTo("get_weather");
            assertThat(use.get("input").toString()).isEqualTo("{\"city\":\"Paris\"}");
        }

        @Test
        void aStreamedToolUseSendsItsInputAsJsonDeltas() {
            server.respond(a -> MockReply.call("get_weather", "{\"city\":\"Paris\",\"days\":3}"));
            HttpResponse<String> r = messages(ask(",\"stream\":true,\"tools\":[" + TOOL + "]"));

            List<JsonNode> events = data(r.body()).stream().map(MockWireFeaturesTest::json).toList();
            JsonNode start = events.stream().filter(e -> e.get("type").asText().equals("content_block_start")).findFirst().orElseThrow();
            assertThat(start.get("content_block").get("type").asText()).isEqualTo("tool_use");
            assertThat(start.get("content_block").get("input").toString()).isEqualTo("{}");
            List<String> partial = events.stream().filter(e -> e.get("type").asText().equals("content_block_delta"))
                    .map(e -> e.get("delta")).peek(d -> assertThat(d.get("type").asText()).isEqualTo("input_json_delta"))
                    .map(d -> d.get("partial_json").asText()).toList();
            assertThat(partial).hasSizeBetween(2, 3);
            assertThat(json(String.join("", partial))).isEqualTo(json("{\"city\":\"Paris\",\"days\":3}"));
            JsonNode delta = events.stream().filter(e -> e.get("type").asText().equals("message_delta")).findFirst().orElseThrow();
            assertThat(delta.get("delta").get("stop_reason").asText()).isEqualTo("tool_use");
            assertThat(events.getLast().get("type").asText()).isEqualTo("message_stop");
        }

        @Test
        void aForcedToolIsCalledWithInputItsSchemaRequires() {
            JsonNode body = json(messages(ask(",\"tools\":[" + TOOL + "],\"tool_choice\":{\"type\":\"any\"}")).body());

            assertThat(body.get("content").get(0).get("input").toString()).isEqualTo("{\"city\":\"x\"}");
            assertThat(server.lastAsk().forcedTool()).isEqualTo("*");
        }

        @Test
        void aToolResultTurnIsAnswered() {
            server.respond(a -> a.toolResults().isEmpty() ? null : MockReply.text("It is " + a.toolResults().get("toolu_1")));
            HttpResponse<String> r = messages("""
                    {"model":"claude-sonnet-4-5","max_tokens":100,"tools":[%s],"messages":[
                      {"role":"user","content":"weather?"},
                      {"role":"assistant","content":[{"type":"text","text":"Looking."},
                        {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
                      {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[
                        {"type":"text","text":"21C"},
                        {"type":"image","source":{"type":"base64","media_type":"image/png","data":"aGVsbG8="}}]},
                        {"type":"text","text":"and tomorrow?"}]}]}""".formatted(TOOL));

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r.body()).get("content").get(0).get("text").asText()).isEqualTo("It is 21C");
            assertThat(server.lastAsk().lastUserText()).isEqualTo("and tomorrow?");
            assertThat(server.lastAsk().images()).isEqualTo(1);
        }

        @Test
        void aRefusalHasNoContent() {
            server.withThinking("hmm").respond(a -> MockReply.refusal("no"));
            JsonNode body = json(messages(ask("")).body());

            assertThat(body.get("stop_reason").asText()).isEqualTo("refusal");
            assertThat(body.get("content")).isEmpty();
        }

        @Test
        void aBetaFieldIsTakenOnlyWithABetaHeader() {
            String body = ask(",\"context_management\":{\"edits\":[]}");
            assertThat(json(messages(body).body()).get("error").get("message").asText())
                    .isEqualTo("context_management: Extra inputs are not permitted");
            HttpResponse<String> beta = post(server.baseUrl() + "/v1/messages", body, Map.of("x-api-key", "ak",
                    "anthropic-version", "2023-06-01", "anthropic-beta", "context-management-2025-06-27"));
            assertThat(beta.statusCode()).isEqualTo(200);
        }

        static Stream<Arguments> invalidMessages() {
            String user = "{\"role\":\"user\",\"content\":\"hi\"}";
            String use = "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\","
                    + "\"input\":{}}]}";
            String result = "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"21C\"}";
            String image = "{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":%s}]}";
            return Stream.of(
                    Arguments.of("[" + user + "]", ",\"frequency_penalty\":1", "frequency_penalty: Extra inputs are not permitted"),
                    Arguments.of("[" + user + "]", ",\"metadata\":{\"user_id\":\"u\",\"team\":\"t\"}",
                            "metadata.team: Extra inputs are not permitted"),
                    Arguments.of("[" + user + "]", ",\"top_k\":0", "top_k:"),
                    Arguments.of("[" + user + "]", ",\"tools\":[{\"name\":\"get weather\",\"input_schema\":{\"type\":\"object\"}}]",
                            "tools.0.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'"),
                    Arguments.of("[" + user + "]", ",\"tools\":[{\"name\":\"w\",\"input_schema\":{\"properties\":{}}}]",
                            "tools.0.custom.input_schema.type: Field required"),
                    Arguments.of("[" + user + "]", ",\"tools\":[" + TOOL + "],\"tool_choice\":{\"type\":\"tool\",\"name\":\"nope\"}",
                            "tool_choice.tool.name"),
                    Arguments.of("[" + user + "]", ",\"tool_choice\":{\"type\":\"sometimes\"}", "tool_choice: Input tag 'sometimes'"),
                    Arguments.of("[" + user + "]", ",\"tool_choice\":{\"type\":\"auto\",\"disable_parallel_tool_use\":\"yes\"}",
                            "disable_parallel_tool_use: Input should be a valid boolean"),
                    Arguments.of("[" + image.formatted("{\"type\":\"base64\",\"media_type\":\"image/bmp\",\"data\":\"aGk=\"}") + "]", "",
                            "messages.0.content.0.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'"),
                    Arguments.of("[" + image.formatted("{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"\"}") + "]", "",
                            "messages.0.content.0.image.source.base64.data"),
                    Arguments.of("[" + image.formatted("{\"type\":\"url\"}") + "]", "", "messages.0.content.0.image.source.url.url"),
                    Arguments.of("[{\"role\":\"user\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"w\",\"input\":{}}]}]", "",
                            "messages.0.content.0: `tool_use` blocks can only be in `assistant` messages"),
                    Arguments.of("[" + user + ",{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"w\","
                            + "\"input\":\"{}\"}]}]", "", "messages.1.content.0.tool_use.input: Input should be a valid dictionary"),
                    Arguments.of("[" + user + ",{\"role\":\"assistant\",\"content\":[" + result + "]}]", "",
                            "messages.1.content.0: `tool_result` blocks can only be in `user` messages"),
                    Arguments.of("[{\"role\":\"user\",\"content\":[" + result + "]}]", "",
                            "messages.0.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_1. Each `tool_result` "
                                    + "block must have a corresponding `tool_use` block in the previous message."),
                    Arguments.of("[" + user + "," + use + "," + user + "]", "",
                            "messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1. Each "
                                    + "`tool_use` block must have a corresponding `tool_result` block in the next message."),
                    Arguments.of("[" + user + "," + use + ",{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"x\"}," + result + "]}]",
                            "", "messages.2: Did not find 1 `tool_result` block(s) at the beginning of this message."),
                    Arguments.of("[{\"role\":\"user\",\"content\":[{\"type\":\"video\"}]}]", "", "messages.0.content.0: Input tag 'video'"),
                    Arguments.of("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"\"}]}]", "",
                            "messages: text content blocks must be non-empty"));
        }

        @ParameterizedTest
        @MethodSource("invalidMessages")
        void invalidRequestsAre400sInAnthropicsShape(String turns, String extra, String message) {
            HttpResponse<String> r = messages("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"messages\":" + turns + extra + "}");

            assertThat(r.statusCode()).isEqualTo(400);
            JsonNode body = json(r.body());
            assertThat(body.get("type").asText()).isEqualTo("error");
            assertThat(body.get("error").get("type").asText()).isEqualTo("invalid_request_error");
            assertThat(body.get("error").get("message").asText()).contains(message);
        }
    }

    // --- Ollama --------------------------------------------------------------------------------------------------

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Ollama {
        MockOllamaServer server;

        @BeforeAll
        void start() {
            server = MockOllamaServer.start(MockOllamaServer.Model.chat("llama3.2:3b"));
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @BeforeEach
        void fresh() {
            server.reply("Hello from Ollama");
        }

        HttpResponse<String> chat(String extra, String messages) {
            return post(server.baseUrl() + "/api/chat", "{\"model\":\"llama3.2:3b\",\"messages\":" + messages + extra + "}", Map.of());
        }

        @Test
        void toolCallsComeWholeWithoutIds() {
            server.respond(a -> MockReply.call("get_weather", "{\"city\":\"Paris\"}"));
            HttpResponse<String> r = chat(",\"stream\":false,\"tools\":[" + WEATHER_TOOL + "]", "[{\"role\":\"user\",\"content\":\"weather?\"}]");

            JsonNode body = json(r.body());
            assertThat(body.get("message").get("content").asText()).isEmpty();
            JsonNode call = body.get("message").get("tool_calls").get(0);
            assertThat(call.has("id")).isFalse();
            assertThat(call.get("function").get("name").asText()).isEqualTo("get_weather");
            assertThat(call.get("function").get("arguments").toString()).isEqualTo("{\"city\":\"Paris\"}");
            assertThat(body.get("done_reason").asText()).isEqualTo("stop");
            assertThat(server.lastAsk().toolNames()).containsExactly("get_weather");

            List<JsonNode> lines = chat(",\"tools\":[" + WEATHER_TOOL + "]", "[{\"role\":\"user\",\"content\":\"weather?\"}]")
                    .body().lines().map(MockWireFeaturesTest::json).toList();
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0).get("done").asBoolean()).isFalse();
            assertThat(lines.get(0).get("message").get("tool_calls")).hasSize(1);
            assertThat(lines.get(1).get("done").asBoolean()).isTrue();
        }

        @Test
        void toolTurnsAndImagesAreTakenAndRead() {
            AtomicReference<MockAsk> seen = new AtomicReference<>();
            server.respond(a -> {
                seen.set(a);
                return null;
            });
            HttpResponse<String> r = chat(",\"stream\":false", """
                    [{"role":"user","content":"what is this?","images":["aGVsbG8=","d29ybGQ="]},
                     {"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},
                     {"role":"tool","tool_name":"get_weather","content":"21C"},
                     {"role":"tool","content":"no name"}]""");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r.body()).get("message").get("content").asText()).isEqualTo("Hello from Ollama");
            assertThat(seen.get().images()).isEqualTo(2);
            assertThat(seen.get().lastUserText()).isEqualTo("what is this?");
            assertThat(seen.get().toolResults()).containsExactly(Map.entry("get_weather", "21C"), Map.entry("tool#3", "no name"));
        }

        @Test
        void whatOllamaCannotDecodeIsRefusedInItsShape() {
            HttpResponse<String> image = chat("", "[{\"role\":\"user\",\"content\":\"x\",\"images\":[\"data:image/png;base64,aGk=\"]}]");
            assertThat(image.statusCode()).isEqualTo(400);
            assertThat(json(image.body()).get("error").asText()).isEqualTo("illegal base64 data at input byte 4");

            HttpResponse<String> args = chat("", "[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"\","
                    + "\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}]");
            assertThat(args.statusCode()).isEqualTo(400);
            assertThat(json(args.body()).get("error").asText()).isEqualTo("json: cannot unmarshal string into Go struct field "
                    + "ChatRequest.messages.tool_calls.function.arguments of type api.ToolCallFunctionArguments");

            HttpResponse<String> format = chat(",\"format\":\"yaml\"", "[{\"role\":\"user\",\"content\":\"x\"}]");
            assertThat(json(format.body()).get("error").asText()).startsWith("invalid format: ");
        }

        @Test
        void aSchemaFormatIsAnsweredWithASample() {
            JsonNode schema = json(WEATHER_TOOL).get("function").get("parameters");
            HttpResponse<String> r = chat(",\"stream\":false,\"format\":" + schema, "[{\"role\":\"user\",\"content\":\"x\"}]");
            JsonNode sample = json(json(r.body()).get("message").get("content").asText());
            assertThat(sample.get("unit").asText()).isEqualTo("c");
            assertThat(server.lastAsk().jsonSchema()).isEqualTo(schema);

            HttpResponse<String> plain = chat(",\"stream\":false,\"format\":\"json\"", "[{\"role\":\"user\",\"content\":\"x\"}]");
            assertThat(json(plain.body()).get("message").get("content").asText()).isEqualTo("{}");
        }
    }
}
