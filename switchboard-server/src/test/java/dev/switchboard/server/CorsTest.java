package dev.switchboard.server;

import static dev.switchboard.server.RestApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.MockOpenAiServer;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code server.cors} over real HTTP, as a browser speaks it: preflights answered before auth on any path, allow
 * headers on every answer to an allowed origin (errors and streams too), other origins still served, and nothing of
 * it when {@code server.cors} is absent.
 */
class CorsTest {
    static final String KEY = "sb-cors-client-key-0123456789";
    static final String PAGE = "http://localhost:3000";
    static final String OTHER = "http://evil.example";
    static final String CHAT = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]%s}";

    static MockOpenAiServer upstream;
    static MockOpenAiServer flaky;
    static TestService service;
    static TestService plain;

    @BeforeAll
    static void start() {
        upstream = MockOpenAiServer.start("sk-up", "gpt-4o-mini");
        flaky = MockOpenAiServer.start("sk-flaky", "flaky-model");
        service = TestService.start("""
                model_management:
                  default_provider: custom_api
                  health_check_interval_seconds: 3600
                  fallback_config: {enabled: false, max_retries: 0, retry_delay_seconds: 0.001}
                  providers:
                    custom_api:
                      custom_providers:
                        vllm: {api_type: openai, base_url: %s, api_key: sk-up, request_timeout_seconds: 5}
                        flaky: {api_type: openai, base_url: %s, api_key: sk-flaky, request_timeout_seconds: 5}
                server:
                  api_keys: [%s]
                  cors:
                    allowed_origins: ["%s"]
                    allow_credentials: true
                """.formatted(upstream.baseUrl(), flaky.baseUrl(), KEY, PAGE));
        plain = TestService.start(TestService.endpointYaml("vllm", upstream.baseUrl(), "sk-up"));
    }

    @AfterAll
    static void stop() {
        service.close();
        plain.close();
        upstream.close();
        flaky.close();
    }

    static HttpResponse<String> call(TestService on, String method, String path, String body, String... headers) {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return on.send(method, path, body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8), h);
    }

    static HttpResponse<String> preflight(TestService on, String origin, String method, String path, String requestHeaders) {
        return call(on, "OPTIONS", path, null, "Origin", origin, "Access-Control-Request-Method", method,
                "Access-Control-Request-Headers", requestHeaders);
    }

    static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    static List<String> allowHeaders(HttpResponse<?> r) {
        return r.headers().map().keySet().stream().filter(n -> n.toLowerCase(java.util.Locale.ROOT).startsWith("access-control-")).toList();
    }

    static void carriesTheAllowHeaders(HttpResponse<String> r) {
        assertThat(header(r, "Access-Control-Allow-Origin")).as(r.uri() + " " + r.statusCode()).isEqualTo(PAGE);
        assertThat(header(r, "Access-Control-Allow-Credentials")).isEqualTo("true");
        assertThat(header(r, "Access-Control-Expose-Headers")).contains("retry-after").contains("x-request-id")
                .contains("content-type").contains("www-authenticate");
        assertThat(header(r, "Vary")).isEqualTo("Origin");
    }

    @Test
    void aPreflightFromTheConfiguredOriginIsAnsweredOnAnyPathWithoutAKey() {
        for (String path : List.of("/api/v1/models/available", "/api/v1/models/performance/some-model",
                "/api/v1/models/load/ollama/llama3.2:3b", "/v1/chat/completions", "/no/such/path")) {
            HttpResponse<String> r = preflight(service, PAGE, "POST", path,
                    "Content-Type, Authorization, X-Stainless-OS, x-not-allowed");
            assertThat(r.statusCode()).as(path).isEqualTo(204);
            assertThat(r.body()).isEmpty();
            assertThat(header(r, "Access-Control-Allow-Origin")).isEqualTo(PAGE);
            assertThat(header(r, "Access-Control-Allow-Credentials")).isEqualTo("true");
            assertThat(header(r, "Access-Control-Allow-Methods")).isEqualTo("POST");
            assertThat(header(r, "Access-Control-Allow-Headers")).isEqualTo("content-type, authorization, x-stainless-os");
            assertThat(header(r, "Access-Control-Max-Age")).isEqualTo("600");
            assertThat(header(r, "Vary")).isEqualTo("Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        }
        HttpResponse<String> get = call(service, "OPTIONS", "/api/v1/models/available", null,
                "Origin", PAGE, "Access-Control-Request-Method", "GET");
        assertThat(get.statusCode()).isEqualTo(204);
        assertThat(header(get, "Access-Control-Allow-Methods")).isEqualTo("GET");
        assertThat(header(get, "Access-Control-Allow-Headers")).isNull();
    }

    @Test
    void aPreflightFromAnotherOriginIsRefusedInTheCallersErrorShape() {
        HttpResponse<String> r = preflight(service, OTHER, "GET", "/api/v1/models/available", "content-type");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).get("detail").asText()).contains(OTHER).contains("server.cors.allowed_origins");
        assertThat(allowHeaders(r)).isEmpty();
        assertThat(header(r, "Vary")).contains("Origin");

        HttpResponse<String> openAi = preflight(service, OTHER, "POST", "/v1/chat/completions", "authorization");
        assertThat(openAi.statusCode()).isEqualTo(403);
        assertThat(json(openAi).get("error").get("message").asText()).contains(OTHER);
        assertThat(json(openAi).get("error").get("type").asText()).isEqualTo("permission_error");
        assertThat(allowHeaders(openAi)).isEmpty();
    }

    @Test
    void aPreflightForAMethodNotAllowedIsRefusedNamingIt() {
        HttpResponse<String> r = preflight(service, PAGE, "PROPFIND", "/api/v1/models", "content-type");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).get("detail").asText()).contains("PROPFIND").contains("GET, POST, PUT, PATCH, DELETE");
        assertThat(allowHeaders(r)).isEmpty();
        assertThat(header(r, "Vary")).contains("Origin");
    }

    @Test
    void anOptionsRequestThatIsNoPreflightIsLeftToTheRoutes() {
        HttpResponse<String> r = call(service, "OPTIONS", "/api/v1/models/available", null, "Origin", PAGE);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("detail").asText()).contains("OPTIONS");
    }

    @Test
    void callsFromTheConfiguredOriginCarryTheAllowHeaders() {
        HttpResponse<String> get = call(service, "GET", "/api/v1/models/available", null,
                "Origin", PAGE, "Authorization", "Bearer " + KEY);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(RestApiTest.ids(json(get))).contains("gpt-4o-mini");
        carriesTheAllowHeaders(get);

        HttpResponse<String> post = call(service, "POST", "/api/v1/models/select", "{\"task_type\":\"general_chat\"}",
                "Origin", PAGE, "Authorization", "Bearer " + KEY, "Content-Type", "application/json");
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(json(post).get("model_id").asText()).isNotEmpty();
        carriesTheAllowHeaders(post);
    }

    @Test
    void errorAnswersToTheConfiguredOriginCarryThemTooSoAPageCanReadWhy() {
        HttpResponse<String> noKey = call(service, "GET", "/api/v1/models/available", null, "Origin", PAGE);
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(json(noKey).get("detail").asText()).contains("missing API key");
        carriesTheAllowHeaders(noKey);

        HttpResponse<String> unknown = call(service, "GET", "/api/v1/nothing-here", null,
                "Origin", PAGE, "Authorization", "Bearer " + KEY);
        assertThat(unknown.statusCode()).isEqualTo(404);
        carriesTheAllowHeaders(unknown);

        HttpResponse<String> badJson = call(service, "POST", "/v1/chat/completions", "{not json",
                "Origin", PAGE, "Authorization", "Bearer " + KEY, "Content-Type", "application/json");
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(json(badJson).get("error").get("message").asText()).isNotEmpty();
        carriesTheAllowHeaders(badJson);

        flaky.enqueue(Fault.openAiError(503, "overloaded", "server_error", null, Map.of("Retry-After", "1")));
        HttpResponse<String> upstreamDown = call(service, "POST", "/v1/chat/completions", CHAT.formatted("flaky-model", ""),
                "Origin", PAGE, "Authorization", "Bearer " + KEY, "Content-Type", "application/json");
        assertThat(upstreamDown.statusCode()).isGreaterThanOrEqualTo(500);
        carriesTheAllowHeaders(upstreamDown);
    }

    @Test
    void aStreamToTheConfiguredOriginCarriesThem() {
        HttpResponse<String> sse = call(service, "POST", "/v1/chat/completions", CHAT.formatted("gpt-4o-mini", ",\"stream\":true"),
                "Origin", PAGE, "Authorization", "Bearer " + KEY, "Content-Type", "application/json");
        assertThat(sse.statusCode()).isEqualTo(200);
        assertThat(header(sse, "Content-Type")).startsWith("text/event-stream");
        assertThat(sse.body()).contains("data: [DONE]");
        carriesTheAllowHeaders(sse);
    }

    @Test
    void callsFromAnotherOriginOrNoneAreServedWithoutTheAllowHeaders() {
        for (String origin : new String[] {OTHER, "null", null}) {
            HttpResponse<String> r = origin == null
                    ? call(service, "GET", "/api/v1/models/available", null, "Authorization", "Bearer " + KEY)
                    : call(service, "GET", "/api/v1/models/available", null, "Origin", origin, "Authorization", "Bearer " + KEY);
            assertThat(r.statusCode()).as(origin).isEqualTo(200);
            assertThat(RestApiTest.ids(json(r))).contains("gpt-4o-mini");
            assertThat(allowHeaders(r)).as(origin).isEmpty();
            assertThat(header(r, "Vary")).isEqualTo("Origin");
        }
    }

    @Test
    void withoutServerCorsNothingChanges() {
        HttpResponse<String> r = preflight(plain, PAGE, "GET", "/api/v1/models/available", "content-type");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(allowHeaders(r)).isEmpty();
        assertThat(header(r, "Vary")).isNull();

        HttpResponse<String> get = call(plain, "GET", "/api/v1/models/available", null, "Origin", PAGE);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(allowHeaders(get)).isEmpty();
        assertThat(header(get, "Vary")).isNull();
    }

    @Test
    void anyOriginIsAnsweredWithAStarAndNoCredentials() {
        try (TestService open = TestService.start(TestService.endpointYaml("vllm", upstream.baseUrl(), "sk-up") + """
                server:
                  cors:
                    allowed_origins: ['*']
                """)) {
            HttpResponse<String> pre = preflight(open, OTHER, "POST", "/v1/chat/completions", "content-type");
            assertThat(pre.statusCode()).isEqualTo(204);
            assertThat(header(pre, "Access-Control-Allow-Origin")).isEqualTo("*");
            assertThat(header(pre, "Access-Control-Allow-Credentials")).isNull();

            HttpResponse<String> get = call(open, "GET", "/v1/models", null, "Origin", OTHER);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(header(get, "Access-Control-Allow-Origin")).isEqualTo("*");
            assertThat(header(get, "Access-Control-Allow-Credentials")).isNull();
        }
    }
}
