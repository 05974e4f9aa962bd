package dev.switchboard.provider.openai;

import dev.switchboard.config.CustomEndpointConfig;
import dev.switchboard.config.Secret;
import dev.switchboard.model.ProviderType;
import dev.switchboard.provider.ProviderSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Builds an OpenAI-compatible provider the way a {@code custom_providers} entry would. */
final class Upstreams {
    static final String KEY = "sk-test-5f2c9a1b7e3d4c6a8b0f";

    private Upstreams() {}

    static OpenAiCompatibleProvider connect(String baseUrl, String apiKey, List<String> staticModels,
                                            double requestTimeoutSeconds, Map<String, String> headers) {
        OpenAiCompatibleProvider p = new OpenAiCompatibleProvider();
        p.initialize(new ProviderSettings("mock", ProviderType.CUSTOM_API, null,
                new CustomEndpointConfig("openai", baseUrl, Secret.of(apiKey), staticModels, true, secrets(headers), 2.0,
                        requestTimeoutSeconds, null, null),
                Duration.ofMinutes(10), Map.of()));
        return p;
    }

    private static Map<String, Secret> secrets(Map<String, String> headers) {
        Map<String, Secret> out = new java.util.LinkedHashMap<>();
        headers.forEach((k, v) -> out.put(k, Secret.of(v)));
        return out;
    }

    static OpenAiCompatibleProvider connect(String baseUrl) {
        return connect(baseUrl, KEY, List.of(), 10, Map.of());
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
