package dev.switchboard.provider.anthropic;

import static dev.switchboard.provider.anthropic.Claude.KEY;
import static dev.switchboard.provider.anthropic.Claude.MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.Message;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.Role;
import dev.switchboard.model.StreamSink;
import dev.switchboard.provider.ModelFilter;
import dev.switchboard.provider.ModelInstance;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.MockAnthropicServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the Anthropic provider fails: every error the Messages API can answer, before or during a stream, becomes
 * the {@link ModelFailure} class the router acts on; never a silently short answer, never with the key in it.
 */
class AnthropicProviderFailureTest {
    private static MockAnthropicServer upstream;
    private final List<AnthropicProvider> providers = new ArrayList<>();

    @BeforeAll
    static void startUpstream() {
        upstream = MockAnthropicServer.start(KEY, MODEL);
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @BeforeEach
    void fresh() {
        upstream.reset();
        upstream.replyWith(prompt -> "echo: " + prompt);
    }

    @AfterEach
    void closeAll() {
        providers.forEach(AnthropicProvider::close);
    }

    private AnthropicProvider connect(Claude.Endpoint ep) {
        AnthropicProvider p = ep.connect();
        providers.add(p);
        return p;
    }

    private ModelInstance model(Claude.Endpoint ep) {
        return connect(ep).load(MODEL, Map.of());
    }

    private ModelInstance model() {
        return model(Claude.at(upstream.baseUrl()));
    }

    private static ChatRequest hello() {
        return ChatRequest.builder().prompt("hello there").build();
    }

    private static Throwable failureOf(ModelInstance m, ChatRequest r, boolean stream) {
        return catchThrowable(() -> {
            if (stream) {
                m.stream(r, t -> { });
            } else {
                m.generate(r);
            }
        });
    }

    // --- HTTP error answers --------------------------------------------------------------------------

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of(400, "invalid_request_error", "messages: text content blocks must be non-empty", ModelFailure.BadRequest.class),
                Arguments.of(400, "invalid_request_error", "prompt is too long: 214023 tokens > 200000 maximum", ModelFailure.ContextTooLong.class),
                Arguments.of(401, "authentication_error", "invalid x-api-key", ModelFailure.AuthFailed.class),
                Arguments.of(403, "permission_error", "Your API key does not have permission to use the specified resource.", ModelFailure.AuthFailed.class),
                Arguments.of(404, "not_found_error", "model: " + MODEL, ModelFailure.Unavailable.class),
                Arguments.of(413, "request_too_large", "Request exceeds the maximum allowed number of bytes.", ModelFailure.BadRequest.class),
                Arguments.of(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", ModelFailure.RateLimited.class),
                Arguments.of(500, "api_error", "Internal server error", ModelFailure.Unavailable.class),
                Arguments.of(529, "overloaded_error", "Overloaded", ModelFailure.Unavailable.class));
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @MethodSource("errors")
    void anErrorAnswerBecomesItsFailureClass(int status, String type, String message, Class<? extends ModelFailure> expected) {
        ModelInstance m = model();
        for (boolean stream : new boolean[] {false, true}) {
            upstream.enqueue(MockAnthropicServer.error(status, type, message, Map.of()));

            Throwable t = failureOf(m, hello(), stream);

            assertThat(t).as(stream ? "streamed" : "whole").isExactlyInstanceOf(expected);
            ModelFailure f = (ModelFailure) t;
            assertThat(f.upstreamStatus()).isEqualTo(status);
            assertThat(f.provider()).isEqualTo("claude");
            assertThat(f.modelId()).isEqualTo(MODEL);
            assertThat(f.getMessage()).contains("claude answered " + status).contains(message);
        }
        assertThat(m.metrics()).containsEntry("failures", 2L);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rateLimitingCarriesRetryAfter(boolean stream) {
        upstream.enqueue(MockAnthropicServer.error(429, "rate_limit_error", "rate limited", Map.of("retry-after", "17")));

        assertThat(failureOf(model(), hello(), stream)).isInstanceOfSatisfying(ModelFailure.RateLimited.class, r -> {
            assertThat(r.retryAfter()).contains(Duration.ofSeconds(17));
            assertThat(r.transientFailure()).isTrue();
        });
    }

    @Test
    void anOverloadedApiIsATransientUnavailability() {
        upstream.enqueue(MockAnthropicServer.overloaded());

        Throwable t = failureOf(model(), hello(), false);

        assertThat(t).isInstanceOf(ModelFailure.Unavailable.class).hasMessageContaining("529").hasMessageContaining("Overloaded");
        assertThat(((ModelFailure) t).transientFailure()).isTrue();
    }

    @Test
    void aModelTheUpstreamDoesNotHaveIsUnavailable() {
        ModelInstance ghost = connect(Claude.at(upstream.baseUrl()).withModels("claude-ghost")).load("claude-ghost", Map.of());

        assertThatThrownBy(() -> ghost.generate(hello()))
                .isInstanceOf(ModelFailure.Unavailable.class)
                .hasMessageContaining("model: claude-ghost");
    }

    @Test
    void aWrongKeyIsAnAuthFailureInTheCatalogAndTheStatusWithoutTheKey() {
        String wrong = "sk-ant-wrong-0123456789abcdef";
        AnthropicProvider p = connect(Claude.at(upstream.baseUrl()).withKey(wrong));

        assertThatThrownBy(() -> p.availableModels(ModelFilter.NONE))
                .isInstanceOf(ModelFailure.AuthFailed.class).hasMessageContaining("invalid x-api-key");
        assertThat(p.status().healthy()).isFalse();
        assertThat(p.status().lastError()).contains("401").doesNotContain(wrong);
        assertThat(p.healthCheck().healthy()).isFalse();
        assertThat(upstream.requests()).allSatisfy(r -> assertThat(r.headers()).containsEntry("x-api-key", wrong));
    }

    @Test
    void withoutAKeyNoKeyHeaderIsSentAndTheApiRefuses() {
        ModelInstance m = model(Claude.at(upstream.baseUrl()).withKey(null).withModels(MODEL));

        assertThatThrownBy(() -> m.generate(hello()))
                .isInstanceOf(ModelFailure.AuthFailed.class).hasMessageContaining("x-api-key header is required");
        assertThat(upstream.messageRequests().getFirst().headers()).doesNotContainKey("x-api-key");
    }

    // --- requests Anthropic cannot take --------------------------------------------------------------

    static Stream<Arguments> unsendable() {
        return Stream.of(
                Arguments.of(List.of(Message.assistant("I spoke first."), Message.user("Hi")), "start with a user message"),
                Arguments.of(List.of(Message.system("Be brief."), Message.assistant("Hello!")), "start with a user message"),
                Arguments.of(List.of(Message.system("Only a system prompt.")), "at least one user message"),
                Arguments.of(List.of(Message.user("Use the tool."), new Message(Role.TOOL, "{\"temp\":21}", null)), "answers no earlier tool call"));
    }

    @ParameterizedTest
    @MethodSource("unsendable")
    void aConversationTheApiCannotTakeIsRejectedBeforeAnythingIsSent(List<Message> messages, String reason) {
        ModelInstance m = model();
        for (boolean stream : new boolean[] {false, true}) {
            Throwable t = failureOf(m, ChatRequest.builder().messages(messages).build(), stream);

            assertThat(t).isInstanceOf(InvalidRequestException.class).hasMessageContaining(reason);
            assertThat(((InvalidRequestException) t).field()).startsWith("messages");
        }
        assertThat(upstream.messageRequests()).isEmpty();
    }

    @Test
    void aTemperatureAboveAnthropicsRangeIsRejectedBeforeAnythingIsSent() {
        Throwable t = failureOf(model(), ChatRequest.builder().prompt("hot").temperature(1.5).build(), false);

        assertThat(t).isInstanceOf(InvalidRequestException.class).hasMessageContaining("0 to 1");
        assertThat(((InvalidRequestException) t).field()).isEqualTo("temperature");
        assertThat(upstream.messageRequests()).isEmpty();
    }

    // --- broken streams ------------------------------------------------------------------------------

    static Stream<Arguments> errorEvents() {
        return Stream.of(
                Arguments.of("overloaded_error", "Overloaded", ModelFailure.Unavailable.class, 529),
                Arguments.of("api_error", "Internal server error", ModelFailure.Unavailable.class, 500),
                Arguments.of("rate_limit_error", "Output tokens per minute exceeded", ModelFailure.RateLimited.class, 429),
                Arguments.of("invalid_request_error", "prompt is too long: 200100 tokens > 200000 maximum", ModelFailure.ContextTooLong.class, 400));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("errorEvents")
    void anErrorEventMidStreamFailsAfterTheTokensBeforeIt(String type, String message, Class<? extends ModelFailure> expected, int status) {
        upstream.replyWith(p -> "one two three four");
        upstream.enqueue(MockAnthropicServer.errorEvent(2, type, message));
        List<String> tokens = new ArrayList<>();

        Throwable t = catchThrowable(() -> model().stream(hello(), StreamSink.text(tokens::add)));

        assertThat(t).isExactlyInstanceOf(expected).hasMessageContaining(message);
        assertThat(((ModelFailure) t).upstreamStatus()).isEqualTo(status);
        assertThat(tokens).containsExactly("one", " two");
    }

    @Test
    void anErrorEventAfterTheLastDeltaStillFailsTheAnswer() {
        upstream.replyWith(p -> "complete looking text");
        upstream.enqueue(MockAnthropicServer.errorEvent(99, "overloaded_error", "Overloaded"));

        assertThatThrownBy(() -> model().stream(hello(), t -> { })).isInstanceOf(ModelFailure.Unavailable.class);
    }

    @ParameterizedTest(name = "cut after {0} deltas")
    @ValueSource(ints = {0, 2, 99})
    void aStreamThatEndsWithoutMessageStopIsAFailureNotAShortAnswer(int afterDeltas) {
        upstream.replyWith(p -> "one two three four");
        upstream.enqueue(Fault.truncated(afterDeltas));
        List<String> tokens = new ArrayList<>();

        assertThatThrownBy(() -> model().stream(hello(), StreamSink.text(tokens::add)))
                .isInstanceOf(ModelFailure.Unavailable.class)
                .hasMessageContaining("no message_stop");
        assertThat(tokens).hasSize(Math.min(afterDeltas, 4));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void malformedJsonIsAFailureNotAnEmptyAnswer(boolean stream) {
        upstream.replyWith(p -> "one two three");
        upstream.enqueue(Fault.malformed(1));

        assertThat(failureOf(model(), hello(), stream)).isInstanceOf(ModelFailure.Unavailable.class).hasMessageContaining("malformed");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aRefusalWithNoTextIsAContentRefusal(boolean stream) {
        upstream.replyWith(p -> "");
        upstream.enqueue(Fault.finishWith("refusal"));

        assertThat(failureOf(model(), hello(), stream)).isInstanceOf(ModelFailure.ContentRefused.class).hasMessageContaining("refusal");
    }

    // --- time and connections ------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anUpstreamSlowerThanTheRequestTimeoutIsATimeout(boolean stream) {
        upstream.enqueue(Fault.delay(Duration.ofSeconds(5)));

        Throwable t = failureOf(model(Claude.at(upstream.baseUrl()).withTimeout(0.3)), hello(), stream);

        assertThat(t).isInstanceOf(ModelFailure.Timeout.class).hasMessageContaining("300ms");
    }

    @Test
    void aStreamThatGoesSilentIsATimeout() {
        upstream.replyWith(p -> "slow words arrive");
        upstream.enqueue(Fault.slowStream(Duration.ofSeconds(5)));

        assertThatThrownBy(() -> model(Claude.at(upstream.baseUrl()).withTimeout(0.3)).stream(hello(), t -> { }))
                .isInstanceOf(ModelFailure.Timeout.class)
                .hasMessageContaining("silent");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aClosedPortIsUnavailableAndNamesTheHost(boolean stream) {
        int port = Claude.closedPort();
        AnthropicProvider p = connect(Claude.at("http://127.0.0.1:" + port).withModels(MODEL));

        assertThat(failureOf(p.load(MODEL, Map.of()), hello(), stream)).isInstanceOf(ModelFailure.Unavailable.class)
                .hasMessageContaining("127.0.0.1:" + port);
        assertThat(p.healthCheck().healthy()).isFalse();
    }

    // --- secrets -------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anUpstreamThatEchoesTheKeyDoesNotLeakIt(boolean stream) {
        upstream.enqueue(MockAnthropicServer.error(401, "authentication_error", "invalid x-api-key: " + KEY, Map.of()));

        Throwable t = failureOf(model(), hello(), stream);

        assertThat(t).isInstanceOf(ModelFailure.AuthFailed.class);
        assertThat(t.getMessage()).contains("[redacted]").doesNotContain(KEY);
        assertThat(t.toString()).doesNotContain(KEY);
    }

    @Test
    void anErrorEventThatEchoesTheKeyDoesNotLeakIt() {
        upstream.enqueue(MockAnthropicServer.errorEvent(0, "rate_limit_error", "key " + KEY + " is over its limit"));

        assertThatThrownBy(() -> model().stream(hello(), t -> { }))
                .isInstanceOf(ModelFailure.RateLimited.class)
                .hasMessageContaining("[redacted]")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void credentialsInExtraHeadersAreSentAndNeverEchoed() {
        String secret = "proxy-secret-71b3c9e2d4f0";
        ModelInstance m = model(Claude.at(upstream.baseUrl()).withHeaders(Map.of("x-proxy-token", secret)));
        upstream.enqueue(MockAnthropicServer.error(403, "permission_error", "token " + secret + " may not use " + MODEL, Map.of()));

        Throwable t = failureOf(m, hello(), false);

        assertThat(upstream.messageRequests().getLast().headers()).containsEntry("x-proxy-token", secret);
        assertThat(t).isInstanceOf(ModelFailure.AuthFailed.class);
        assertThat(t.getMessage()).contains("[redacted]").doesNotContain(secret);
    }

    // --- the caller goes away ------------------------------------------------------------------------

    @Test
    void aSinkThatThrowsAbortsTheStreamAndTheModelKeepsServing() {
        upstream.replyWith(p -> "a b c d e f g h");
        IllegalStateException gone = new IllegalStateException("client disconnected");
        List<String> received = new ArrayList<>();
        ModelInstance m = model();

        Throwable t = catchThrowable(() -> m.stream(hello(), StreamSink.text(token -> {
            received.add(token);
            if (received.size() == 2) {
                throw gone;
            }
        })));

        assertThat(t).isSameAs(gone);
        assertThat(received).containsExactly("a", " b");
        assertThat(m.generate(hello()).text()).isEqualTo("a b c d e f g h");
    }
}
