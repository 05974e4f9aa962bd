package dev.switchboard.provider.anthropic;

import static dev.switchboard.provider.anthropic.Claude.KEY;
import static dev.switchboard.provider.anthropic.Claude.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.FinishReason;
import dev.switchboard.model.Message;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.model.Sampling;
import dev.switchboard.model.StreamSink;
import dev.switchboard.provider.ModelFilter;
import dev.switchboard.provider.ModelInstance;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.MockAnthropicServer;
import dev.switchboard.testkit.MockOpenAiServer.Recorded;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code custom_api} Anthropic provider against a real HTTP upstream: catalog, request shape, answers, streaming. */
class AnthropicProviderTest {
    private static MockAnthropicServer upstream;
    private AnthropicProvider provider;

    @BeforeAll
    static void startUpstream() {
        upstream = MockAnthropicServer.start(KEY, MODEL, "claude-haiku-4-5", "claude-opus-4-1");
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @BeforeEach
    void fresh() {
        upstream.reset();
        upstream.replyWith(prompt -> "echo: " + prompt).withThinking(null);
    }

    @AfterEach
    void close() {
        if (provider != null) {
            provider.close();
        }
    }

    private ModelInstance model() {
        return model(Claude.at(upstream.baseUrl()));
    }

    private ModelInstance model(Claude.Endpoint ep) {
        provider = ep.connect();
        return provider.load(MODEL, Map.of());
    }

    private static ChatRequest ask(String prompt) {
        return ChatRequest.builder().prompt(prompt).build();
    }

    private static ChatResponse run(ModelInstance m, ChatRequest r, boolean stream) {
        return stream ? m.stream(r, t -> { }) : m.generate(r);
    }

    private static JsonNode sent() {
        return upstream.messageRequests().getLast().json();
    }

    // --- catalog -------------------------------------------------------------------------------------

    @Test
    void catalogComesFromV1ModelsWithDisplayNames() {
        provider = Claude.at(upstream.baseUrl()).connect();

        List<ModelInfo> models = provider.availableModels(ModelFilter.NONE);

        assertThat(models).extracting(ModelInfo::modelId).containsExactly(MODEL, "claude-haiku-4-5", "claude-opus-4-1");
        assertThat(models.getFirst().name()).isEqualTo("Mock " + MODEL);
        assertThat(models.getFirst().details()).containsKey("created_at");
        assertThat(models).allSatisfy(m -> {
            assertThat(m.provider()).isEqualTo("claude");
            assertThat(m.providerType()).isEqualTo(ProviderType.CUSTOM_API);
        });
        Recorded list = upstream.requests().getFirst();
        assertThat(list.method()).isEqualTo("GET");
        assertThat(list.path()).isEqualTo("/v1/models");
        assertThat(list.headers()).containsEntry("x-api-key", KEY).containsEntry("anthropic-version", "2023-06-01")
                .doesNotContainKey("authorization");
    }

    @Test
    void aCatalogLongerThanOnePageIsFollowedToTheEnd() {
        try (MockAnthropicServer paged = MockAnthropicServer.start(KEY, "m1", "m2", "m3", "m4", "m5").pageSize(2)) {
            provider = Claude.at(paged.baseUrl()).connect();

            assertThat(provider.availableModels(ModelFilter.NONE)).extracting(ModelInfo::modelId)
                    .containsExactly("m1", "m2", "m3", "m4", "m5");
            assertThat(paged.requests()).hasSize(3);
        }
    }

    @Test
    void aConfiguredModelListIsTheCatalogAndAMissingModelsEndpointIsStillHealthy() {
        try (MockAnthropicServer bare = MockAnthropicServer.start(KEY, "claude-a", "claude-b").withoutModelsEndpoint()) {
            provider = Claude.at(bare.baseUrl()).withModels("claude-b", "claude-a").connect();

            assertThat(provider.availableModels(ModelFilter.NONE)).extracting(ModelInfo::modelId)
                    .containsExactly("claude-b", "claude-a");
            assertThat(bare.requests()).isEmpty();
            assertThat(provider.load("claude-a", Map.of()).generate(ask("hi")).text()).isEqualTo("echo: hi");
            assertThat(provider.healthCheck().healthy()).isTrue();
            assertThat(provider.healthCheck().detail()).contains("configured model list");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "/v1", "/v1/"})
    void theBaseUrlWorksWithOrWithoutV1(String suffix) {
        provider = Claude.at(upstream.baseUrl() + suffix).connect();

        assertThat(provider.availableModels(ModelFilter.NONE)).hasSize(3);
        assertThat(provider.load(MODEL, Map.of()).generate(ask("ping")).text()).isEqualTo("echo: ping");
        assertThat(upstream.requests()).extracting(Recorded::path).containsExactly("/v1/models", "/v1/messages");
        assertThat(provider.status().endpoint()).isEqualTo(upstream.baseUrl());
    }

    @Test
    void theHealthProbeListsModelsWithTheKey() {
        provider = Claude.at(upstream.baseUrl()).connect();
        upstream.reset();

        assertThat(provider.healthCheck().healthy()).isTrue();
        assertThat(upstream.requests()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/v1/models");
            assertThat(r.headers()).containsEntry("x-api-key", KEY);
        });
        assertThat(upstream.messageRequests()).as("no billable call").isEmpty();
    }

