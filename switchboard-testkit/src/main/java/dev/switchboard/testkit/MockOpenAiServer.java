package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A local OpenAI-compatible upstream over real HTTP: {@code GET /v1/models} and {@code POST /v1/chat/completions}
 * (JSON or SSE with {@code data: [DONE]}), bearer-key checks, and OpenAI's error shapes. Dialects of it (OpenRouter)
 * change the path prefix, the usage fields and the error shape. Tests script failures
 * with {@link #enqueue(Fault)}; each queued fault answers exactly one chat request.
 */
public final class MockOpenAiServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String apiKey;
    private final List<String> models;
    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private volatile Function<String, String> reply = prompt -> "echo: " + prompt;
    private volatile boolean modelsEndpoint = true;
    private final Map<String, com.sun.net.httpserver.HttpHandler> extraRoutes = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile String apiPrefix = "/v1";
    private volatile java.util.function.BiConsumer<String, ObjectNode> usageDecorator = (model, usage) -> { };
    private volatile ErrorShape errorShape = MockOpenAiServer::openAiErrorBody;

    /** Writes an error body in an upstream's dialect; {@code type} and {@code code} are OpenAI's names for it. */
    @FunctionalInterface
    public interface ErrorShape {
        ObjectNode body(int status, String message, String type, String code);
    }

    /** One request as the mock received it. Header names are lower-case; {@code remotePort} tells connections apart. */
    public record Recorded(String method, String path, Map<String, String> headers, String body, int remotePort) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private MockOpenAiServer(int port, String apiKey, List<String> models) throws IOException {
        this.apiKey = apiKey;
        this.models = List.copyOf(models);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** @param apiKey the bearer key callers must send, or null to accept any caller */
    public static MockOpenAiServer start(String apiKey, String... models) {
        return startOn(0, apiKey, models);
    }

    /** Starts on a given port, for example to bring an upstream back where it was before. */
    public static MockOpenAiServer startOn(int port, String apiKey, String... models) {
        try {
            return new MockOpenAiServer(port, apiKey, List.of(models));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start mock server on port " + port, e);
        }
    }

    /** {@code http://127.0.0.1:PORT}, without {@code /v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** How the mock answers: a function of the last user message. Default {@code "echo: " + prompt}. */
    public MockOpenAiServer replyWith(Function<String, String> f) {
        this.reply = f;
        return this;
    }

    /** Makes {@code GET /v1/models} answer 404, as some OpenAI-compatible servers do. */
    public MockOpenAiServer withoutModelsEndpoint() {
        this.modelsEndpoint = false;
        return this;
    }

    /**
     * Serves {@code method path} with {@code handler} before the OpenAI routes, so a mock of a server that speaks
     * OpenAI plus a native API of its own (LM Studio's {@code /api/v0}) can reuse this one. Requests to it are
     * recorded like the others (the body is already read: find it in {@link #requests()}); the handler must send
     * a response.
     */
    public MockOpenAiServer route(String method, String path, com.sun.net.httpserver.HttpHandler handler) {
        extraRoutes.put(method + " " + path, handler);
        return this;
    }

    /** Serves the OpenAI routes under another prefix, for example OpenRouter's {@code /api/v1}. */
    public MockOpenAiServer withApiPrefix(String prefix) {
        this.apiPrefix = prefix;
        return this;
    }

    /** Adds fields to every usage object (OpenRouter's {@code cost}); called with the model id and the usage. */
    public MockOpenAiServer withUsage(java.util.function.BiConsumer<String, ObjectNode> decorator) {
        this.usageDecorator = decorator;
        return this;
    }

    /** Answers the mock's own errors (bad key, unknown model, bad body) in another dialect. */
    public MockOpenAiServer withErrorShape(ErrorShape shape) {
        this.errorShape = shape;
        return this;
    }

    public MockOpenAiServer enqueue(Fault fault) {
        faults.add(fault);
        return this;
    }

    public List<Recorded> requests() {
        return Collections.unmodifiableList(requests);
    }

    public List<Recorded> chatRequests() {
        return requests.stream().filter(r -> r.path.endsWith("/chat/completions")).toList();
    }

    public void reset() {
        faults.clear();
        requests.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
            String path = ex.getRequestURI().getPath();
            requests.add(new Recorded(ex.getRequestMethod(), path, headers, body, ex.getRemoteAddress().getPort()));

            com.sun.net.httpserver.HttpHandler extra = extraRoutes.get(ex.getRequestMethod() + " " + path);
            if (extra != null) {
                extra.handle(ex);
                return;
            }
            if (apiKey != null && !("Bearer " + apiKey).equals(headers.get("authorization"))) {
                String shown = headers.getOrDefault("authorization", "").replace("Bearer ", "");
                error(ex, 401, "Incorrect API key provided: " + mask(shown) + ". You can find your API key at https://platform.openai.com/account/api-keys.",
                        "invalid_request_error", "invalid_api_key");
                return;
            }
            if (path.equals(apiPrefix + "/models") && ex.getRequestMethod().equals("GET")) {
                if (!modelsEndpoint) {
                    error(ex, 404, "Not found", "invalid_request_error", null);
                    return;
                }
                ObjectNode list = JSON.createObjectNode().put("object", "list");
                ArrayNode data = list.putArray("data");
                for (String m : models) {
                    data.addObject().put("id", m).put("object", "model").put("created", 1_700_000_000L).put("owned_by", "mock");
                }
                send(ex, 200, "application/json", JSON.writeValueAsBytes(list), Map.of());
                return;
            }
            if (path.equals(apiPrefix + "/chat/completions") && ex.getRequestMethod().equals("POST")) {
                chat(ex, body);
                return;
            }
            error(ex, 404, "Unknown request URL: " + ex.getRequestMethod() + " " + path, "invalid_request_error", "unknown_url");
        }
    }

    private void chat(HttpExchange ex, String body) throws IOException {
        JsonNode req;
        try {
            req = JSON.readTree(body);
        } catch (IOException e) {
            error(ex, 400, "We could not parse the JSON body of your request.", "invalid_request_error", null);
            return;
        }
        String model = req.path("model").asText(null);
        if (model == null || !models.contains(model)) {
            error(ex, 404, "The model `" + model + "` does not exist or you do not have access to it.",
                    "invalid_request_error", "model_not_found");
            return;
        }
        JsonNode messages = req.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            error(ex, 400, "'messages' is a required property", "invalid_request_error", null);
            return;
        }
        Fault fault = faults.poll();
        if (fault != null && fault.delay() != null) {
            sleep(fault.delay().toMillis());
        }
        if (fault != null && fault.status() > 0) {
            Map<String, String> h = fault.headers();
            send(ex, fault.status(), "application/json", fault.body().getBytes(StandardCharsets.UTF_8), h);
            return;
        }
        String prompt = "";
        for (JsonNode m : messages) {
            if ("user".equals(m.path("role").asText())) {
                prompt = m.path("content").isTextual() ? m.path("content").asText() : m.path("content").toString();
            }
        }
        String text = reply.apply(prompt);
        int promptTokens = Math.max(1, words(messages.toString()));
        List<String> pieces = chunks(text);
        boolean stream = req.path("stream").asBoolean(false) && (fault == null || fault.kind() != Fault.Kind.IGNORE_STREAM);
        String finish = fault != null && fault.kind() == Fault.Kind.FINISH_REASON ? fault.body() : "stop";
        if (fault != null && fault.kind() == Fault.Kind.MALFORMED && !stream) {
            send(ex, 200, "application/json", "{\"id\":\"chatcmpl-x\",\"choices\":[{\"index\":0,".getBytes(StandardCharsets.UTF_8), Map.of());
            return;
        }
        if (!stream) {
            ObjectNode out = JSON.createObjectNode()
                    .put("id", "chatcmpl-mock" + requests.size()).put("object", "chat.completion")
                    .put("created", System.currentTimeMillis() / 1000).put("model", model);
            ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", text).putNull("refusal");
            choice.putNull("logprobs");
            choice.put("finish_reason", finish);
            usageDecorator.accept(model, out.putObject("usage").put("prompt_tokens", promptTokens)
                    .put("completion_tokens", pieces.size()).put("total_tokens", promptTokens + pieces.size()));
            send(ex, 200, "application/json", JSON.writeValueAsBytes(out), Map.of());
            return;
        }
        boolean includeUsage = req.path("stream_options").path("include_usage").asBoolean(false);
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        String id = "chatcmpl-mock" + requests.size();
        long created = System.currentTimeMillis() / 1000;
        if (fault != null && fault.kind() == Fault.Kind.KEEPALIVE_COMMENTS) {
            event(out, ": OPENROUTER PROCESSING\n\n");
        }
        event(out, "data: " + JSON.writeValueAsString(chunk(id, created, model, "assistant", "", null)) + "\n\n");
        for (int i = 0; i < pieces.size(); i++) {
            if (fault != null && fault.kind() == Fault.Kind.TRUNCATED && i == fault.afterChunks()) {
                return; // connection closes mid-answer: no finish_reason, no [DONE]
            }
            if (fault != null && fault.kind() == Fault.Kind.MID_STREAM_ERROR && i == fault.afterChunks()) {
                event(out, "data: " + fault.body() + "\n\n");
                return;
            }
            if (fault != null && fault.kind() == Fault.Kind.MALFORMED && i == fault.afterChunks()) {
                event(out, "data: {\"id\":\"" + id + "\",\"choices\":[{\n\n");
                return;
            }
            if (fault != null && fault.kind() == Fault.Kind.KEEPALIVE_COMMENTS) {
                event(out, ": OPENROUTER PROCESSING\n\n");
            }
            if (fault != null && fault.kind() == Fault.Kind.SLOW_STREAM) {
                sleep(fault.delayBetweenChunks().toMillis());
            }
            event(out, "data: " + JSON.writeValueAsString(chunk(id, created, model, null, pieces.get(i), null)) + "\n\n");
        }
        event(out, "data: " + JSON.writeValueAsString(chunk(id, created, model, null, null, finish)) + "\n\n");
        if (includeUsage) {
            ObjectNode usage = JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                    .put("created", created).put("model", model);
            usage.putArray("choices");
            usageDecorator.accept(model, usage.putObject("usage").put("prompt_tokens", promptTokens)
                    .put("completion_tokens", pieces.size()).put("total_tokens", promptTokens + pieces.size()));
            event(out, "data: " + JSON.writeValueAsString(usage) + "\n\n");
        }
        event(out, "data: [DONE]\n\n");
    }

    private static ObjectNode chunk(String id, long created, String model, String role, String content, String finish) {
        ObjectNode c = JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                .put("created", created).put("model", model);
        ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (role != null) {
            delta.put("role", role);
        }
        if (content != null) {
            delta.put("content", content);
        }
        choice.putNull("logprobs");
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return c;
    }

    /** Splits text into word-sized pieces, keeping the spaces, so a streamed answer reassembles exactly. */
    static List<String> chunks(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                out.add(text.substring(start, i));
                start = i;
            }
        }
        return out;
    }

    private static int words(String s) {
        return s.isBlank() ? 0 : s.trim().split("\\s+").length;
    }

    private static void event(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void error(HttpExchange ex, int status, String message, String type, String code) throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsBytes(errorShape.body(status, message, type, code)), Map.of());
    }

    private static ObjectNode openAiErrorBody(int status, String message, String type, String code) {
        ObjectNode err = JSON.createObjectNode();
        ObjectNode e = err.putObject("error").put("message", message).put("type", type).putNull("param");
        if (code == null) {
            e.putNull("code");
        } else {
            e.put("code", code);
        }
        return err;
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body, Map<String, String> headers) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    private static String mask(String key) {
        return key.length() <= 8 ? "****" : key.substring(0, 3) + "*".repeat(key.length() - 7) + key.substring(key.length() - 4);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
