package dev.switchboard.provider.openai;

import static dev.switchboard.provider.openai.Upstreams.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.StreamSink;
import dev.switchboard.provider.ModelFilter;
import dev.switchboard.provider.ModelInstance;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.MockOpenAiServer;
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
 * How the OpenAI-compatible provider fails: every upstream misbehaviour becomes the {@link ModelFailure} class the
 * router acts on, never an empty answer, and never with the API key in it.
 */
class OpenAiCompatibleProviderFailureTest {
    private static MockOpenAiServer upstream;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void startUpstream() {
        upstream = MockOpenAiServer.start(KEY, "gpt-4o-mini");
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
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private OpenAiCompatibleProvider connect(String baseUrl, String key, List<String> models, double timeoutSeconds) {
        OpenAiCompatibleProvider p = Upstreams.connect(baseUrl, key, models, timeoutSeconds, Map.of());
        toClose.add(p);
        return p;
    }

    private ModelInstance model(double timeoutSeconds) {
        return connect(upstream.baseUrl(), KEY, List.of(), timeoutSeconds).load("gpt-4o-mini", Map.of());
    }

    private ModelInstance model() {
        return model(10);
    }

    private static ChatRequest hello() {
        return ChatRequest.builder().prompt("hello there").build();
    }

    /** Runs the request non-streamed or streamed and returns what it threw. */
    private static Throwable failureOf(ModelInstance m, boolean stream) {
        return catchThrowable(() -> {
            if (stream) {
                m.stream(hello(), t -> { });
            } else {
                m.generate(hello());
            }
        });
    }

    // --- HTTP error statuses -------------------------------------------------------------------------

    static Stream<Arguments> statuses() {
        return Stream.of(
                Arguments.of(401, "invalid_api_key", ModelFailure.AuthFailed.class),
                Arguments.of(403, "unsupported_country_region_territory", ModelFailure.AuthFailed.class),
                Arguments.of(404, "model_not_found", ModelFailure.Unavailable.class),
                Arguments.of(408, null, ModelFailure.Timeout.class),
                Arguments.of(413, null, ModelFailure.BadRequest.class),
                Arguments.of(429, "rate_limit_exceeded", ModelFailure.RateLimited.class),
                Arguments.of(500, null, ModelFailure.Unavailable.class),
                Arguments.of(502, null, ModelFailure.Unavailable.class),
                Arguments.of(503, null, ModelFailure.Unavailable.class),
                Arguments.of(400, null, ModelFailure.BadRequest.class),
                Arguments.of(422, null, ModelFailure.BadRequest.class),
                Arguments.of(400, "context_length_exceeded", ModelFailure.ContextTooLong.class),
                Arguments.of(400, "content_filter", ModelFailure.ContentRefused.class));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("statuses")
    void anErrorStatusBecomesItsFailureClass(int status, String code, Class<? extends ModelFailure> expected) {
        ModelInstance m = model();
        for (boolean stream : new boolean[] {false, true}) {
            upstream.enqueue(Fault.openAiError(status, "Upstream said no (" + status + ")", "api_error", code, Map.of()));

            Throwable t = failureOf(m, stream);

            assertThat(t).as(stream ? "streamed" : "non-streamed").isExactlyInstanceOf(expected);
            ModelFailure f = (ModelFailure) t;
            assertThat(f.upstreamStatus()).isEqualTo(status);
            assertThat(f.provider()).isEqualTo("mock");
            assertThat(f.modelId()).isEqualTo("gpt-4o-mini");
            assertThat(f.getMessage()).contains("mock").contains(String.valueOf(status)).contains("Upstream said no");
        }
        assertThat(m.metrics()).containsEntry("failures", 2L);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rateLimitingCarriesRetryAfter(boolean stream) {
        upstream.enqueue(Fault.openAiError(429, "Rate limit reached for requests", "requests", "rate_limit_exceeded",
                Map.of("Retry-After", "7")));

        Throwable t = failureOf(model(), stream);

        assertThat(t).isInstanceOfSatisfying(ModelFailure.RateLimited.class, r -> {
            assertThat(r.retryAfter()).contains(Duration.ofSeconds(7));
            assertThat(r.transientFailure()).isTrue();
        });
    }

    @Test
    void aModelTheUpstreamDoesNotHaveIsUnavailable() {
        ModelInstance ghost = connect(upstream.baseUrl(), KEY, List.of("gpt-ghost"), 10).load("gpt-ghost", Map.of());
        assertThatThrownBy(() -> ghost.generate(hello()))
                .isInstanceOf(ModelFailure.Unavailable.class)
                .hasMessageContaining("gpt-ghost");
    }

    @Test
    void aWrongKeyShowsAsAnAuthFailureInTheCatalogAndStatus() {
        String wrong = "sk-wrong-1234567890abcdef";
        OpenAiCompatibleProvider p = connect(upstream.baseUrl(), wrong, List.of(), 10);

        assertThatThrownBy(() -> p.availableModels(ModelFilter.NONE)).isInstanceOf(ModelFailure.AuthFailed.class);
        assertThat(p.status().healthy()).isFalse();
        assertThat(p.status().lastError()).contains("401").doesNotContain(wrong);
        assertThat(p.healthCheck().healthy()).isFalse();
    }

    // --- broken answers ------------------------------------------------------------------------------

    @Test
    void malformedJsonIsAFailureNotAnEmptyAnswer() {
        upstream.enqueue(Fault.malformed(0));
        assertThatThrownBy(() -> model().generate(hello()))
                .isInstanceOf(ModelFailure.Unavailable.class)
                .hasMessageContaining("malformed");
    }

    @Test
    void aMalformedStreamChunkIsAFailureAfterTheTokensBeforeIt() {
        upstream.replyWith(p -> "one two three four");
        upstream.enqueue(Fault.malformed(2));
        List<String> tokens = new ArrayList<>();

        assertThatThrownBy(() -> model().stream(hello(), StreamSink.text(tokens::add)))
                .isInstanceOf(ModelFailure.class)
                .hasMessageContaining("malformed");
        assertThat(tokens).containsExactly("one", " two");
    }

    @Test
    void aStreamCutOffWithoutFinishOrDoneIsUnavailable() {
        upstream.replyWith(p -> "one two three four");
        upstream.enqueue(Fault.truncated(2));
        List<String> tokens = new ArrayList<>();

        assertThatThrownBy(() -> model().stream(hello(), StreamSink.text(tokens::add)))
                .isInstanceOf(ModelFailure.Unavailable.class)
                .hasMessageContaining("ended the stream");
        assertThat(tokens).containsExactly("one", " two");
    }

    @Test
    void aRateLimitErrorEventMidStreamIsRateLimited() {
        upstream.replyWith(p -> "one two three");
        upstream.enqueue(Fault.midStreamError(1, "{\"error\":{\"message\":\"Rate limit exceeded: free-models-per-min\",\"code\":429}}"));

        assertThatThrownBy(() -> model().stream(hello(), t -> { }))
                .isInstanceOfSatisfying(ModelFailure.RateLimited.class, f -> assertThat(f.getMessage()).contains("free-models-per-min"));
    }

    @Test
    void anOpenRouterProviderErrorMidStreamIsUnavailable() {
        upstream.replyWith(p -> "one two three");
        upstream.enqueue(Fault.midStreamError(1, "{\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"gpt-4o-mini\",\"provider\":\"OpenAI\",\"error\":{\"code\":\"server_error\",\"message\":\"Provider disconnected\"},"
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}]}"));

        assertThatThrownBy(() -> model().stream(hello(), t -> { }))
                .isInstanceOf(ModelFailure.Unavailable.class)
                .hasMessageContaining("Provider disconnected");
    }

    @Test
    void aContextErrorMidStreamIsContextTooLong() {
        upstream.enqueue(Fault.midStreamError(0, "{\"error\":{\"message\":\"too long\",\"type\":\"invalid_request_error\","
                + "\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}"));

        assertThatThrownBy(() -> model().stream(hello(), t -> { })).isInstanceOf(ModelFailure.ContextTooLong.class);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aContentFilterStopWithNoTextIsARefusal(boolean stream) {
        upstream.replyWith(p -> "");
        upstream.enqueue(Fault.finishWith("content_filter"));

        assertThat(failureOf(model(), stream)).isInstanceOf(ModelFailure.ContentRefused.class);
    }

    // --- time and connections ------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anUpstreamSlowerThanTheRequestTimeoutIsATimeout(boolean stream) {
        upstream.enqueue(Fault.delay(Duration.ofSeconds(5)));

        Throwable t = failureOf(model(0.3), stream);

        assertThat(t).isInstanceOf(ModelFailure.Timeout.class).hasMessageContaining("300ms").hasMessageContaining("127.0.0.1");
        assertThat(((ModelFailure) t).transientFailure()).isTrue();
    }

    @Test
    void aStreamThatGoesSilentIsATimeout() {
        upstream.replyWith(p -> "slow words arrive");
        upstream.enqueue(Fault.slowStream(Duration.ofSeconds(5)));

        assertThatThrownBy(() -> model(0.3).stream(hello(), t -> { }))
                .isInstanceOf(ModelFailure.Timeout.class)
                .hasMessageContaining("silent");
    }

    @Test
    void aClosedPortIsUnavailableAndNamesTheHost() {
        int port = Upstreams.closedPort();
        OpenAiCompatibleProvider p = connect("http://127.0.0.1:" + port, KEY, List.of(), 5);

        assertThatThrownBy(() -> p.availableModels(ModelFilter.NONE))
                .isInstanceOf(ModelFailure.Unavailable.class)
                .hasMessageContaining("127.0.0.1:" + port);
        assertThat(p.status().healthy()).isFalse();
        assertThat(p.status().lastError()).contains("127.0.0.1:" + port);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void generatingAgainstAClosedPortIsUnavailable(boolean stream) {
        int port = Upstreams.closedPort();
        ModelInstance m = connect("http://127.0.0.1:" + port, KEY, List.of("gpt-4o-mini"), 5).load("gpt-4o-mini", Map.of());

        assertThat(failureOf(m, stream)).isInstanceOf(ModelFailure.Unavailable.class)
                .hasMessageContaining("cannot connect to 127.0.0.1:" + port);
    }

    // --- secrets -------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anUpstreamThatEchoesTheKeyDoesNotLeakIt(boolean stream) {
        upstream.enqueue(Fault.openAiError(401, "Incorrect API key provided: " + KEY + ". You can find your API key at "
                + "https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key", Map.of()));

        Throwable t = failureOf(model(), stream);

        assertThat(t).isInstanceOf(ModelFailure.AuthFailed.class);
        assertThat(t.getMessage()).contains("[redacted]").doesNotContain(KEY);
        assertThat(t.toString()).doesNotContain(KEY);
    }

    @Test
    void credentialsInExtraHeadersAreSentAndNeverEchoed() {
        String headerKey = "hdr-secret-91c2e7f0a3b4";
        ModelInstance m = Upstreams.connect(upstream.baseUrl(), KEY, List.of(), 5, Map.of("X-Api-Key", headerKey))
                .load("gpt-4o-mini", Map.of());
        upstream.enqueue(Fault.openAiError(403, "key " + headerKey + " may not use this model", "invalid_request_error", null, Map.of()));

        Throwable t = failureOf(m, false);

        assertThat(upstream.chatRequests().getLast().headers()).containsEntry("x-api-key", headerKey);
        assertThat(t).isInstanceOf(ModelFailure.AuthFailed.class);
        assertThat(t.getMessage()).contains("[redacted]").doesNotContain(headerKey);
    }

    @Test
    void aMidStreamErrorThatEchoesTheKeyDoesNotLeakIt() {
        upstream.enqueue(Fault.midStreamError(0, "{\"error\":{\"message\":\"key " + KEY + " is over quota\",\"code\":429}}"));

        assertThatThrownBy(() -> model().stream(hello(), t -> { }))
                .isInstanceOf(ModelFailure.RateLimited.class)
                .hasMessageContaining("[redacted]")
                .hasMessageNotContaining(KEY);
    }

    // --- the caller goes away ------------------------------------------------------------------------

    @Test
    void aSinkThatThrowsAbortsTheStreamAndItsExceptionPropagates() {
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
        assertThat(m.generate(hello()).text()).as("the provider keeps serving").isEqualTo("a b c d e f g h");
    }
}
