package dev.switchboard.server;

import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.manager.ModelManager;
import dev.switchboard.manager.ProviderRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** A real Switchboard (manager + HTTP server on a free port) built from a YAML config, and a small HTTP client. */
public final class TestService implements AutoCloseable {
    private final ModelManager manager;
    private final SwitchboardServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private volatile String bearer;

    private TestService(String yaml, Map<String, String> given) {
        // Each service gets its own data directory (SQLite metrics, spend, settings) unless the test shares one.
        Map<String, String> env = new java.util.HashMap<>(given);
        env.computeIfAbsent("SWITCHBOARD_HOME", k -> freshHome());
        SwitchboardConfig config = ConfigLoader.parse(yaml, "test", env).config();
        manager = ModelManager.builder(config.modelManagement()).env(env)
                .meterRegistry(SwitchboardServer.newMeterRegistry()).build();
        manager.start();
        server = new SwitchboardServer(manager, config.server().withListen("127.0.0.1", 0)).start();
    }

    private static String freshHome() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("switchboard-home");
            dir.toFile().deleteOnExit();
            return dir.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static TestService start(String yaml) {
        return new TestService(yaml, Map.of());
    }

    public static TestService start(String yaml, Map<String, String> env) {
        return new TestService(yaml, env);
    }

    /** A config with one OpenAI-compatible endpoint named {@code name} at {@code baseUrl}. */
    public static String endpointYaml(String name, String baseUrl, String apiKey) {
        return """
                model_management:
                  default_provider: custom_api
                  health_check_interval_seconds: 3600
                  fallback_config: {retry_delay_seconds: 0.001}
                  providers:
                    custom_api:
                      custom_providers:
                        %s:
                          api_type: openai
                          base_url: %s
                          api_key: %s
                          request_timeout_seconds: 5
                """.formatted(name, baseUrl, apiKey);
    }

    /** Sends this bearer key on every later request (null: none). */
    public TestService withKey(String key) {
        this.bearer = key;
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    public int port() {
        return server.port();
    }

    public ModelManager manager() {
        return manager;
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    public HttpResponse<String> delete(String path) {
        return send(request(path).DELETE().build());
    }

    public HttpResponse<String> post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<String> post(String path, byte[] body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    public HttpResponse<String> send(String method, String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = request(path);
        headers.forEach(b::header);
        return send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return b;
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("request failed: " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        manager.stop();
        http.close();
    }
}
