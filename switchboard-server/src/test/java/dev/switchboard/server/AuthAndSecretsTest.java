package dev.switchboard.server;

import static dev.switchboard.server.RestApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.MockOpenAiServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Bearer auth on every route but the health probe, and credentials that never leave the process. */
class AuthAndSecretsTest {
    static final String PROVIDER_KEY = "sk-live-LEAKCHECK-0123456789abcdef";
    static final String BROKEN_KEY = "sk-live-OTHERLEAK-fedcba9876543210";
    static final String CLIENT_KEY = "sb-client-SECRET-4242";

    static MockOpenAiServer upstream;
    static MockOpenAiServer strict;
    static TestService service;
    static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    static final List<String> responses = new ArrayList<>();

    @BeforeAll
    static void start() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ((Logger) LoggerFactory.getLogger("dev.switchboard")).setLevel(Level.TRACE);
        logs.start();
        root.addAppender(logs);
        upstream = MockOpenAiServer.start(PROVIDER_KEY, "gpt-4o-mini");
        strict = MockOpenAiServer.start("the-right-key", "gpt-4o-mini");
        service = TestService.start("""
                model_management:
                  default_provider: good
                  health_check_interval_seconds: 3600
                  providers:
                    custom_api:
                      custom_providers:
                        good: {api_type: openai, base_url: %s, api_key: "${GOOD_KEY}", request_timeout_seconds: 5}
                        broken: {api_type: openai, base_url: %s, api_key: %s, request_timeout_seconds: 5}
                server:
                  api_keys: ["${CLIENT_KEY}"]
                """.formatted(upstream.baseUrl(), strict.baseUrl(), BROKEN_KEY),
                Map.of("GOOD_KEY", PROVIDER_KEY, "CLIENT_KEY", CLIENT_KEY));
    }

    @AfterAll
    static void stop() {
        service.close();
        upstream.close();
        strict.close();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    static HttpResponse<String> record(HttpResponse<String> r) {
        responses.add(r.headers().map() + "\n" + r.body());
        return r;
    }

    @Test
    void everyRouteButHealthNeedsTheKey() {
        int upstreamCallsBefore = upstream.chatRequests().size();
        service.withKey(null);
        for (String path : List.of("/api/v1/models", "/api/v1/models/status", "/api/v1/models/free", "/v1/models")) {
            HttpResponse<String> r = record(service.get(path));
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.headers().firstValue("www-authenticate")).hasValue("Bearer");
        }
        HttpResponse<String> openAi = record(service.post("/v1/chat/completions", "{}"));
        assertThat(openAi.statusCode()).isEqualTo(401);
        assertThat(json(openAi).get("error").get("code").asText()).isEqualTo("invalid_api_key");
        HttpResponse<String> rest = record(service.post("/api/v1/models/generate", "{\"prompt\":\"x\"}"));
        assertThat(rest.statusCode()).isEqualTo(401);
        assertThat(json(rest).get("detail").asText()).contains("API key");
        assertThat(upstream.chatRequests()).hasSize(upstreamCallsBefore);

        assertThat(record(service.get("/api/v1/models/health")).statusCode()).isEqualTo(200);
        // unknown routes are not an oracle for what exists
        assertThat(record(service.get("/secret/admin")).statusCode()).isEqualTo(401);

        service.withKey("wrong-key");
        assertThat(record(service.get("/api/v1/models")).statusCode()).isEqualTo(401);
        service.withKey(CLIENT_KEY);
        assertThat(record(service.get("/api/v1/models")).statusCode()).isEqualTo(200);
        assertThat(record(service.post("/v1/chat/completions",
                "{\"model\":\"good:gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).statusCode()).isEqualTo(200);
    }

    @Test
    void providerKeysNeverAppearInResponsesStatusOrLogs() {
        service.withKey(CLIENT_KEY);
        // an upstream that echoes the full key back in its error message
        upstream.enqueue(Fault.openAiError(401, "Incorrect API key provided: " + PROVIDER_KEY, "invalid_request_error",
                "invalid_api_key", Map.of()));
        HttpResponse<String> echoed = record(service.post("/v1/chat/completions",
                "{\"model\":\"good:gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        assertThat(echoed.statusCode()).isEqualTo(502);
        assertThat(json(echoed).get("error").get("message").asText()).contains("[redacted]");

        upstream.enqueue(Fault.openAiError(401, "bad key " + PROVIDER_KEY, "invalid_request_error", "invalid_api_key", Map.of()));
        record(service.post("/api/v1/models/generate", "{\"prompt\":\"hi\",\"model_id\":\"good:gpt-4o-mini\"}"));
        upstream.enqueue(Fault.openAiError(401, "bad key " + PROVIDER_KEY, "invalid_request_error", "invalid_api_key", Map.of()));
        record(service.post("/api/v1/models/test", "{\"model_id\":\"gpt-4o-mini\",\"provider_name\":\"good\"}"));
        // the broken endpoint rejects our key: status and health report it without the key
        service.manager().checkHealth();
        record(service.post("/api/v1/models/generate", "{\"prompt\":\"hi\",\"model_id\":\"broken:gpt-4o-mini\"}"));
        HttpResponse<String> status = record(service.get("/api/v1/models/status"));
        assertThat(json(status).get("providers").get("custom_api:broken").get("healthy").asBoolean()).isFalse();
        record(service.get("/api/v1/models"));
        record(service.get("/v1/models"));

        assertThat(strict.requests()).isNotEmpty();
        for (String secret : List.of(PROVIDER_KEY, BROKEN_KEY, CLIENT_KEY)) {
            assertThat(responses).as("responses").noneMatch(r -> r.contains(secret));
            assertThat(logLines()).as("log lines").noneMatch(l -> l.contains(secret));
        }
        assertThat(logLines()).anyMatch(l -> l.contains("broken"));
        assertThat(service.manager().config().toString()).doesNotContain(PROVIDER_KEY).doesNotContain(BROKEN_KEY);
    }

    static List<String> logLines() {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : logs.list) {
            out.add(e.getFormattedMessage());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                out.add(t.getClassName() + ": " + t.getMessage());
            }
        }
        return out;
    }
}
