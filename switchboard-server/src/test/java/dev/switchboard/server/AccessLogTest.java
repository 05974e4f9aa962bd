package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.testkit.MockOpenAiServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@code server.access_log: true}: a line per request with method, path, status, duration, model and key id. */
class AccessLogTest {
    static final String CLIENT_KEY = "sb-access-log-client-key-0123456789";
    static MockOpenAiServer upstream;
    static TestService service;
    static final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeAll
    static void start() {
        lines.start();
        ((Logger) LoggerFactory.getLogger("switchboard.access")).addAppender(lines);
        upstream = MockOpenAiServer.start("sk-upstream-secret-value-42", "gpt-4o-mini");
        service = TestService.start(TestService.endpointYaml("vllm", upstream.baseUrl(), "sk-upstream-secret-value-42") + """
                server:
                  api_keys: [%s]
                  access_log: true
                """.formatted(CLIENT_KEY)).withKey(CLIENT_KEY);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger("switchboard.access")).detachAppender(lines);
        service.close();
        upstream.close();
    }

    @Test
    void eachRequestIsOneLineWithTheModelAndTheKeysIdButNoSecret() {
        service.post("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        service.post("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        service.post("/api/v1/models/generate", "{\"model_id\":\"gpt-4o-mini\",\"prompt\":\"hi\"}");
        service.withKey("not-a-valid-key").get("/api/v1/models?token=should-not-be-logged");
        service.withKey(CLIENT_KEY);

        List<String> logged = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(logged).anySatisfy(l -> assertThat(l)
                .matches("POST /v1/chat/completions 200 [0-9.]+ ms model=custom_api:vllm:gpt-4o-mini key=key-[0-9a-f]{8}"));
        assertThat(logged.stream().filter(l -> l.startsWith("POST /v1/chat/completions 200"))).hasSize(2);
        assertThat(logged).anySatisfy(l -> assertThat(l)
                .matches("POST /api/v1/models/generate 200 [0-9.]+ ms model=custom_api:vllm:gpt-4o-mini key=key-[0-9a-f]{8}"));
        assertThat(logged).anySatisfy(l -> assertThat(l).matches("GET /api/v1/models 401 [0-9.]+ ms model=- key=-"));
        assertThat(String.join("\n", logged)).doesNotContain(CLIENT_KEY).doesNotContain("sk-upstream-secret")
                .doesNotContain("not-a-valid-key").doesNotContain("should-not-be-logged");
    }
}
