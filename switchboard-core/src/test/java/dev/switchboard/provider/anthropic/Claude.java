package dev.switchboard.provider.anthropic;

import dev.switchboard.config.CustomEndpointConfig;
import dev.switchboard.config.Secret;
import dev.switchboard.model.ProviderType;
import dev.switchboard.provider.ProviderSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds an Anthropic provider the way a {@code custom_providers} entry with {@code api_type: anthropic} would. */
final class Claude {
    static final String KEY = "sk-ant-api03-test-9d1f3b7c5a2e4f60";
    static final String MODEL = "claude-sonnet-4-5";

    private Claude() {}

    /** Settings a test may vary; null means the configuration default. */
    record Endpoint(String baseUrl, String apiKey, List<String> models, double timeoutSeconds, Map<String, String> headers,
                    Integer maxTokens, String version) {
        Endpoint withKey(String k) {
            return new Endpoint(baseUrl, k, models, timeoutSeconds, headers, maxTokens, version);
        }

        Endpoint withModels(String... ids) {
            return new Endpoint(baseUrl, apiKey, List.of(ids), timeoutSeconds, headers, maxTokens, version);
        }

        Endpoint withTimeout(double seconds) {
            return new Endpoint(baseUrl, apiKey, models, seconds, headers, maxTokens, version);
        }

        Endpoint withHeaders(Map<String, String> h) {
            return new Endpoint(baseUrl, apiKey, models, timeoutSeconds, h, maxTokens, version);
        }

        Endpoint withMaxTokens(Integer n) {
            return new Endpoint(baseUrl, apiKey, models, timeoutSeconds, headers, n, version);
        }

        Endpoint withVersion(String v) {
            return new Endpoint(baseUrl, apiKey, models, timeoutSeconds, headers, maxTokens, v);
        }

        AnthropicProvider connect() {
            Map<String, Secret> secrets = new LinkedHashMap<>();
            headers.forEach((k, v) -> secrets.put(k, Secret.of(v)));
            AnthropicProvider p = new AnthropicProvider();
            p.initialize(new ProviderSettings("claude", ProviderType.CUSTOM_API, null,
                    new CustomEndpointConfig("anthropic", baseUrl, Secret.of(apiKey), models, true, secrets, 2.0,
                            timeoutSeconds, maxTokens, version),
                    Duration.ofMinutes(10), Map.of()));
            return p;
        }
    }

    static Endpoint at(String baseUrl) {
        return new Endpoint(baseUrl, KEY, List.of(), 10, Map.of(), null, null);
    }

    /** A loopback port nothing listens on. */
    static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