    // --- the request ---------------------------------------------------------------------------------

    @Test
    void generateSendsAMessagesApiRequest() {
        ChatRequest request = ChatRequest.builder()
                .message(Message.system("You are a guide."))
                .message(Message.user("Where am I?"))
                .message(Message.assistant("In a forest."))
                .message(Message.system("Answer in one sentence."))
                .message(Message.user("What now?"))
                .maxTokens(64).temperature(0.3).topP(0.9).stop(List.of("END", "\n\n"))
                .sampling(new Sampling(0.3, 0.9, 40, null, null, null))
                .build();

        model().generate(request);

        Recorded r = upstream.messageRequests().getFirst();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.headers()).containsEntry("x-api-key", KEY).containsEntry("anthropic-version", "2023-06-01");
        assertThat(r.headers().get("content-type")).isEqualTo("application/json");
        JsonNode json = r.json();
        assertThat(json.path("model").asText()).isEqualTo(MODEL);
        assertThat(json.path("system").asText()).isEqualTo("You are a guide.\n\nAnswer in one sentence.");
        assertThat(json.path("messages").toString()).isEqualTo("[{\"role\":\"user\",\"content\":\"Where am I?\"},"
                + "{\"role\":\"assistant\",\"content\":\"In a forest.\"},{\"role\":\"user\",\"content\":\"What now?\"}]");
        assertThat(json.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(json.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(json.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(json.path("top_k").asInt()).isEqualTo(40);
        assertThat(json.path("stop_sequences").toString()).isEqualTo("[\"END\",\"\\n\\n\"]");
        assertThat(json.has("stream")).isFalse();
        assertThat(json.has("stop")).isFalse();
    }

    @Test
    void consecutiveTurnsOfOneRoleAreMergedSoTheApiAcceptsThem() {
        ChatRequest request = ChatRequest.builder()
                .message(Message.user("Hello."))
                .message(Message.user("Are you there?"))
                .message(Message.assistant("Yes."))
                .message(Message.assistant("I am."))
                .message(Message.user("Good."))
                .build();

        ChatResponse r = model().generate(request);

        assertThat(r.text()).isEqualTo("echo: Good.");
        JsonNode messages = sent().path("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(0).path("content").toString())
                .isEqualTo("[{\"type\":\"text\",\"text\":\"Hello.\"},{\"type\":\"text\",\"text\":\"Are you there?\"}]");
        assertThat(messages.get(1).path("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(1).path("content")).hasSize(2);
        assertThat(sent().has("system")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(value = {"null, 1024", "77, 77"}, nullValues = "null")
    void maxTokensIsAlwaysSentFromTheRequestOrTheConfiguredDefault(Integer configured, int expected) {
        ModelInstance m = model(Claude.at(upstream.baseUrl()).withMaxTokens(configured));

        m.generate(ask("no limit given"));
        assertThat(sent().path("max_tokens").asInt()).isEqualTo(expected);

        m.stream(ChatRequest.builder().prompt("a limit").maxTokens(12).build(), t -> { });
        assertThat(sent().path("max_tokens").asInt()).isEqualTo(12);
    }

    @Test
    void aConfiguredApiVersionAndExtraHeadersAreSent() {
        model(Claude.at(upstream.baseUrl()).withVersion("2023-01-01").withHeaders(Map.of("anthropic-beta", "some-beta")))
                .generate(ask("hi"));

        assertThat(upstream.messageRequests().getFirst().headers())
                .containsEntry("anthropic-version", "2023-01-01").containsEntry("anthropic-beta", "some-beta");
    }

    // --- the answer ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theAnswerCarriesTextIdUsageAndFinishReason(boolean stream) {
        upstream.replyWith(p -> "one two three four five six seven eight nine ten eleven twelve");

        ChatResponse r = run(model(), ask("count to twelve"), stream);

        assertThat(r.text()).isEqualTo("one two three four five six seven eight nine ten eleven twelve");
        assertThat(r.id()).startsWith("msg_");
        assertThat(r.modelId()).isEqualTo(MODEL);
        assertThat(r.provider()).isEqualTo("claude");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        // The stream reports output_tokens 1 at message_start and 12 (cumulative) at message_delta: 12, not 13.
        assertThat(r.usage().completionTokens()).isEqualTo(12);
        assertThat(r.usage().promptTokens()).isPositive();
        assertThat(r.usage().totalTokens()).isEqualTo(r.usage().promptTokens() + 12);
    }

    @Test
    void streamedAndWholeAnswersReportTheSameUsage() {
        upstream.replyWith(p -> "same answer either way");
        ModelInstance m = model();

        assertThat(m.stream(ask("q"), t -> { }).usage()).isEqualTo(m.generate(ask("q")).usage());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void textBlocksAreJoinedAndThinkingIsNotPartOfTheAnswer(boolean stream) {
        upstream.replyWithBlocks(p -> List.of("First part.", " Second part.")).withThinking("secret reasoning");
        List<String> tokens = new ArrayList<>();
        ModelInstance m = model();

        ChatResponse r = stream ? m.stream(ask("think"), StreamSink.text(tokens::add)) : m.generate(ask("think"));

        assertThat(r.text()).isEqualTo("First part. Second part.").doesNotContain("secret");
        assertThat(String.join("", tokens)).isEqualTo(stream ? r.text() : "");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void runningIntoMaxTokensIsALengthCutOff(boolean stream) {
        upstream.replyWith(p -> "a b c d e f");

        ChatResponse r = run(model(), ChatRequest.builder().prompt("long").maxTokens(3).build(), stream);

        assertThat(r.text()).isEqualTo("a b c");
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.usage().completionTokens()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aStopSequenceEndsTheAnswerNormally(boolean stream) {
        upstream.replyWith(p -> "one two END three");

        ChatResponse r = run(model(), ChatRequest.builder().prompt("go").stop(List.of("END")).build(), stream);

        assertThat(r.text()).isEqualTo("one two ");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @ParameterizedTest
    @CsvSource({"end_turn, STOP", "stop_sequence, STOP", "pause_turn, STOP", "max_tokens, LENGTH",
            "tool_use, TOOL_CALLS", "model_context_window_exceeded, LENGTH", "some_future_reason, STOP"})
    void everyStopReasonMapsToAFinishReason(String stopReason, FinishReason expected) {
        ModelInstance m = model();
        for (boolean stream : new boolean[] {false, true}) {
            upstream.enqueue(Fault.finishWith(stopReason));
            assertThat(run(m, ask("x"), stream).finishReason()).as(stream ? "streamed" : "whole").isEqualTo(expected);
        }
    }

    // --- streaming -----------------------------------------------------------------------------------

    @Test
    void streamDeliversTokensInOrderAsTheyArrive() {
        upstream.replyWith(p -> "The quick brown fox jumps");
        List<String> tokens = new ArrayList<>();

        ChatResponse r = model().stream(ask("go"), StreamSink.text(tokens::add));

        assertThat(tokens).containsExactly("The", " quick", " brown", " fox", " jumps");
        assertThat(r.text()).isEqualTo("The quick brown fox jumps");
        assertThat(sent().path("stream").asBoolean()).isTrue();
        assertThat(upstream.messageRequests().getFirst().headers().get("accept")).contains("text/event-stream");
    }

    @Test
    void pingsBetweenDeltasAreNotText() {
        upstream.replyWith(p -> "still here");
        upstream.enqueue(Fault.keepAliveComments());
        List<String> tokens = new ArrayList<>();

        assertThat(model().stream(ask("wait"), StreamSink.text(tokens::add)).text()).isEqualTo("still here");
        assertThat(tokens).containsExactly("still", " here");
    }

    @Test
    void multiByteTextSurvivesStreaming() {
        String answer = "héllo wörld — 你好 🎉 ok";
        upstream.replyWith(p -> answer);
        StringBuilder seen = new StringBuilder();

        assertThat(model().stream(ask("unicode"), StreamSink.text(seen::append)).text()).isEqualTo(answer);
        assertThat(seen.toString()).isEqualTo(answer);
    }

    @Test
    void aStreamAnsweredWithOneJsonMessageIsDeliveredAsOneChunk() {
        upstream.enqueue(Fault.ignoreStream());
        List<String> tokens = new ArrayList<>();

        ChatResponse r = model().stream(ask("whole"), StreamSink.text(tokens::add));

        assertThat(tokens).containsExactly("echo: whole");
        assertThat(r.usage().completionTokens()).isEqualTo(2);
    }

    @Test
    void finishedStreamsLeaveTheirConnectionsPooled() throws Exception {
        upstream.replyWith(p -> "short answer " + p);
        ModelInstance m = model();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        int callers = 4;
        int each = 25;
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < callers; c++) {
                int caller = c;
                pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        try {
                            String prompt = caller + "-" + i;
                            String text = m.stream(ask(prompt), t -> { }).text();
                            if (!text.equals("short answer " + prompt)) {
                                failures.add("wrong text: " + text);
                            }
                        } catch (RuntimeException e) {
                            failures.add(e.getMessage());
                        }
                    }
                });
            }
        }
        assertThat(failures).isEmpty();
        long connections = upstream.messageRequests().stream().map(Recorded::remotePort).distinct().count();
        assertThat(connections).as("connections for %d streams", callers * each).isLessThan(callers * each / 4);
        assertThat(m.metrics()).containsEntry("requests", (long) callers * each).containsEntry("failures", 0L);
    }
}
