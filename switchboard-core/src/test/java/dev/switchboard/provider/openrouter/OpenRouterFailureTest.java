package dev.switchboard.provider.openrouter;

import static dev.switchboard.provider.openrouter.Routers.KEY;
import static dev.switchboard.provider.openrouter.Routers.MINI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.StreamSink;
import dev.switchboard.provider.ModelInstance;
import dev.switchboard.testkit.MockOpenRouterServer;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** OpenRouter's error answers, before and during a stream, become the failure classes the router acts on. */
class OpenRouterFailureTest {
    private static MockOpenRouterServer upstream;
    @TempDir
    Path home;
    private OpenRouterProvider provider;

    @BeforeAll
    static void startUpstream() {
        upstream = Routers.upstream();
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @BeforeEach
    void fresh() {
        upstream.reset();
        upstream.replyWith(p -> "echo: " + p);
    }

    @AfterEach
    void close() {
        if (provider != null) {
            provider.close();
        }
    }

    private ModelInstance model(String key, String extra) {
        provider = Routers.connect(Routers.section(upstream, key, Routers.everything() + extra), Map.of(), home,
                Duration.ofMinutes(10));
        return provider.load(MINI, Map.of());
    }

    private ModelInstance model() {
        return model(KEY, "");
    }

    private static Throwable failureOf(ModelInstance m, boolean stream) {
        ChatRequest hello = ChatRequest.builder().prompt("hello there").build();
        return catchThrowable(() -> {
            if (stream) {
                m.stream(hello, t -> { });
            } else {
                m.generate(hello);
            }
        });
    }

    static Stream<Arguments> openRouterErrors() {
        return Stream.of(
                Arguments.of(400, "Invalid request: temperature must be at most 2", ModelFailure.BadRequest.class),
                Arguments.of(401, "User not found.", ModelFailure.AuthFailed.class),
                Arguments.of(402, "Insufficient credits. Add more using https://openrouter.ai/credits", ModelFailure.AuthFailed.class),
                Arguments.of(403, "This key may not use this model", ModelFailure.AuthFailed.class),
                Arguments.of(408, "Request timed out", ModelFailure.Timeout.class),
                Arguments.of(429, "Rate limit exceeded: free-models-per-min", ModelFailure.RateLimited.class),
                Arguments.of(502, "Provider returned error", ModelFailure.Unavailable.class),
                Arguments.of(503, "No endpoints found that can handle the requested parameters", ModelFailure.Unavailable.class),
                Arguments.of(400, "This endpoint's maximum context length is 8192 tokens", ModelFailure.ContextTooLong.class));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("openRouterErrors")
    void anOpenRouterErrorBecomesItsFailureClass(int code, String message, Class<? extends ModelFailure> expected) {
        ModelInstance m = model();
        ObjectNode metadata = JsonNodeFactory.instance.objectNode().put("provider_name", "MockProvider").put("raw", "upstream said no");
        for (boolean stream : new boolean[] {false, true}) {
            upstream.enqueue(MockOpenRouterServer.error(code, message, metadata, Map.of()));

            Throwable t = failureOf(m, stream);

            assertThat(t).as(stream ? "streamed" : "non-streamed").isExactlyInstanceOf(expected);
            ModelFailure f = (ModelFailure) t;
            assertThat(f.upstreamStatus()).isEqualTo(code);
            assertThat(f.provider()).isEqualTo("openrouter");
            assertThat(f.modelId()).isEqualTo(MINI);
            assertThat(f.getMessage()).contains("openrouter answered " + code).contains(message);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aRateLimitCarriesRetryAfter(boolean stream) {
        upstream.enqueue(MockOpenRouterServer.error(429, "Rate limit exceeded: free-models-per-day", null, Map.of("Retry-After", "30")));

        assertThat(failureOf(model(), stream)).isInstanceOfSatisfying(ModelFailure.RateLimited.class,
                r -> assertThat(r.retryAfter()).contains(Duration.ofSeconds(30)));
    }

    @Test
    void runningOutOfCreditsMarksTheProviderUnhealthyUntilARequestSucceeds() {
        ModelInstance m = model();
        upstream.enqueue(MockOpenRouterServer.error(402, "Insufficient credits", null, Map.of()));

        assertThat(failureOf(m, false)).isInstanceOf(ModelFailure.AuthFailed.class);
        assertThat(provider.status().healthy()).isFalse();
        assertThat(provider.status().lastError()).contains("402").contains("Insufficient credits");

        assertThat(m.generate(ChatRequest.builder().prompt("again").build()).text()).isEqualTo("echo: again");
        assertThat(provider.status().healthy()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aModerationFlagIsARefusalAndLeavesTheProviderHealthy(boolean stream) {
        ModelInstance m = model();
        ObjectNode metadata = JsonNodeFactory.instance.objectNode().put("flagged_input", "something nasty")
                .put("provider_name", "MockProvider").put("model_slug", MINI);
        metadata.putArray("reasons").add("violence");
        upstream.enqueue(MockOpenRouterServer.error(403, "openai/gpt-4o-mini requires moderation on MockProvider. "
                + "Your input was flagged for \"violence\".", metadata, Map.of()));

        assertThat(failureOf(m, stream)).isInstanceOf(ModelFailure.ContentRefused.class).hasMessageContaining("flagged");
        assertThat(provider.status().healthy()).isTrue();
    }

    @Test
    void aWrongKeyIsRefusedInOpenRoutersWords() {
        String wrong = "sk-or-v1-0000wrong0000wrong0000";
        ModelInstance m = model(wrong, "");

        Throwable t = failureOf(m, false);

        assertThat(t).isInstanceOf(ModelFailure.AuthFailed.class).hasMessageContaining("401").hasMessageContaining("User not found.");
        assertThat(t.getMessage()).doesNotContain(wrong);
    }

    @Test
    void anErrorEventMidStreamFailsAfterTheTokensBeforeIt() {
        upstream.replyWith(p -> "one two three four");
        upstream.enqueue(MockOpenRouterServer.midStreamError(2, 502, "Provider returned error"));
        List<String> tokens = new ArrayList<>();

        assertThatThrownBy(() -> model().stream(ChatRequest.builder().prompt("go").build(), StreamSink.text(tokens::add)))
                .isInstanceOfSatisfying(ModelFailure.Unavailable.class, f -> {
                    assertThat(f.getMessage()).contains("Provider returned error");
                    assertThat(f.upstreamStatus()).isEqualTo(502);
                });
        assertThat(tokens).containsExactly("one", " two");
    }

    @Test
    void aRateLimitEventMidStreamIsRateLimited() {
        upstream.enqueue(MockOpenRouterServer.midStreamError(1, 429, "Rate limit exceeded: free-models-per-min"));
        assertThatThrownBy(() -> model().stream(ChatRequest.builder().prompt("go on").build(), t -> { }))
                .isInstanceOf(ModelFailure.RateLimited.class).hasMessageContaining("free-models-per-min");
    }

    @Test
    void aProviderDisconnectWithAStringCodeMidStreamIsUnavailable() {
        upstream.enqueue(MockOpenRouterServer.midStreamError(0, "server_error", "Provider disconnected unexpectedly"));
        assertThatThrownBy(() -> model().stream(ChatRequest.builder().prompt("go").build(), t -> { }))
                .isInstanceOf(ModelFailure.Unavailable.class).hasMessageContaining("Provider disconnected unexpectedly");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anUpstreamThatEchoesTheKeyDoesNotLeakIt(boolean stream) {
        upstream.enqueue(MockOpenRouterServer.error(401, "Key " + KEY + " is disabled", null, Map.of()));

        Throwable t = failureOf(model(), stream);

        assertThat(t).isInstanceOf(ModelFailure.AuthFailed.class);
        assertThat(t.getMessage()).contains("[redacted]").doesNotContain(KEY);
    }

    @Test
    void attributionValuesAreNotTreatedAsSecrets() {
        ModelInstance m = model(KEY, "x_title: \"a\"\n");
        upstream.enqueue(MockOpenRouterServer.error(400, "a bad value in a request", null, Map.of()));

        assertThat(failureOf(m, false)).hasMessageContaining("a bad value in a request");
        assertThat(upstream.chatRequests().getLast().headers()).containsEntry("x-title", "a");
    }
}
