package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A local LM Studio over real HTTP: the OpenAI-compatible {@code /v1} (chat served by {@link MockOpenAiServer}) plus the
 * native {@code GET /api/v0/models} with each model's type, quantization, context and loading state. As with LM
 * Studio's just-in-time loading, a chat request to a model marks it loaded. LM Studio needs no key unless its
 * "Require authentication" setting is on; pass a key to {@link #start} to mock that.
 */
public final class MockLmStudioServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How {@code GET /api/v0/models} is answered. */
    public enum NativeApi {
        AVAILABLE,
        /** 404, as a server without the endpoint answers. */
        NOT_FOUND,
        /** LM Studio before 0.3.6: 200 with {@code {"error":"Unexpected endpoint or method. (GET /api/v0/models)"}}. */
        UNEXPECTED_ENDPOINT
    }

    /**
     * One downloaded model, as {@code /api/v0/models} describes it. {@code capabilities} is what newer LM Studio
     * versions list ({@code tool_use}); null leaves the field out, as older versions do.
     */
    public record Model(String id, String type, String publisher, String arch, String compatibilityType,
                        String quantization, boolean loaded, int maxContextLength, List<String> capabilities) {

        public static Model llm(String id) {
            return new Model(id, "llm", "lmstudio-community", "llama", "gguf", "Q4_K_M", false, 131072, null);
        }

        public static Model vlm(String id) {
            return new Model(id, "vlm", "mlx-community", "qwen2_vl", "mlx", "4bit", false, 32768, null);
        }

        public static Model embeddings(String id) {
            return new Model(id, "embeddings", "nomic-ai", "nomic-bert", "gguf", "Q4_0", false, 2048, null);
        }

        public Model loaded(boolean v) {
            return new Model(id, type, publisher, arch, compatibilityType, quantization, v, maxContextLength, capabilities);
        }

        public Model quantization(String v) {
            return new Model(id, type, publisher, arch, compatibilityType, v, loaded, maxContextLength, capabilities);
        }

        public Model maxContextLength(int v) {
            return new Model(id, type, publisher, arch, compatibilityType, quantization, loaded, v, capabilities);
        }

        public Model capabilities(String... v) {
            return new Model(id, type, publisher, arch, compatibilityType, quantization, loaded, maxContextLength, List.of(v));
        }
    }

    private final MockOpenAiServer openAi;
    private final String apiKey;
    private final List<Model> initial;
    private final Map<String, Model> models = new LinkedHashMap<>();
    private volatile NativeApi nativeApi = NativeApi.AVAILABLE;
    private int chatsSeen;

    private MockLmStudioServer(String apiKey, List<Model> initial) {
        this.apiKey = apiKey;
        this.initial = List.copyOf(initial);
        this.openAi = MockOpenAiServer.start(apiKey, initial.stream().map(Model::id).toArray(String[]::new));
        restore();
        openAi.route("GET", "/api/v0/models", this::nativeModels);
        openAi.route("GET", "/v1/models", this::openAiModels);
    }

    /** @param apiKey the token LM Studio requires, or null for its default of no authentication */
    public static MockLmStudioServer start(String apiKey, Model... models) {
        return new MockLmStudioServer(apiKey, List.of(models));
    }

    /** {@code http://127.0.0.1:PORT}, LM Studio's server root (without {@code /v1}). */
    public String baseUrl() {
        return openAi.baseUrl();
    }

    public int port() {
        return openAi.port();
    }

    public MockLmStudioServer nativeApi(NativeApi mode) {
        this.nativeApi = mode;
        return this;
    }

    /** Loads or unloads a model, as the LM Studio app, {@code lms load} or its idle TTL would. */
    public synchronized MockLmStudioServer setLoaded(String id, boolean loaded) {
        syncJustInTimeLoads();
        Model m = models.get(id);
        if (m == null) {
            throw new IllegalArgumentException("no model " + id);
        }
        models.put(id, m.loaded(loaded));
        return this;
    }

    /** Whether LM Studio has the model in memory now. */
    public synchronized boolean isLoaded(String id) {
        syncJustInTimeLoads();
        Model m = models.get(id);
        return m != null && m.loaded();
    }

    /** Deletes a downloaded model: it leaves the lists (chat requests naming it still reach the OpenAI mock). */
    public synchronized MockLmStudioServer remove(String id) {
        syncJustInTimeLoads();
        models.remove(id);
        return this;
    }

    /** LM Studio's own answer to a chat request for a model it does not have, for {@link #enqueue}. */
    public synchronized Fault modelNotFound(String id) {
        String message = "Model \"" + id + "\" not found. Please specify a valid model.\n\nYour models:\n\n"
                + String.join("\n", models.keySet());
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", "invalid_request_error").put("param", "model")
                .put("code", "model_not_found");
        return Fault.status(404, body.toString(), Map.of());
    }

    public MockLmStudioServer replyWith(Function<String, String> f) {
        openAi.replyWith(f);
        return this;
    }

    /** Scripts chat answers, as {@link MockOpenAiServer#respond} does. */
    public MockLmStudioServer respond(Function<MockAsk, MockReply> f) {
        openAi.respond(f);
        return this;
    }

    public MockLmStudioServer enqueue(Fault fault) {
        openAi.enqueue(fault);
        return this;
    }

    public List<MockOpenAiServer.Recorded> requests() {
        return openAi.requests();
    }

    public List<MockOpenAiServer.Recorded> chatRequests() {
        return openAi.chatRequests();
    }

    /** Back to the models and states it started with; forgets requests and faults. */
    public synchronized void reset() {
        openAi.reset();
        nativeApi = NativeApi.AVAILABLE;
        restore();
    }

    private synchronized void restore() {
        models.clear();
        initial.forEach(m -> models.put(m.id(), m));
        chatsSeen = 0;
    }

    @Override
    public void close() {
        openAi.close();
    }

    /** Chat requests that LM Studio would have served load their model: apply the ones not seen yet. */
    private void syncJustInTimeLoads() {
        List<MockOpenAiServer.Recorded> chats = openAi.chatRequests();
        for (int i = chatsSeen; i < chats.size(); i++) {
            MockOpenAiServer.Recorded r = chats.get(i);
            if (apiKey != null && !("Bearer " + apiKey).equals(r.headers().get("authorization"))) {
                continue;
            }
            String id;
            try {
                id = r.json().path("model").asText(null);
            } catch (IllegalStateException notJson) {
                continue;
            }
            Model m = id == null ? null : models.get(id);
            if (m != null && !m.type().equals("embeddings")) {
                models.put(id, m.loaded(true));
            }
        }
        chatsSeen = chats.size();
    }

    private void nativeModels(HttpExchange ex) throws IOException {
        switch (nativeApi) {
            case NOT_FOUND -> {
                send(ex, 404, unexpectedEndpoint(ex));
                return;
            }
            case UNEXPECTED_ENDPOINT -> {
                send(ex, 200, unexpectedEndpoint(ex));
                return;
            }
            default -> { }
        }
        if (!authorized(ex)) {
            return;
        }
        ObjectNode list = JSON.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        for (Model m : snapshot()) {
            data.addObject().put("id", m.id()).put("object", "model").put("type", m.type()).put("publisher", m.publisher())
                    .put("arch", m.arch()).put("compatibility_type", m.compatibilityType())
                    .put("quantization", m.quantization()).put("state", m.loaded() ? "loaded" : "not-loaded")
                    .put("max_context_length", m.maxContextLength());
            if (m.capabilities() != null) {
                ArrayNode caps = ((ObjectNode) data.get(data.size() - 1)).putArray("capabilities");
                m.capabilities().forEach(caps::add);
            }
        }
        send(ex, 200, list);
    }

    /** With just-in-time loading on (LM Studio's default) {@code /v1/models} lists every downloaded model. */
    private void openAiModels(HttpExchange ex) throws IOException {
        if (!authorized(ex)) {
            return;
        }
        ObjectNode list = JSON.createObjectNode();
        ArrayNode data = list.putArray("data");
        for (Model m : snapshot()) {
            data.addObject().put("id", m.id()).put("object", "model").put("owned_by", "organization_owner");
        }
        list.put("object", "list");
        send(ex, 200, list);
    }

    private synchronized List<Model> snapshot() {
        syncJustInTimeLoads();
        return new ArrayList<>(models.values());
    }

    /** LM Studio's answer when authentication is required and the token is missing or wrong. */
    private boolean authorized(HttpExchange ex) throws IOException {
        String given = ex.getRequestHeaders().getFirst("Authorization");
        if (apiKey == null || ("Bearer " + apiKey).equals(given)) {
            return true;
        }
        String message = given == null
                ? "An LM Studio API token is required to make requests to this server, but none was provided using the "
                + "Authorization header using the 'Bearer' scheme (i.e., 'Authorization: Bearer $LM_API_TOKEN'). "
                + "Learn more at: https://lmstudio.ai/docs/developer/core/authentication."
                : "The LM Studio API token provided is not valid.";
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("type", "invalid_request").put("code", "invalid_api_key").put("message", message);
        send(ex, 401, body);
        return false;
    }

    private static JsonNode unexpectedEndpoint(HttpExchange ex) {
        return JSON.createObjectNode().put("error", "Unexpected endpoint or method. (" + ex.getRequestMethod() + " "
                + ex.getRequestURI().getPath() + ")");
    }

    private static void send(HttpExchange ex, int status, JsonNode json) throws IOException {
        byte[] body = JSON.writeValueAsBytes(json);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }
}
