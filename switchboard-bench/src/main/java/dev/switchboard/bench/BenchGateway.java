package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.json.Json;
import dev.switchboard.manager.ModelManager;
import dev.switchboard.manager.ProviderRegistry;
import dev.switchboard.provider.ModelProvider;
import dev.switchboard.provider.ProviderFactory;
import dev.switchboard.provider.openai.OpenAiCompatibleProvider;
import dev.switchboard.server.openai.ChatWire;
import dev.switchboard.server.http.BodyParser;
import dev.switchboard.server.openai.OpenAiApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Switchboard's non-streamed request path without HTTP: a real, started {@link ModelManager} whose one
 * OpenAI-compatible provider talks to a {@link CannedTransport} instead of a socket.
 */
final class BenchGateway implements AutoCloseable {
    static final String KIND = "custom_api/openai";

    final CannedTransport transport;
    final ModelManager manager;
    final OpenAiApi api;

    private BenchGateway(CannedTransport transport, ModelManager manager) {
        this.transport = transport;
        this.manager = manager;
        this.api = new OpenAiApi(manager);
    }

    /** Builds and starts the gateway from {@link Payloads#GATEWAY_YAML}; fails loudly when anything is off. */
    static BenchGateway start() {
        CannedTransport transport = new CannedTransport(Payloads.utf8(Payloads.CHAT_COMPLETION));
        ProviderRegistry registry = ProviderRegistry.discover().register(new ProviderFactory() {
            @Override
            public String kind() {
                return KIND;
            }

            @Override
            public ModelProvider create() {
                OpenAiCompatibleProvider provider = new OpenAiCompatibleProvider();
                provider.useTransport(transport); // before initialize, so no JDK HttpClient is ever built
                return provider;
            }
        });
        SwitchboardConfig.Loaded loaded = ConfigLoader.parse(Payloads.GATEWAY_YAML, "bench", Map.of());
        if (!loaded.warnings().isEmpty()) {
            throw new IllegalStateException("benchmark configuration has warnings: " + loaded.warnings());
        }
        ModelManager manager = new ModelManager(loaded.config().modelManagement(), registry, Map.of());
        manager.start();
        BenchGateway gateway = new BenchGateway(transport, manager);
        if (manager.models().availableModels("mock", false).stream().noneMatch(m -> m.modelId().equals("gpt-4o-mini"))) {
            gateway.close();
            throw new IllegalStateException("provider 'mock' did not start with gpt-4o-mini: " + manager.diagnostics().status());
        }
        return gateway;
    }

    /** The whole path: request bytes in, response bytes out (what the HTTP handler does between read and write). */
    byte[] handle(byte[] requestBody) {
        ChatWire.Request wire = BodyParser.parse(requestBody, ChatWire.Request.class);
        ChatWire.Completion completion = api.complete(wire, null);
        return Json.bytes(completion);
    }

    /**
     * Runs the path once and checks that the request really went upstream in the OpenAI wire format and that
     * the canned answer came back intact, so a benchmark never measures an error path.
     */
    void verify(byte[] requestBody) {
        long before = transport.chatCalls();
        JsonNode out = tree(handle(requestBody));
        if (transport.chatCalls() != before + 1) {
            throw new IllegalStateException("the request did not reach the canned upstream exactly once");
        }
        JsonNode upstream = tree(transport.lastBody());
        JsonNode client = tree(requestBody);
        require(upstream.path("model").asText().equals("gpt-4o-mini"), "upstream model", upstream);
        require(upstream.path("messages").size() == client.path("messages").size(), "upstream messages", upstream);
        require(upstream.path("max_tokens").asInt() == client.path("max_tokens").asInt(), "upstream max_tokens", upstream);
        require(!upstream.path("stream").asBoolean(false), "upstream stream flag", upstream);

        JsonNode canned = tree(Payloads.utf8(Payloads.CHAT_COMPLETION));
        require(out.path("object").asText().equals("chat.completion"), "response object", out);
        require(out.path("choices").path(0).path("message").path("content").asText()
                .equals(canned.path("choices").path(0).path("message").path("content").asText()), "response content", out);
        require(out.path("choices").path(0).path("finish_reason").asText().equals("stop"), "finish_reason", out);
        require(out.path("usage").path("total_tokens").asInt() == canned.path("usage").path("total_tokens").asInt(),
                "response usage", out);
    }

    private static JsonNode tree(byte[] json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void require(boolean ok, String what, JsonNode seen) {
        if (!ok) {
            throw new IllegalStateException("benchmark self-check failed: " + what + " in " + seen);
        }
    }

    @Override
    public void close() {
        manager.stop();
    }
}
