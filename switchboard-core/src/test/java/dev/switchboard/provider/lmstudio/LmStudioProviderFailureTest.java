package dev.switchboard.provider.lmstudio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.StreamSink;
import dev.switchboard.provider.Health;
import dev.switchboard.provider.ModelFilter;
import dev.switchboard.provider.ModelInstance;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.MockLmStudioServer;
import dev.switchboard.testkit.MockLmStudioServer.Model;
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

/** How the LM Studio provider fails: LM Studio's error answers become the failure class the router acts on. */
class LmStudioProviderFailureTest {
    private static final String MODEL = "qwen2.5-7b-instruct";
    private static MockLmStudioServer lmStudio;
    private final List<LmStudioProvider> providers = new ArrayList<>();

    @BeforeAll
    static void startLmStudio() {
        lmStudio = MockLmStudioServer.start(null, Model.llm(MODEL).loaded(true));
    }

    @AfterAll
    static void stopLmStudio() {
        lmStudio.close();
    }

    @BeforeEach
    void fresh() {
        lmStudio.reset();
        lmStudio.replyWith(prompt -> "echo: " + prompt);
    }

    @AfterEach
    void closeAll() {
        providers.forEach(LmStudioProvider::close);
    }

    private LmStudioProvider connect(String baseUrl, String token) {
        LmStudioProvider p = LmStudios.connect(baseUrl, token);
        providers.add(p);
        return p;
    }

    private ModelInstance model() {
        return connect(lmStudio.baseUrl(), null).load(MODEL, Map.of());
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

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of(404, "Model \"qwen2.5-7b-instruct\" not found. Please specify a valid model.", "model_not_found",
                        ModelFailure.Unavailable.class),
                Arguments.of(400, "'messages' field is required", null, ModelFailure.BadRequest.class),
                Arguments.of(400, "The number of tokens to keep from the initial prompt is greater than the context length. "
                        + "Try to load the model with a larger context length, or provide a shorter input", null,
                        ModelFailure.ContextTooLong.class),
                Arguments.of(500, "The model has crashed without additional information. (Exit code: 1)", null,
                        ModelFailure.Unavailable.class));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("errors")
    void lmStudioErrorAnswersBecomeTheirFailureClass(int status, String message, String code,
                                                     Class<? extends ModelFailure> expected) {
        ModelInstance m = model();
        for (boolean stream : new boolean[] {false, true}) {
            lmStudio.enqueue(Fault.openAiError(status, message, "invalid_request_error", code, Map.of()));

            Throwable t = failureOf(m, stream);

            assertThat(t).as(stream ? "streamed" : "non-streamed").isExactlyInstanceOf(expected);
            ModelFailure f = (ModelFailure) t;
            assertThat(f.upstreamStatus()).isEqualTo(status);
            assertThat(f.provider()).isEqualTo("lm_studio");
            assertThat(f.modelId()).isEqualTo(MODEL);
            assertThat(f.getMessage()).contains(String.valueOf(status)).contains(message.substring(0, 20));
        }
    }

    @Test
    void anErrorEventMidStreamFailsAfterTheTokensBeforeIt() {
        lmStudio.replyWith(p -> "one two three four");
        lmStudio.enqueue(Fault.midStreamError(2, "{\"error\":{\"message\":\"The model has crashed without additional "
                + "information. (Exit code: null)\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"));
        List<String> tokens = new ArrayList<>();

        assertThatThrownBy(() -> model().stream(ChatRequest.builder().prompt("go").build(), StreamSink.text(tokens::add)))
                .isInstanceOf(ModelFailure.Unavailable.class)
                .hasMessageContaining("The model has crashed");
        assertThat(tokens).containsExactly("one", " two");
    }

    @Test
    void aContextOverflowMidStreamIsContextTooLong() {
        lmStudio.enqueue(Fault.midStreamError(0, "{\"error\":{\"message\":\"Trying to keep the first 15857 tokens when "
                + "context the overflows. However, the model is loaded with context length of only 4096 tokens, which is "
                + "not enough.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}"));

        assertThatThrownBy(() -> model().stream(ChatRequest.builder().prompt("long").build(), t -> { }))
                .isInstanceOf(ModelFailure.ContextTooLong.class);
    }

    @Test
    void aStoppedLmStudioIsUnhealthyWithAClearMessage() {
        int port = LmStudios.closedPort();
        LmStudioProvider p = connect("http://127.0.0.1:" + port, null);

        Health h = p.healthCheck();

        assertThat(h.healthy()).isFalse();
        assertThat(h.detail()).contains("LM Studio is not reachable at http://127.0.0.1:" + port)
                .contains("lms server start");
        assertThat(p.status().healthy()).isFalse();
        assertThat(p.status().lastError()).contains("127.0.0.1:" + port);
        assertThatThrownBy(() -> p.availableModels(ModelFilter.NONE)).isInstanceOf(ModelFailure.Unavailable.class);
    }

    @Test
    void aMissingTokenIsAnAuthFailureWithLmStudiosExplanation() {
        try (MockLmStudioServer secured = MockLmStudioServer.start(LmStudios.TOKEN, Model.llm(MODEL))) {
            LmStudioProvider p = connect(secured.baseUrl(), null);

            assertThatThrownBy(() -> p.availableModels(ModelFilter.NONE))
                    .isInstanceOf(ModelFailure.AuthFailed.class)
                    .hasMessageContaining("401")
                    .hasMessageContaining("API token is required");
            Health h = p.healthCheck();
            assertThat(h.healthy()).isFalse();
            assertThat(h.detail()).contains("API token is required");
        }
    }

    @Test
    void aWrongTokenIsAnAuthFailureThatNeverShowsTheToken() {
        String wrong = "sk-lm-wrongWrong:0123456789abcdef";
        try (MockLmStudioServer secured = MockLmStudioServer.start(LmStudios.TOKEN, Model.llm(MODEL))) {
            LmStudioProvider p = connect(secured.baseUrl(), wrong);

            assertThatThrownBy(() -> p.availableModels(ModelFilter.NONE)).isInstanceOf(ModelFailure.AuthFailed.class);
            assertThat(p.healthCheck().healthy()).isFalse();
            assertThat(p.status().lastError()).contains("401").doesNotContain(wrong);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anErrorThatEchoesTheTokenDoesNotLeakIt(boolean stream) {
        ModelInstance m = connect(lmStudio.baseUrl(), LmStudios.TOKEN).load(MODEL, Map.of());
        lmStudio.enqueue(Fault.openAiError(401, "Invalid token " + LmStudios.TOKEN, "invalid_request", "invalid_api_key", Map.of()));

        Throwable t = failureOf(m, stream);

        assertThat(t).isInstanceOf(ModelFailure.AuthFailed.class);
        assertThat(t.getMessage()).contains("[redacted]").doesNotContain(LmStudios.TOKEN);
    }
}
